import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, LLM_KILL_SWITCH_KEY, readLastRun, type Db, type OperatorInstruction } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { llmUsageAnomaly, llmUsageAnomalySettings } from '../src/jobs/llm-usage-anomaly.js';
import { answerOperator } from '../src/operator-replies.js';

const silent = pino({ level: 'silent' });

describe('sysbot llm-usage-anomaly', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  // The tick: a minute from now, so calls recorded now fall in the hour before it.
  const tick = new Date(Date.now() + 60_000);
  const config = llmUsageAnomalySettings.load({});
  const services = () => buildBotServices(sysbot, { db, log: silent, host: 'vps-1' });
  let runs = 0;

  // One model call as the LLM layer records it (a reservation settled with the real cost), optionally hours ago.
  const call = async (bot: string, job: string, runId: string, tokens: number, usd: number, hoursAgo = 0) => {
    const [reserved] = await db.rpc<{ reservation_id: string }>('reserve_llm_budget', {
      p_bot: bot,
      p_job: job,
      p_run_id: runId,
      p_model: 'claude-haiku-5-5',
      p_estimate_usd: usd,
      p_bot_cap_usd: 100,
      p_fleet_cap_usd: 100,
    });
    await db.rpc('record_llm_usage', {
      p_reservation_id: reserved?.reservation_id,
      p_model: 'claude-haiku-5-5',
      p_input_tokens: tokens - 100,
      p_output_tokens: 100,
      p_cache_write_tokens: 0,
      p_cache_read_tokens: 0,
      p_cost_usd: usd,
    });
    if (hoursAgo > 0) await sql`update llm_usage set created_at = now() - make_interval(hours => ${hoursAgo}) where id = ${reserved?.reservation_id ?? ''}`;
  };
  const run = async () => {
    runs += 1;
    const scheduledFor = new Date(tick.getTime() - 120_000 + runs * 1000);
    const [claim] = await db.rpc<{ run_id: string }>('claim_cron_run', {
      p_bot: 'sysbot',
      p_job: 'llm-usage-anomaly',
      p_scheduled_for: scheduledFor.toISOString(),
      p_host: 'vps-1',
      p_pid: 1,
    });
    const runId = claim?.run_id ?? '';
    const context = services().context(new AbortController().signal, silent, { job: 'llm-usage-anomaly', runId });
    const result = (await llmUsageAnomaly.run({
      ...context,
      config,
      job: 'llm-usage-anomaly',
      runId,
      scheduledFor: tick,
      attempt: 1,
      manual: false,
      idempotencyKey: 'k',
      lastRun: () => readLastRun(db, 'sysbot', 'llm-usage-anomaly', scheduledFor),
    })) as { outcome: string; fingerprint: string; detail: { anomalies: string[]; jobs: number } };
    await db.rpc('record_cron_run_result', { p_run_id: runId, p_result: {}, p_outcome: result.outcome, p_fingerprint: result.fingerprint });
    await db.rpc('finish_cron_run', { p_run_id: runId, p_status: 'succeeded' });
    return result;
  };

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 1 });
    // History: each job's busiest hour in the last week.
    await call('salesbot', 'follow-ups', 'h1', 10_000, 0.05, 30);
    await call('contentbot', 'seo-audit', 'h2', 10_000, 0.005, 30);
    await call('mktgbot', 'weekly-mix', 'h3', 20_000, 0.2, 50);
    // Planted: follow-ups at 5 × its busiest hour, $0.25.
    for (let index = 0; index < 5; index += 1) await call('salesbot', 'follow-ups', `now-${index}`, 10_000, 0.05);
    // Healthy: 5 × too, but $0.025 — too cheap to matter; weekly-mix at 1.5 × its busiest hour.
    for (let index = 0; index < 5; index += 1) await call('contentbot', 'seo-audit', `now-${index}`, 10_000, 0.005);
    await call('mktgbot', 'weekly-mix', 'now', 30_000, 0.3);
    // Planted: one run that called the model 8 times (LLM_MAX_STEPS 8, 80% = 6.4).
    for (let index = 0; index < 8; index += 1) await call('jbot', 'inbox-triage', 'loop-run', 500, 0.001);
  });
  afterAll(async () => {
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('is declared on sysbot hourly at :05 with a timeout', () => {
    expect(sysbot.jobs?.find((job) => job.id === 'llm-usage-anomaly')).toMatchObject({
      schedule: '5 * * * *',
      timeoutMs: 60_000,
      overlap: 'skip',
      missed: 'skip',
    });
  });

  it('finds the job far above its busiest hour and the runaway run; the cheap and the moderate ones are not flagged', async () => {
    const result = await run();
    expect(result.detail).toMatchObject({ jobs: 4, anomalies: ['steps jbot/inbox-triage', 'tokens salesbot/follow-ups'] });
    const signals = await sql`select severity::text, payload from bot_signals where signal_type = 'llm_anomaly' order by payload->>'bot'`;
    expect(signals.map((row) => [row['payload'].bot, row['payload'].kind, row['severity']])).toEqual([
      ['jbot', 'steps', 'alert'],
      ['salesbot', 'tokens', 'alert'],
    ]);
    expect(signals[1]?.['payload']).toMatchObject({ job: 'follow-ups', tokens_hour: 50_000, baseline: 10_000, cost_usd: 0.25, calls: 5 });
    expect(signals[0]?.['payload']).toMatchObject({ run_id: 'loop-run', run_calls: 8 });
    const [post] = await sql`select text from channel_messages where bot = 'sysbot' order by sent_at desc limit 1`;
    expect(post?.['text']).toContain('salesbot/follow-ups: 50000 tokens in 5 calls last hour, 5.0× its busiest hour (10000 tokens); $0.2500');
    expect(post?.['text']).toContain('jbot/inbox-triage: run loop-run made 8 model calls in the hour');
  });

  it('the same runaway at the next check is one signal and one post', async () => {
    const posts = async () => (await sql`select count(*)::int as n from channel_messages where bot = 'sysbot'`)[0]?.['n'] as number;
    const before = await posts();
    expect((await run()).outcome).toBe('2 LLM runaways, unchanged since the last run (not reposted)');
    expect(await posts()).toBe(before);
    expect((await sql`select repeat_count from bot_signals where signal_type = 'llm_anomaly'`).map((row) => row['repeat_count'])).toEqual([2, 2]);
  });

  it('the operator\'s reply explains the anomaly; "kill switch" turns the fleet\'s LLM kill switch on', async () => {
    const [signal] = await sql`select id from bot_signals where signal_type = 'llm_anomaly' and payload->>'kind' = 'tokens'`;
    const context = services().context(new AbortController().signal, silent, { job: 'operator', runId: 'o' });
    const instruction = (text: string): OperatorInstruction => ({
      text,
      operatorMessageId: 'm',
      signalId: signal?.['id'] as string,
      approvalId: null,
      instructionSignalId: 'i',
      channel: 'telegram',
      senderId: '42',
    });
    expect(await answerOperator(instruction('what is this?'), context)).toMatch(
      /^salesbot\/follow-ups: 50000 tokens in the hour from .+ against a busiest hour of 10000 over its history, \$0\.2500\. .*Reply "kill switch"/,
    );
    expect(await sql`select count(*)::int as n from fleet_settings where key = ${LLM_KILL_SWITCH_KEY}`).toEqual([{ n: 0 }]);
    expect(await answerOperator(instruction('kill switch please'), context)).toContain('LLM kill switch on for the whole fleet');
    expect((await sql`select value, updated_by from fleet_settings where key = ${LLM_KILL_SWITCH_KEY}`)[0]).toEqual({
      value: { enabled: true },
      updated_by: 'operator:42 via sysbot',
    });
  });
});
