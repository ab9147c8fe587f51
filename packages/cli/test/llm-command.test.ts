import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildBotServices, createPostgresDb, defineBot, LlmKillSwitchError, loadLlmConfig, type Db } from '@jbot/core';
import { freshDatabase, startFakeAnthropic, type FakeAnthropic, type TestDatabase } from '@jbot/testkit';
import { costsCommand } from '../src/commands/costs.js';
import { llmCommand } from '../src/commands/llm.js';

const silent = pino({ level: 'silent' });

// What the operator's switch does to real model calls: `fleet llm off` stops ctx.llm in every
// bot before anything is sent, `on` resumes. (Ledger grouping is in costs-command.test.ts.)
describe('fleet llm off|on against real ctx.llm calls', () => {
  let database: TestDatabase;
  let db: Db;
  let anthropic: FakeAnthropic;

  const run = async (command: typeof costsCommand, argv: string[], env: Record<string, string> = {}) => {
    const lines: string[] = [];
    const io = {
      out: (line: string) => lines.push(line),
      error: (line: string) => lines.push(`error: ${line}`),
      env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', USER: 'ana', ...env },
    };
    const code = await command.run(argv, io);
    return { code, text: lines.join('\n') };
  };
  const llmOf = (bot: string) =>
    buildBotServices(defineBot({ name: bot, purpose: 'test' }), {
      db,
      log: silent,
      host: 'test',
      llm: loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url }),
    }).context(new AbortController().signal, silent, { job: 'hubspot-sync', runId: 'run-1' }).llm;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    anthropic = await startFakeAnthropic();
  });
  afterAll(async () => {
    await anthropic.close();
    await db.close();
    await database.drop();
  });

  it('off stops every bot at once, before a request is sent; on resumes; the line names the engine', async () => {
    await llmOf('salesbot').complete({ tier: 'smart', system: 'Review deals.', prompt: 'Which are stale?' });
    expect((await run(llmCommand, ['off'])).text).toMatch(
      /^LLM: offline drafter \(no ANTHROPIC_API_KEY.* · SWITCHED OFF \(`fleet llm on` resumes\) · today \$0\.\d{4} of \$5\.00 fleet cap$/,
    );
    const sent = anthropic.requests.length;
    await expect(llmOf('salesbot').complete({ system: 's', prompt: 'p' })).rejects.toBeInstanceOf(LlmKillSwitchError);
    await expect(llmOf('jbot').complete({ system: 's', prompt: 'p' })).rejects.toThrow(/switched off.*`pnpm fleet llm on` to resume/);
    expect(anthropic.requests).toHaveLength(sent);
    const online = await run(llmCommand, ['on'], { ANTHROPIC_API_KEY: 'sk-ant-x' });
    expect(online.text).toMatch(/^LLM: Claude — fast claude-haiku-5-5, smart claude-sonnet-5-5 · today/);
    await expect(llmOf('jbot').complete({ system: 's', prompt: 'p' })).resolves.toMatchObject({ offline: false });
    expect(await run(llmCommand, ['maybe'])).toMatchObject({ code: 64 });
  });

  it('fleet costs: a future --since shows nothing; an unknown --by is a usage error', async () => {
    expect((await run(costsCommand, ['--since', new Date(Date.now() + 3_600_000).toISOString()])).text).toContain('total: 0 calls, $0.0000');
    expect(await run(costsCommand, ['--by', 'host'])).toMatchObject({
      code: 64,
      text: expect.stringMatching(/--by must be one of bot, job, model \(got "host"\)/),
    });
  });
});
