import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { BudgetExceededError, buildBotServices, createPostgresDb, defineBot, loadLlmConfig, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { costWatchdog } from '../src/jobs/cost-watchdog.js';

const silent = pino({ level: 'silent' });
const NOW = new Date('2026-11-25T15:00:00Z');

describe('sysbot cost watchdog', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const saved = { ...process.env };

  // Spend as the LLM layer records it: a reservation settled with the real cost.
  async function spend(bot: string, usd: number): Promise<void> {
    const [reserved] = await db.rpc<{ reservation_id: string }>('reserve_llm_budget', {
      p_bot: bot,
      p_job: 'test',
      p_run_id: 'r',
      p_model: 'claude-haiku-5-5',
      p_estimate_usd: usd,
      p_bot_cap_usd: 100,
      p_fleet_cap_usd: 100,
      p_now: NOW.toISOString(),
    });
    await db.rpc('record_llm_usage', {
      p_reservation_id: reserved?.reservation_id,
      p_model: 'claude-haiku-5-5',
      p_input_tokens: 1000,
      p_output_tokens: 100,
      p_cache_write_tokens: 0,
      p_cache_read_tokens: 0,
      p_cost_usd: usd,
    });
  }
  const run = (scheduledFor = NOW) => {
    const context = buildBotServices(sysbot, { db, log: silent, host: 'test' }).context(new AbortController().signal, silent, {
      job: 'cost-watchdog',
      runId: 'r1',
    });
    const outcome = costWatchdog.run({
      ...context,
      config: { llm: loadLlmConfig(process.env) },
      job: 'cost-watchdog',
      runId: 'r1',
      scheduledFor,
      attempt: 1,
      manual: false,
      idempotencyKey: 'k',
      lastRun: async () => null,
    }) as Promise<{ detail: { raised: string[]; newlyRaised: number; fleetUsd: number; posted: boolean } }>;
    return outcome.then((result) => result.detail);
  };
  const reports = async () =>
    (await sql`select count(*)::int as n from channel_messages where bot = 'sysbot' and text like 'LLM spend today%'`)[0]?.['n'] as number;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 1 });
    Object.assign(process.env, { LLM_DAILY_BUDGET_USD: '2', LLM_BOT_DAILY_BUDGET_USD: '1', LLM_BOT_BUDGETS_USD: 'contentbot=0.5' });
  });
  afterAll(async () => {
    process.env = saved;
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('is declared on sysbot every 15 minutes', () => {
    expect(sysbot.jobs?.map((job) => job.id)).toContain('cost-watchdog');
  });

  it("posts today's spend per bot against its cap; warns at 80%, alerts at 100%, once per bot and level per day", async () => {
    await spend('salesbot', 0.85); // 85% of $1 → warning
    await spend('contentbot', 0.55); // 110% of its $0.50 → alert
    await spend('jbot', 0.1);
    const first = await run();
    expect(first.raised.sort()).toEqual(['contentbot alert', 'salesbot warning']);
    expect(first).toMatchObject({ newlyRaised: 2, posted: true });
    expect(first.fleetUsd).toBeCloseTo(1.5, 6);
    // The next tick, a quarter past: same levels, no new signals, and no repeated report.
    const reportsBefore = await reports();
    expect(reportsBefore).toBe(1);
    expect(await run(new Date(NOW.getTime() + 15 * 60_000))).toMatchObject({ newlyRaised: 0, posted: false });
    expect(await reports()).toBe(reportsBefore);
    const signals = await sql`select severity::text, payload, repeat_count from bot_signals where signal_type = 'budget_exceeded' order by payload->>'bot'`;
    expect(signals.map((row) => [row['payload'].bot, row['severity'], row['repeat_count']])).toEqual([
      ['contentbot', 'alert', 2],
      ['salesbot', 'warning', 2],
    ]);
    const [post] = await sql`select text from channel_messages where bot = 'sysbot' order by sent_at desc limit 1`;
    expect(post?.['text']).toContain('LLM spend today (2026-11-25 UTC): $1.5000 of $2.00');
    expect(post?.['text']).toContain('contentbot: 1 calls, $0.5500 of $0.50 (110%)');
    expect(post?.['text']).toContain('salesbot: 1 calls, $0.8500 of $1.00 (85%)');
  });

  it("the LLM layer's refusal and the watchdog's alert for the same bot and day are one alert, not two", async () => {
    // contentbot is over its cap (previous test): its next call is refused before it is sent.
    const config = loadLlmConfig({ ...process.env, ANTHROPIC_API_KEY: 'sk-ant-unused', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' });
    const contentbot = buildBotServices(defineBot({ name: 'contentbot', purpose: 'test' }), {
      db,
      log: silent,
      host: 'test',
      llm: config,
      now: () => NOW,
    }).context(new AbortController().signal, silent, { job: 'content-calendar', runId: 'r2' });
    await expect(contentbot.llm.complete({ system: 's', prompt: 'p' })).rejects.toBeInstanceOf(BudgetExceededError);
    await run();
    const alerts =
      await sql`select source_bot, repeat_count from bot_signals where signal_type = 'budget_exceeded' and severity = 'alert' and payload->>'bot' = 'contentbot'`;
    // The refusal found the watchdog's alert under the shared key and raised nothing of its own.
    expect(alerts).toEqual([{ source_bot: 'sysbot', repeat_count: 3 }]);
  });
});
