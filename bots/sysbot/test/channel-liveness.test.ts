import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, readLastRun, type ChannelHealth, type Db, type FleetHeartbeat, type OperatorInstruction } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { channelLiveness, channelLivenessSettings, channelReadings, findChannelProblems } from '../src/jobs/channel-liveness.js';
import { answerOperator } from '../src/operator-replies.js';

const silent = pino({ level: 'silent' });
const config = channelLivenessSettings.load({});
const NOW = new Date('2026-12-01T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

const health = (overrides: Partial<ChannelHealth> & Pick<ChannelHealth, 'channel'>): ChannelHealth => ({
  state: 'up',
  lastReceivedAt: minutesAgo(1),
  lastSentAt: minutesAgo(1),
  lastOkAt: minutesAgo(0),
  failingSince: null,
  lastError: null,
  restarts: 0,
  checkedAt: minutesAgo(0),
  readings: {},
  ...overrides,
});
const heartbeat = (bot: string, channels: Record<string, ChannelHealth>, overrides: Partial<FleetHeartbeat> = {}): FleetHeartbeat => ({
  bot,
  host: 'vps-1',
  pid: 1,
  version: '1',
  started_at: minutesAgo(60),
  last_seen: minutesAgo(0),
  status: 'running',
  detail: { channels } as FleetHeartbeat['detail'],
  seconds_since_seen: 5,
  ...overrides,
});
const problems = (heartbeats: FleetHeartbeat[]) =>
  findChannelProblems(channelReadings(heartbeats, config), [], config, NOW).map((problem) => [problem.channel, problem.check, problem.since, problem.bots]);

describe('sysbot channel-liveness: the rules', () => {
  it('is declared on sysbot every 5 minutes with a timeout, skipping missed ticks', () => {
    expect(sysbot.jobs?.find((job) => job.id === 'channel-liveness')).toMatchObject({
      schedule: '*/5 * * * *',
      timeoutMs: 60_000,
      overlap: 'skip',
      missed: 'skip',
    });
  });

  it('takes the catalogue thresholds as defaults and names a bad variable', () => {
    expect(config).toMatchObject({
      CHANNEL_LIVENESS_PENDING_MINUTES: 30,
      CHANNEL_LIVENESS_PROBE_FAILURES: 3,
      CHANNEL_LIVENESS_GATEWAY_MINUTES: 2,
      CHANNEL_LIVENESS_REST_5XX: 5,
      CHANNEL_LIVENESS_OUTBOUND_MINUTES: 10,
    });
    expect(() => channelLivenessSettings.load({ CHANNEL_LIVENESS_GATEWAY_MINUTES: 'soon' })).toThrow(/CHANNEL_LIVENESS_GATEWAY_MINUTES/);
  });

  it('healthy channels, a standby inbox and a stale heartbeat raise nothing', () => {
    expect(
      problems([
        heartbeat('jbot', { telegram: health({ channel: 'telegram' }), discord: health({ channel: 'discord' }) }),
        heartbeat('jbot', { telegram: health({ channel: 'telegram', state: 'stopped' }) }, { host: 'vps-2' }),
        heartbeat('opsbot', { discord: health({ channel: 'discord', state: 'down', failingSince: minutesAgo(30) }) }, { seconds_since_seen: 600 }),
        // Failing, but for less than the thresholds: the process is still healing it.
        heartbeat('salesbot', { discord: health({ channel: 'discord', state: 'failing', failingSince: minutesAgo(1) }) }),
        heartbeat('shipbot', { telegram: health({ channel: 'telegram', state: 'failing', failingSince: minutesAgo(4) }) }),
        heartbeat('adsbot', { telegram: health({ channel: 'telegram', lastReceivedAt: minutesAgo(29), readings: { pending_updates: 2 } }) }),
      ]),
    ).toEqual([]);
  });

  it("a reading is judged on its own process's clock: sysbot's tick two days ahead (a simulated day, a skewed host) finds nothing", () => {
    const reading = channelReadings(
      [
        heartbeat('jbot', {
          telegram: health({ channel: 'telegram', readings: { pending_updates: 1 } }),
          discord: health({ channel: 'discord', state: 'failing', failingSince: minutesAgo(1) }),
        }),
      ],
      config,
    );
    expect(findChannelProblems(reading, [], config, new Date(NOW.getTime() + 2 * 86_400_000))).toEqual([]);
  });

  it('Telegram: down after restarts, failing 10 min, updates pending 30 min unreceived, probes failing 3x', () => {
    expect(problems([heartbeat('jbot', { telegram: health({ channel: 'telegram', state: 'down', failingSince: minutesAgo(5), restarts: 2 }) })])).toEqual([
      ['telegram', 'receiving', minutesAgo(5), ['jbot']],
    ]);
    expect(problems([heartbeat('jbot', { telegram: health({ channel: 'telegram', state: 'failing', failingSince: minutesAgo(11) }) })])).toEqual([
      ['telegram', 'receiving', minutesAgo(11), ['jbot']],
    ]);
    expect(
      problems([
        heartbeat('jbot', { telegram: health({ channel: 'telegram', lastReceivedAt: minutesAgo(31), readings: { pending_updates: 3, probe_failures: 3 } }) }),
      ]),
    ).toEqual([
      ['telegram', 'pending_unprocessed', minutesAgo(31), ['jbot']],
      ['telegram', 'probe', minutesAgo(0), ['jbot']],
    ]);
  });

  it('Discord: gateways not ready 2 min are one problem across bots, from the earliest; 5 REST 5xx in 10 min', () => {
    expect(
      problems([
        heartbeat('jbot', { discord: health({ channel: 'discord', state: 'failing', failingSince: minutesAgo(3) }) }),
        heartbeat('opsbot', { discord: health({ channel: 'discord', state: 'down', failingSince: minutesAgo(4), restarts: 1 }) }),
        heartbeat('sysbot', { discord: health({ channel: 'discord', readings: { rest_5xx_10min: 5 } }) }),
      ]),
    ).toEqual([
      ['discord', 'gateway', minutesAgo(4), ['jbot', 'opsbot']],
      ['discord', 'rest_5xx', minutesAgo(10), ['sysbot']],
    ]);
  });
});

describe('sysbot channel-liveness on the brain', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const services = () => buildBotServices(sysbot, { db, log: silent, host: 'vps-1' });
  let runs = 0;

  const run = async (manual = false) => {
    runs += 1;
    const scheduledFor = new Date(Date.now() - 3600_000 + runs * 1000);
    const [claim] = await db.rpc<{ run_id: string }>('claim_cron_run', {
      p_bot: 'sysbot',
      p_job: 'channel-liveness',
      p_scheduled_for: scheduledFor.toISOString(),
      p_host: 'vps-1',
      p_pid: 1,
    });
    const runId = claim?.run_id ?? '';
    const context = services().context(new AbortController().signal, silent, { job: 'channel-liveness', runId });
    const result = (await channelLiveness.run({
      ...context,
      config,
      job: 'channel-liveness',
      runId,
      scheduledFor,
      attempt: 1,
      manual,
      idempotencyKey: runId,
      lastRun: () => readLastRun(db, 'sysbot', 'channel-liveness', scheduledFor),
    })) as { outcome: string; fingerprint: string; detail: Record<string, unknown> };
    await db.rpc('record_cron_run_result', { p_run_id: runId, p_result: result.detail, p_outcome: result.outcome, p_fingerprint: result.fingerprint });
    await db.rpc('finish_cron_run', { p_run_id: runId, p_status: 'succeeded' });
    return { ...result, scheduledFor, context };
  };
  const beat = (bot: string, channels: Record<string, ChannelHealth>) =>
    db.rpc('beat_heartbeat', {
      p_bot: bot,
      p_host: 'vps-1',
      p_pid: 1,
      p_version: '1',
      p_started_at: new Date(),
      p_status: 'running',
      p_detail: { channels },
    });

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 2 });
  });
  afterAll(async () => {
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('local channels only: nothing to report, and a manual run says so in one line', async () => {
    expect((await run()).outcome).toBe('nothing to report');
    await run(true);
    const [post] = await sql`select text from channel_messages where bot = 'sysbot' order by created_at desc limit 1`;
    expect(post?.['text']).toContain('No live process reports a channel connection');
  });

  it('a Telegram inbox down is one critical channel_down across runs, the reply explains it, its end is noted once', async () => {
    const runAt = new Date(Date.now() - 3600_000);
    const since = new Date(runAt.getTime() - 6 * 60_000).toISOString();
    await beat('jbot', {
      telegram: {
        ...health({ channel: 'telegram' }),
        state: 'down',
        failingSince: since,
        restarts: 3,
        lastError: 'getUpdates 409: Conflict: terminated by other getUpdates request',
      },
    });
    const first = await run();
    expect(first.outcome).toBe('telegram down (receiving), 1 newly raised');
    expect((await run()).outcome).toBe('telegram down (receiving), 0 newly raised');
    // The network to Telegram is gone altogether: the probes fail too, and it is still the same outage.
    await beat('jbot', {
      telegram: {
        ...health({ channel: 'telegram' }),
        state: 'down',
        failingSince: since,
        restarts: 4,
        lastError: 'getUpdates 409: Conflict: terminated by other getUpdates request',
        readings: { probe_failures: 3, probe_error: 'HttpError: Network request for getMe failed' },
      },
    });
    expect((await run()).outcome).toBe('telegram down (receiving, probe), 0 newly raised');
    const raised = await sql`select id::text, severity::text, payload from bot_signals where signal_type = 'channel_down'`;
    expect(raised).toHaveLength(1);
    expect(raised[0]?.['severity']).toBe('critical');
    expect(raised[0]?.['payload']).toMatchObject({ channel: 'telegram', check: 'receiving', since, bots: ['jbot'] });
    // Its detail post is the #sys-bot line, once.
    expect(await sql`select 1 from channel_messages where signal_id = ${String(raised[0]?.['id'])}`).toHaveLength(1);

    const instruction: OperatorInstruction = {
      text: 'why?',
      operatorMessageId: 'm',
      signalId: String(raised[0]?.['id']),
      approvalId: null,
      instructionSignalId: 'i',
      channel: 'discord',
      senderId: '42',
    };
    expect(await answerOperator(instruction, first.context)).toMatch(
      /^Telegram receiving down since .*: jbot@vps-1: not receiving .* after 3 restart\(s\).*Now: jbot@vps-1 down .*What to do: another process polls with this bot token/,
    );

    await beat('jbot', { telegram: health({ channel: 'telegram' }) });
    expect((await run()).outcome).toBe('1 channel outage(s) over');
    expect((await run()).outcome).toBe('nothing to report');
    const notes = await sql`select payload from bot_signals where signal_type = 'bot_note' and payload->'detail'->>'kind' = 'channel_recovered'`;
    expect(notes).toHaveLength(1);
    expect(String((notes[0]?.['payload'] as { text: string }).text)).toMatch(/^Telegram receiving again: the receiving outage that began .* is over/);
  });

  it('operator lines queued for Telegram over 10 minutes are an outbound channel_down; a line just queued is not', async () => {
    await db.rpc('enqueue_telegram_message', {
      p_chat_id: '1001',
      p_bot: 'jbot',
      p_text: 'a line on its way',
      p_body: { kind: 'note' },
      p_reply_to_external_message_id: null,
      p_idempotency_key: 'fresh-line',
    });
    expect((await run()).outcome).toBe('nothing to report');
    await db.rpc('enqueue_telegram_message', {
      p_chat_id: '1001',
      p_bot: 'jbot',
      p_text: 'a line Telegram will not take',
      p_body: { kind: 'note' },
      p_reply_to_external_message_id: null,
      p_idempotency_key: 'stuck-line',
    });
    await sql`update telegram_outbox set created_at = now() - interval '2 hours', error = 'Telegram send failed (500): Internal Server Error' where idempotency_key = 'stuck-line'`;
    const result = await run();
    expect(result.outcome).toBe('telegram down (outbound), 1 newly raised');
    const [raised] = await sql`select payload from bot_signals where signal_type = 'channel_down' and payload->>'check' = 'outbound'`;
    expect(String((raised?.['payload'] as { detail: string }).detail)).toMatch(
      /^1 operator line\(s\) queued for over 10 min .*last error: Telegram send failed \(500\)/,
    );
  });
});
