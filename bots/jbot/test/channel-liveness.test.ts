import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import {
  buildBotServices,
  catalogSignalTypes,
  createPostgresDb,
  readLastRun,
  SignalRegistry,
  startBot,
  type ChannelHealth,
  type Db,
  type RunningBot,
} from '@jbot/core';
import { createDiscordChannel, type TelegramTransport } from '@jbot/channels';
import {
  freshDatabase,
  ManualClock,
  startFakeDiscord,
  startTelegramEmulator,
  testBotConfig,
  waitFor,
  type FakeDiscord,
  type TelegramEmulator,
  type TestDatabase,
} from '@jbot/testkit';
import { channelLiveness, channelLivenessSettings, signalTypes as sysbotSignals, sysbot } from '@jbot/sysbot';
import { createJbot } from '../src/index.js';

const OPERATOR = 1001;
const JBOT_CHANNEL = '100000000000000010';
const SYSBOT_CHANNEL = '100000000000000020';
const registry = new SignalRegistry([...catalogSignalTypes, ...sysbotSignals]);
const fleet = [
  { name: 'jbot', channel: '#jbot', purpose: '' },
  { name: 'sysbot', channel: '#sys-bot', purpose: '' },
];
const SECOND = 1000;
const MINUTE = 60 * SECOND;

