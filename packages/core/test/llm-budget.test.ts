import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { createPostgresDb, defineBot, loadLlmConfig, startBot, type Db } from '@jbot/core';
import { freshDatabase, startFakeAnthropic, waitFor, type FakeAnthropic, type TestDatabase } from '@jbot/testkit';

const silent = pino({ level: 'silent' });
const NOW = '2026-11-25T12:00:00Z';

interface Reservation {
  [column: string]: unknown;
  allowed: boolean;
  scope: string | null;
  reservation_id: string | null;
}

// The budget is decided in the brain, so it must hold across processes: each Db pool here is
// what one bot process on one host would have.
describe('LLM budget reservations in the brain (real Postgres)', () => {
  let database: TestDatabase;
  let hostA: Db;
  let hostB: Db;
  let sql: postgres.Sql;
  let anthropic: FakeAnthropic;

  const reserve = (db: Db, bot: string, estimate: number, extra: Record<string, unknown> = {}) =>
    db
      .rpc<Reservation>('reserve_llm_budget', {
        p_bot: bot,
        p_job: 'test',
        p_run_id: null,
        p_model: 'claude-haiku-5-5',
        p_estimate_usd: estimate,
        p_bot_cap_usd: 0.05,
        p_fleet_cap_usd: 0.08,
        p_now: NOW,
        ...extra,
      })
      .then((rows) => rows[0]);
  const settle = (db: Db, reservationId: string | null, cost: number) =>
    db.rpc('record_llm_usage', {
      p_reservation_id: reservationId,
      p_model: 'claude-haiku-5-5',
      p_input_tokens: 100,
      p_output_tokens: 10,
      p_cache_write_tokens: 0,
      p_cache_read_tokens: 0,
      p_cost_usd: cost,
    });

  beforeAll(async () => {
    database = await freshDatabase();
    hostA = createPostgresDb({ url: database.url, poolMax: 6, applicationName: 'vps-1' });
    hostB = createPostgresDb({ url: database.url, poolMax: 6, applicationName: 'vps-2' });
    sql = postgres(database.url, { max: 1 });
    anthropic = await startFakeAnthropic();
  });
  beforeEach(async () => {
    await sql`delete from llm_usage`;
    await sql`delete from bot_signals`;
  });
  afterAll(async () => {
    await anthropic.close();
    await sql.end();
    await hostA.close();
    await hostB.close();
    await database.drop();
  });

  it('twenty concurrent reservations from two hosts: exactly as many pass as the cap holds', async () => {
    // $0.01 each against a $0.05 bot cap: five fit, and no race lets a sixth through.
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, index) => reserve(index % 2 === 0 ? hostA : hostB, 'salesbot', 0.01)));
    expect(outcomes.filter((outcome) => outcome?.allowed)).toHaveLength(5);
    expect(outcomes.filter((outcome) => outcome?.allowed === false).every((outcome) => outcome?.scope === 'bot' && outcome.reservation_id === null)).toBe(true);
    const [held] = await sql`select count(*)::int as rows, sum(reserved_usd)::float8 as usd from llm_usage where status = 'reserved'`;
    expect(held).toEqual({ rows: 5, usd: 0.05 });

    // The fleet cap ($0.08) binds across bots the same way: three more from jbot fit, not five.
    const jbot = await Promise.all(Array.from({ length: 6 }, (_, index) => reserve(index % 2 === 0 ? hostA : hostB, 'jbot', 0.01)));
    expect(jbot.filter((outcome) => outcome?.allowed)).toHaveLength(3);
    expect(jbot.filter((outcome) => outcome?.allowed === false).map((outcome) => outcome?.scope)).toEqual(['fleet', 'fleet', 'fleet']);
  });

  it('settling gives back the unused estimate; a released reservation counts nothing', async () => {
    const first = await reserve(hostA, 'salesbot', 0.04);
    expect(await reserve(hostB, 'salesbot', 0.02)).toMatchObject({ allowed: false, scope: 'bot' });
    await settle(hostA, first?.reservation_id ?? null, 0.003);
    const second = await reserve(hostB, 'salesbot', 0.02);
    expect(second).toMatchObject({ allowed: true });
    await hostB.rpc('release_llm_budget', { p_reservation_id: second?.reservation_id });
    const [today] = await hostA.rpc<{ bot: string; calls: number; cost_usd: number }>('llm_spend_today', { p_now: NOW });
    expect(today).toMatchObject({ bot: 'salesbot', calls: 1, cost_usd: 0.003 });
  });

  it("a crashed call's reservation is given back once its hold has passed; a late answer still settles at its real cost", async () => {
    // A process killed mid-call: its reservation is never settled or released.
    const crashed = await reserve(hostA, 'salesbot', 0.05, { p_hold_seconds: 0 });
    expect(crashed).toMatchObject({ allowed: true });
    // A live one (the default hold) keeps blocking…
    const live = await reserve(hostA, 'jbot', 0.05);
    expect(await reserve(hostB, 'jbot', 0.01)).toMatchObject({ allowed: false, scope: 'bot' });
    // …the dead one does not: the next decision releases it.
    expect(await reserve(hostB, 'salesbot', 0.01)).toMatchObject({ allowed: true });
    const [released] = await sql`select status from llm_usage where id = ${crashed?.reservation_id ?? ''}`;
    expect(released).toEqual({ status: 'released' });
    expect((await hostA.rpc<{ bot: string; cost_usd: number }>('llm_spend_today', { p_now: NOW })).map((row) => [row.bot, row.cost_usd])).toEqual([
      ['jbot', 0.05],
      ['salesbot', 0.01],
    ]);
    // If the "crashed" call was only slow, its answer is still recorded and priced.
    await settle(hostA, crashed?.reservation_id ?? null, 0.002);
    const [settled] = await sql`select status, cost_usd::float8 as cost_usd from llm_usage where id = ${crashed?.reservation_id ?? ''}`;
    expect(settled).toEqual({ status: 'settled', cost_usd: 0.002 });
    expect(live?.allowed).toBe(true);
  });

  it('llm_spend_today follows the UTC day of p_now; list_llm_costs groups settled calls by bot, job or model since a time', async () => {
    const rows = [
      { bot: 'salesbot', job: 'hubspot-sync', model: 'claude-haiku-5-5', cost: 0.002 },
      { bot: 'salesbot', job: 'on:operator_instruction', model: 'claude-sonnet-5-5', cost: 0.01 },
      { bot: 'jbot', job: 'service', model: 'claude-haiku-5-5', cost: 0.001 },
    ];
    for (const row of rows) {
      const [reserved] = await hostA.rpc<Reservation>('reserve_llm_budget', {
        p_bot: row.bot,
        p_job: row.job,
        p_run_id: 'r',
        p_model: row.model,
        p_estimate_usd: 0.02,
        p_bot_cap_usd: 1,
        p_fleet_cap_usd: 1,
        p_now: NOW,
      });
      await hostA.rpc('record_llm_usage', {
        p_reservation_id: reserved?.reservation_id,
        p_model: row.model,
        p_input_tokens: 1000,
        p_output_tokens: 50,
        p_cache_write_tokens: 0,
        p_cache_read_tokens: 2000,
        p_cost_usd: row.cost,
      });
    }
    expect(
      (await hostA.rpc<{ bot: string; calls: number; cost_usd: number; day: string }>('llm_spend_today', { p_now: NOW })).map((row) => [
        row.bot,
        row.calls,
        row.cost_usd,
        row.day.slice(0, 10),
      ]),
    ).toEqual([
      ['jbot', 1, 0.001, '2026-11-25'],
      ['salesbot', 2, 0.012, '2026-11-25'],
    ]);
    expect(await hostA.rpc('llm_spend_today', { p_now: '2026-11-26T00:00:00Z' })).toEqual([]);
    const since = new Date(Date.now() - 3600_000).toISOString();
    const by = async (group: string) =>
      (await hostA.rpc<{ grp: string; calls: number; cache_read_tokens: number; cost_usd: number }>('list_llm_costs', { p_since: since, p_by: group })).map(
        (row) => [row.grp, row.calls, row.cache_read_tokens, row.cost_usd],
      );
    expect(await by('bot')).toEqual([
      ['salesbot', 2, 4000, 0.012],
      ['jbot', 1, 2000, 0.001],
    ]);
    expect(await by('job')).toEqual([
      ['salesbot/on:operator_instruction', 1, 2000, 0.01],
      ['salesbot/hubspot-sync', 1, 2000, 0.002],
      ['jbot/service', 1, 2000, 0.001],
    ]);
    expect(await by('model')).toEqual([
      ['claude-sonnet-5-5', 1, 2000, 0.01],
      ['claude-haiku-5-5', 2, 4000, 0.003],
    ]);
    expect(await hostA.rpc('list_llm_costs', { p_since: new Date(Date.now() + 3600_000).toISOString(), p_by: 'bot' })).toEqual([]);
  });

  it('a job whose call is over the cap fails with BudgetExceededError as its reason; nothing reaches the API; one alert', async () => {
    const llm = loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url, LLM_BOT_BUDGETS_USD: 'salesbot=0.0001' });
    const running = await startBot(
      defineBot({
        name: 'salesbot',
        purpose: 'budget test',
        jobs: [
          {
            id: 'weekly-review',
            schedule: '0 0 1 1 *',
            timeoutMs: 10_000,
            run: (context) => context.llm.complete({ tier: 'smart', system: 'Review the pipeline.', prompt: 'What needs the operator?' }),
          },
        ],
      }),
      {
        db: hostA,
        log: silent,
        llm,
        config: {
          hostId: 'vps-1',
          timeZone: 'UTC',
          heartbeatIntervalMs: 60_000,
          shutdownGraceMs: 1000,
          signals: { pollMs: 200, leaseMs: 5000, maxAttempts: 3, concurrency: 2 },
          scheduler: { leaseMs: 5000, checkIntervalMs: 100, missedAfterMs: 60_000 },
        },
      },
    );
    try {
      for (let index = 0; index < 2; index += 1) {
        const [request] = await hostB.rpc<{ run_id: string }>('request_manual_run', { p_bot: 'salesbot', p_job: 'weekly-review', p_requested_by: 'test' });
        const run = await waitFor(async () => {
          const [row] = await sql`select status, error from cron_runs where id = ${request?.run_id ?? ''} and status not in ('requested', 'running')`;
          return row;
        });
        expect(run).toMatchObject({ status: 'failed' });
        expect(String(run['error'])).toMatch(
          /^BudgetExceededError: LLM budget exceeded: salesbot has spent \$0\.0000 of its \$0\.0001 daily cap \(\d{4}-\d{2}-\d{2} UTC\); this call \(~\$0\.\d{4}\) was not sent\. It resumes at 00:00 UTC, or raise LLM_BOT_BUDGETS_USD/,
        );
      }
    } finally {
      await running.stop();
    }
    expect(anthropic.requests).toHaveLength(0);
    const alerts = await sql`select source_bot, severity::text, payload->>'bot' as bot, repeat_count from bot_signals where signal_type = 'budget_exceeded'`;
    expect(alerts).toEqual([{ source_bot: 'salesbot', severity: 'alert', bot: 'salesbot', repeat_count: 2 }]);
    expect(await sql`select 1 from llm_usage`).toHaveLength(0);
  });
});
