import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildBotServices, createPostgresDb, defineBot, LlmKillSwitchError, loadLlmConfig, type Db } from '@jbot/core';
import { freshDatabase, startFakeAnthropic, type FakeAnthropic, type TestDatabase } from '@jbot/testkit';
import { costsCommand } from '../src/commands/costs.js';
import { llmCommand } from '../src/commands/llm.js';

const silent = pino({ level: 'silent' });

// `fleet costs` and `fleet llm` read and flip what the LLM layer records in the brain; the spend
// here is made by real ctx.llm calls against the fake Messages API.
describe('fleet costs / fleet llm', () => {
  let database: TestDatabase;
  let db: Db;
  let anthropic: FakeAnthropic;

  const run = async (command: typeof costsCommand, argv: string[], env: Record<string, string> = {}) => {
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), error: (line: string) => lines.push(`error: ${line}`), env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', USER: 'ana', ...env } };
    const code = await command.run(argv, io);
    return { code, text: lines.join('\n') };
  };
  const llmOf = (bot: string, job: string) =>
    buildBotServices(defineBot({ name: bot, purpose: 'test' }), { db, log: silent, host: 'test', llm: loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url }) })
      .context(new AbortController().signal, silent, { job, runId: `${job}-1` }).llm;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    anthropic = await startFakeAnthropic();
    await llmOf('salesbot', 'hubspot-sync').complete({ tier: 'smart', system: 'Review deals.', prompt: 'Which are stale?' });
    await llmOf('salesbot', 'on:operator_instruction').complete({ tier: 'smart', system: 'Draft emails.', prompt: 'Draft two.' });
    await llmOf('jbot', 'service').complete({ system: 'Route messages.', prompt: 'Where does this go?' });
  });
  afterAll(async () => {
    await anthropic.close();
    await db.close();
    await database.drop();
  });

  it('groups the ledger by bot (default), job or model, with tokens and dollars', async () => {
    const byBot = await run(costsCommand, []);
    expect(byBot.code).toBe(0);
    expect(byBot.text).toMatch(/^LLM spend since .* by bot:/);
    expect(byBot.text).toMatch(/salesbot\s+2\s/);
    expect(byBot.text).toMatch(/jbot\s+1\s/);
    expect(byBot.text).toMatch(/total: 3 calls, \$0\.\d{4}/);
    const byJob = await run(costsCommand, ['--by', 'job', '--since', '1h']);
    expect(byJob.text).toContain('salesbot/hubspot-sync');
    expect(byJob.text).toContain('salesbot/on:operator_instruction');
    expect(byJob.text).toContain('jbot/service');
    const byModel = await run(costsCommand, ['--by', 'model', '--json']);
    const rows = JSON.parse(byModel.text) as Array<{ grp: string; calls: number; cost_usd: number }>;
    expect(rows.map((row) => [row.grp, row.calls]).sort()).toEqual([['claude-haiku-5-5', 1], ['claude-sonnet-5-5', 2]]);
    expect(rows.every((row) => row.cost_usd > 0)).toBe(true);
  });

  it('--since in the future shows nothing; bad flags are refused with a usage error', async () => {
    expect((await run(costsCommand, ['--since', new Date(Date.now() + 3_600_000).toISOString()])).text).toContain('total: 0 calls, $0.0000');
    expect(await run(costsCommand, ['--since', 'yesterday-ish'])).toMatchObject({ code: 64, text: expect.stringMatching(/neither a duration/) });
    expect(await run(costsCommand, ['--by', 'host'])).toMatchObject({ code: 64, text: expect.stringMatching(/--by must be bot, job or model/) });
  });

  it('fleet llm off stops every call at once; on resumes; status shows the engine and the spend', async () => {
    const offline = await run(llmCommand, ['status']);
    expect(offline.text).toMatch(/^LLM: offline drafter \(no ANTHROPIC_API_KEY/);
    expect(offline.text).toMatch(/today \$0\.\d{4} of \$5\.00 fleet cap$/);
    expect((await run(llmCommand, ['off'])).text).toContain('SWITCHED OFF');
    await expect(llmOf('salesbot', 'hubspot-sync').complete({ system: 's', prompt: 'p' })).rejects.toBeInstanceOf(LlmKillSwitchError);
    const online = await run(llmCommand, ['on'], { ANTHROPIC_API_KEY: 'sk-ant-x' });
    expect(online.text).toMatch(/^LLM: Claude — fast claude-haiku-5-5, smart claude-sonnet-5-5 · today/);
    expect(online.text).not.toContain('SWITCHED OFF');
    await expect(llmOf('salesbot', 'hubspot-sync').complete({ system: 's', prompt: 'p' })).resolves.toMatchObject({ offline: false });
  });
});