// The whole loop on one fake clock: jbot polls the telegram-test-api emulator with grammY and
// holds a discord.js gateway session on the testkit's Discord; their watchdogs and sysbot's
// channel-liveness run on a ManualClock the test moves in 30 s steps, waiting for each check.
describe('channel liveness: a dead channel is healed where it can be and reported once through the other one', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let emulator: TelegramEmulator;
  let discord: FakeDiscord;
  let jbot: RunningBot;
  let transport: TelegramTransport;
  // Behind the database's clock, so every tick it plays is one the brain lets sysbot claim.
  const clock = new ManualClock(Date.now() - 3 * 3600 * SECOND);
  const log = pino({ level: 'silent' });
  // jbot's own error lines: a dead Telegram is also said on its console (journald, the start terminal).
  const consoleLines: string[] = [];
  const jbotLog = pino({ level: 'error' }, { write: (line: string) => void consoleLines.push(String((JSON.parse(line) as { msg: string }).msg)) });
  let sysbotServices: ReturnType<typeof buildBotServices>;
  let runs = 0;

  const telegramHealth = (): ChannelHealth => {
    const health = transport.health?.();
    if (health === undefined) throw new Error('the grammY transport reports no health');
    return health;
  };
  const discordHealth = (): ChannelHealth => {
    const health = jbot.channel.health?.();
    if (health === undefined) throw new Error('the Discord channel reports no health');
    return health;
  };
  // Move the fake clock in 30 s steps, letting each watchdog check finish before the next. While
  // Telegram is meant to be healthy, each step also waits for a getUpdates answered at the new time
  // (real polls come back every 50 ms; the fake clock would otherwise outrun them).
  const advance = async (milliseconds: number, options: { telegramUp?: boolean } = {}) => {
    for (let moved = 0; moved < milliseconds; moved += 30 * SECOND) {
      clock.advance(30 * SECOND);
      const now = new Date(clock.now()).toISOString();
      await transport.settled?.();
      await waitFor(() => discordHealth().checkedAt === now, { what: 'the Discord watchdog looked' });
      if (options.telegramUp === true) await waitFor(() => telegramHealth().lastOkAt === now, { what: 'a getUpdates answered' });
    }
  };
  // One channel-liveness run at the fake clock's time, after a fresh heartbeat from jbot.
  const runLiveness = async () => {
    await jbot.heartbeat.beat();
    runs += 1;
    const scheduledFor = new Date(clock.now() + runs);
    const [claim] = await db.rpc<{ run_id: string }>('claim_cron_run', {
      p_bot: 'sysbot',
      p_job: 'channel-liveness',
      p_scheduled_for: scheduledFor.toISOString(),
      p_host: 'test-host',
      p_pid: 1,
    });
    const runId = claim?.run_id ?? '';
    const context = sysbotServices.context(new AbortController().signal, log, { job: 'channel-liveness', runId });
    const result = (await channelLiveness.run({
      ...context,
      config: channelLivenessSettings.load({}),
      job: 'channel-liveness',
      runId,
      scheduledFor,
      attempt: 1,
      manual: false,
      idempotencyKey: runId,
      lastRun: () => readLastRun(db, 'sysbot', 'channel-liveness', scheduledFor),
    })) as { outcome: string; fingerprint: string; detail: { open: unknown[]; raised: number } };
    await db.rpc('record_cron_run_result', { p_run_id: runId, p_result: result.detail, p_outcome: result.outcome, p_fingerprint: result.fingerprint });
    await db.rpc('finish_cron_run', { p_run_id: runId, p_status: 'succeeded' });
    return result;
  };
  const sysBotPosts = (pattern: RegExp) =>
    discord.channelMessages(SYSBOT_CHANNEL).filter((message) => message.embeds.some((embed) => pattern.test(JSON.stringify(embed))));
  const operatorLines = (pattern: RegExp) => emulator.botMessages(OPERATOR).filter((message) => pattern.test(message.text));
  const channelDownSignals = async (channel: string) =>
    (await sql`select id::text, payload from bot_signals where signal_type = 'channel_down' and payload->>'channel' = ${channel} order by created_at`).map(
      (row) => ({ id: String(row['id']), payload: row['payload'] as { check: string; since: string } }),
    );
  // The operator writes while a channel is dead: it is handled once, whenever receiving works again.
  const handledOnce = async (updateId: number) => {
    await waitFor(async () => (await sql`select status from operator_messages where external_update_id = ${String(updateId)}`)[0]?.['status'] === 'handled', {
      what: `operator update ${updateId} handled`,
      timeoutMs: 30_000,
    });
    expect(await sql`select 1 from operator_messages where external_update_id = ${String(updateId)}`).toHaveLength(1);
  };

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 8 });
    sql = postgres(database.url, { max: 2 });
    emulator = await startTelegramEmulator({ longPollMs: 50 });
    discord = await startFakeDiscord();
    const discordConfig = (channelId: string) => ({
      token: discord.token,
      apiBase: discord.apiBase,
      channelId,
      approverUserIds: new Set<string>(),
      approverRoleIds: new Set<string>(),
    });
    const jbotChannel = await createDiscordChannel({ config: discordConfig(JBOT_CHANNEL), db, bot: 'jbot', log, clock });
    const definition = createJbot({
      env: {
        TELEGRAM_BOT_TOKEN: emulator.token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        TELEGRAM_OPERATOR_CHAT_IDS: String(OPERATOR),
        TELEGRAM_MIN_INTERVAL_MS: '0',
        FLEET_TZ: 'UTC',
      },
      now: () => new Date('2026-11-25T12:00:00Z'),
      livenessClock: clock,
      onTelegram: (service) => (transport = service.transport),
    });
    jbot = await startBot(definition, { db, config: testBotConfig(), log: jbotLog, registry, fleet, channel: jbotChannel });
    // sysbot posts through its own Discord channel (REST only: its gateway is not what this test watches).
    const sysbotChannel = await createDiscordChannel({ config: discordConfig(SYSBOT_CHANNEL), db, bot: 'sysbot', log, clock });
    sysbotServices = buildBotServices(sysbot, { db, log, host: 'test-host', registry, channel: sysbotChannel, fleet });
    await waitFor(() => emulator.answeredPolls() > 0, { what: 'jbot polling' });
  });
  afterAll(async () => {
    await jbot?.stop();
    await sysbotServices?.channel.close();
    await emulator?.close();
    await discord?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('healthy channels: both up in the heartbeat, nothing raised', async () => {
    await advance(60 * SECOND, { telegramUp: true });
    expect(telegramHealth()).toMatchObject({ channel: 'telegram', state: 'up', failingSince: null, restarts: 0 });
    expect(discordHealth()).toMatchObject({ channel: 'discord', state: 'up', failingSince: null });
    const result = await runLiveness();
    expect(result.outcome).toBe('nothing to report');
    const [beat] = await sql`select detail from bot_heartbeats where bot = 'jbot'`;
    expect(Object.keys((beat?.['detail'] as { channels: object }).channels).sort()).toEqual(['discord', 'telegram']);
  });

  it('one 409 stops grammY for good; the watchdog restarts polling, the operator is answered, nothing is raised', async () => {
    const raisedBefore = (await channelDownSignals('telegram')).length;
    emulator.fail({ method: 'getUpdates', status: 409, description: 'Conflict: terminated by other getUpdates request', times: 1 });
    // grammY gives up on a 409 (bot.start() rejects): the transport records it, and nothing polls until the watchdog restarts it.
    await waitFor(() => telegramHealth().state === 'failing' && telegramHealth().lastError?.startsWith('long polling stopped'), {
      what: 'grammY stopped by the 409',
    });
    const sent = await emulator.sendText(OPERATOR, 'hello after the conflict');
    await waitFor(
      async () => {
        await advance(30 * SECOND);
        return telegramHealth().state === 'up';
      },
      { what: 'polling restarted', timeoutMs: 20_000 },
    );
    await handledOnce(sent.updateId);
    expect(telegramHealth().lastError).toMatch(/409/);
    await runLiveness();
    expect(await channelDownSignals('telegram')).toHaveLength(raisedBefore);
  });

  it('a dropped gateway connection that Discord answers again is resumed by discord.js: nothing raised', async () => {
    const connections = discord.gatewayConnections();
    discord.killGateway();
    await waitFor(() => discord.gatewayConnections() > connections && discordHealth().state === 'up' && discord.readySessions() >= 1, {
      what: 'discord.js reconnected by itself',
    });
    await advance(3 * MINUTE, { telegramUp: true });
    expect(discordHealth()).toMatchObject({ state: 'up', restarts: 0 });
    await runLiveness();
    expect(await channelDownSignals('discord')).toHaveLength(0);
  });

  for (const outage of [
    { name: 'answers getUpdates with 500', fault: { method: 'getUpdates', status: 500, description: 'Internal Server Error' } },
    { name: 'answers getUpdates with 409', fault: { method: 'getUpdates', status: 409, description: 'Conflict: terminated by other getUpdates request' } },
    { name: 'stops answering getUpdates', fault: { method: 'getUpdates', status: 0, hang: true } },
  ])
    it(`Telegram ${outage.name} for 10 minutes: restarted, raised once on Discord #sys-bot (not on Telegram), recovered, the operator's message handled once`, async () => {
      const before = (await channelDownSignals('telegram')).length;
      const failedBefore = emulator.failedCalls().length;
      emulator.fail(outage.fault);
      // The poll in flight when the fault began has come back: the operator's message waits at Telegram.
      await waitFor(() => emulator.failedCalls().length > failedBefore, { what: 'getUpdates failing' });
      const sent = await emulator.sendText(OPERATOR, `hello from the outage (${outage.name})`);
      for (let minute = 1; minute <= 10; minute += 1) {
        await advance(MINUTE);
        if (minute % 5 === 0) await runLiveness();
      }
      const health = telegramHealth();
      expect(health.state).toBe('down');
      expect(health.restarts).toBeGreaterThanOrEqual(2);
      expect(health.readings['pending_updates']).toBeGreaterThanOrEqual(1);
      // Raised once (two runs saw it), posted once on #sys-bot, never queued for the dead Telegram.
      const raised = (await channelDownSignals('telegram')).slice(before);
      expect(raised).toHaveLength(1);
      expect(raised[0]?.payload.check).toBe('receiving');
      expect(sysBotPosts(new RegExp(raised[0]?.id ?? '-')).length).toBe(1);
      expect(await sql`select 1 from telegram_outbox where signal_id = ${raised[0]?.id ?? null}`).toHaveLength(0);
      expect(operatorLines(/Telegram is down/)).toHaveLength(0);
      await waitFor(
        () => consoleLines.some((line) => line.startsWith('CHANNEL DOWN: Telegram is down (receiving)') && line.includes(raised[0]?.payload.since ?? '-')),
        {
          what: "the outage on jbot's console",
        },
      );
      expect(consoleLines.filter((line) => line.includes(raised[0]?.payload.since ?? '-') && line.startsWith('CHANNEL DOWN'))).toHaveLength(1);

      emulator.clearFaults();
      await waitFor(
        async () => {
          await advance(30 * SECOND);
          return telegramHealth().state === 'up';
        },
        { what: 'Telegram receiving again', timeoutMs: 30_000 },
      );
      await handledOnce(sent.updateId);
      await waitFor(() => operatorLines(new RegExp(`I route what you write`)).length >= 1, { what: "jbot's answer to the operator" });
      const recovered = await runLiveness();
      expect(recovered.outcome).toBe('1 channel outage(s) over');
      expect(sysBotPosts(/Telegram receiving again/).length).toBe(before + 1);
      expect(await runLiveness()).toMatchObject({ outcome: 'nothing to report' });
    });

  it("the Discord gateway killed and kept silent: discord.js and a fresh login cannot bring it back, raised once on the operator's Telegram; back when the gateway answers", async () => {
    const linesBefore = operatorLines(/Discord is down/).length;
    discord.killGateway({ silent: true });
    await waitFor(() => discordHealth().state !== 'up', { what: 'the dropped gateway noticed' });
    const typed = await emulator.sendText(OPERATOR, 'hello while Discord is away');
    for (let step = 1; step <= 10; step += 1) {
      await advance(30 * SECOND, { telegramUp: true });
      if (step % 5 === 0) await runLiveness();
    }
    expect(discordHealth().state).toBe('down');
    expect(discordHealth().restarts).toBeGreaterThanOrEqual(1);
    const raised = await channelDownSignals('discord');
    expect(raised).toHaveLength(1);
    expect(raised[0]?.payload.check).toBe('gateway');
    // jbot sends it to the operator's Telegram at once (critical), once.
    await waitFor(() => operatorLines(/Discord is down \(gateway\)/).length > linesBefore, { what: 'the Discord outage on Telegram' });
    await runLiveness();
    expect(operatorLines(/Discord is down/).length).toBe(linesBefore + 1);
    await handledOnce(typed.updateId);

    discord.answerGateway();
    await waitFor(
      async () => {
        await advance(30 * SECOND, { telegramUp: true });
        return discordHealth().state === 'up';
      },
      { what: 'the gateway ready again', timeoutMs: 30_000 },
    );
    expect(discord.readySessions()).toBeGreaterThanOrEqual(1);
    expect((await runLiveness()).outcome).toBe('1 channel outage(s) over');
    expect(sysBotPosts(/Discord receiving again/)).toHaveLength(1);
    expect(operatorLines(/Discord is down/).length).toBe(linesBefore + 1);
  });
});
