// One simulated weekday of the fleet: every declared job of the ten bots through the catalogue's
// reference Wednesday (2026-12-09, in FLEET_TZ, default America/Los_Angeles), on a compressed
// clock, all bots in this process (each on `hosts` hosts, racing for every tick) against one
// embedded brain with the sample company, the sample connectors, the fake Anthropic at the real
// price table, and jbot on the telegram-test-api emulator. Signals flow between the real
// handlers; every approval is approved by the bench as soon as it is asked (so the executors and
// their side effects are exercised). Then the next weekday runs on the same input (the sample
// company reloaded exactly as before) and the model calls it makes are reported from the
// llm_usage ledger: on unchanged input the goal is 0.
//
// The schedulers' clock is simulated (instant to instant, waiting for the fleet to settle, at
// most `rate` × real time); the brain and the jobs keep the wall clock (the platform has no clock
// seam there yet), so the sample company is loaded relative to the wall clock and a job's own
// "now" is the real one. Claims are allowed that far ahead (toleranceMs) and the scheduler's
// missed-tick sweep is left out: the bench counts missed ticks itself, from the ticks the
// declared schedules owe the day. Between the passes pass 1's brain history is moved a day back
// (see _day-history.ts) so wall-clock windows see it as yesterday.
//
// pnpm bench day [minutes per simulated day = 1] [hosts per bot = 2] [output share of max_tokens = 0.4]
// BENCH_DAY_SHOW=1 also prints the operator's Telegram messages of the day to stderr;
// BENCH_LOG_LEVEL=warn shows the bots' own warnings there.
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import postgres from 'postgres';
import { createPostgresDb, decideApproval, loadLlmConfig, nextTick, startBot, type RunningBot } from '@jbot/core';
import { createTestDatabase, startFakeAnthropic, startTelegramEmulator, startTestPostgres } from '@jbot/testkit';
import { loadSampleCompany } from '../packages/connectors/src/index.js';
import { CompressedClock } from './_day-clock.js';
import { dayFleet, dayRuntime } from './_day-fleet.js';
import { approvalFigures, duplicateFigures, expectedTicks, llmFigures, runFigures, signalFigures, telegramFigures, type PassWindow } from './_day-figures.js';
import { ageBrainHistory } from './_day-history.js';
import { FleetTracker } from './_day-tracker.js';

/** The catalogue's reference weekday (§2): a typical Wednesday, not the 1st. */
const REFERENCE_DAY = { month: 12, day: 9 };
const OPERATOR_CHAT = '7001';
const SETTLE_LIMIT_MS = 20_000;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Local midnight of a month/day of 2026 in a zone (a cron tick, so DST and offsets are the cron library's). */
function midnight(timeZone: string, month: number, day: number): Date {
  return nextTick(`0 0 ${day} ${month} *`, timeZone, new Date(Date.UTC(2026, month - 1, day) - 2 * 86_400_000));
}

export default async function run(argv: string[] = []): Promise<Record<string, unknown>> {
  const minutesPerDay = Number(argv[0] ?? 1);
  const hosts = Number(argv[1] ?? 2);
  const outputShare = Number(argv[2] ?? 0.4);
  if (!(minutesPerDay > 0) || !Number.isInteger(hosts) || hosts < 1 || !(outputShare > 0 && outputShare <= 1)) {
    throw new Error('usage: pnpm bench day [minutes per simulated day > 0] [hosts per bot ≥ 1] [output share of max_tokens in (0, 1]]');
  }
  const timeZone = process.env['FLEET_TZ'] ?? 'America/Los_Angeles';
  const days = [
    midnight(timeZone, REFERENCE_DAY.month, REFERENCE_DAY.day),
    midnight(timeZone, REFERENCE_DAY.month, REFERENCE_DAY.day + 1),
    midnight(timeZone, REFERENCE_DAY.month, REFERENCE_DAY.day + 2),
  ] as const;
  const rate = (24 * 60) / minutesPerDay;
  const log = pino({ level: process.env['BENCH_LOG_LEVEL'] ?? 'silent' }, pino.destination(2));

  const server = await startTestPostgres();
  const database = await createTestDatabase(server.port);
  const db = createPostgresDb({ url: database.url, poolMax: 24 });
  const sql = postgres(database.url, { max: 2, onnotice: () => {} });
  const emulator = await startTelegramEmulator();
  // Realistic output: a share of each call's max_tokens (never zero), priced at DEFAULT_PRICES.
  const anthropic = await startFakeAnthropic({ outputTokens: (request) => Math.max(1, Math.round(request.max_tokens * outputShare)) });
  const running: RunningBot[] = [];
  let telegramMessages = 0;
  emulator.onBotMessage(() => void (telegramMessages += 1));
  try {
    const loadedAt = new Date();
    await loadSampleCompany(db, { now: loadedAt });
    const tracker = new FleetTracker();
    let settleTimeouts = 0;
    let autoApproved = 0;
    let owedAt = new Map<number, number>();

    // The fleet has settled after an instant when every tick owed then has a finished row, and no
    // job, handler or executor is running, no signal is due for delivery, no decided approval
    // waits for its executor, no Telegram line is due. Pending approvals are approved here.
    const settle = async (instant: number) => {
      const deadline = performance.now() + SETTLE_LIMIT_MS;
      const owed = owedAt.get(instant) ?? 0;
      for (;;) {
        for (const pending of await sql<Array<{ id: string }>>`select id::text from approvals where status = 'pending'`) {
          const decided = await decideApproval(db, { approvalId: pending.id, decision: 'approved', decidedBy: 'bench:operator', decidedVia: 'local' });
          if (decided.decided) autoApproved += 1;
        }
        const [state] = await sql<Array<{ finished: number; busy: number }>>`
          select (select count(*)::int from cron_runs where scheduled_for = ${new Date(instant)} and status not in ('running', 'requested')) as finished,
                 (select count(*)::int from cron_runs where status = 'running')
               + (select count(*)::int from signal_receipts where status = 'processing' or (status = 'pending' and available_at <= now()))
               + (select count(*)::int from approvals where status in ('pending', 'approved', 'executing'))
               + (select count(*)::int from telegram_outbox where status = 'sending' or (status = 'queued' and available_at <= now())) as busy`;
        if ((state?.finished ?? 0) >= owed && state?.busy === 0 && tracker.inFlight === 0) return;
        if (performance.now() > deadline) {
          settleTimeouts += 1;
          return;
        }
        await sleep(3);
      }
    };

    const clock = new CompressedClock(days[0].getTime() - 1000, rate, settle);
    // Settings as the bots' processes parse them (job thresholds may be tuned in the env), with
    // jbot on the emulator and quiet hours as the catalogue's routing has them (§1): night-time
    // alerts wait for the 07:30 brief.
    const env = {
      ...process.env,
      FLEET_TZ: timeZone,
      TELEGRAM_BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      TELEGRAM_OPERATOR_CHAT_IDS: OPERATOR_CHAT,
      TELEGRAM_QUIET_HOURS: process.env['TELEGRAM_QUIET_HOURS'] ?? '22:00-07:00',
    };
    const fleet = await dayFleet({ env, now: () => new Date(clock.now()), prepare: (definition) => tracker.instrument(definition) });
    const scheduled = fleet.map((bot) => ({ name: bot.definition.name, jobs: bot.settings.jobs }));
    const runtime = dayRuntime(db);
    const llm = loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
    const startBegin = performance.now();
    for (let host = 1; host <= hosts; host += 1) {
      for (const { definition, settings } of fleet) {
        running.push(
          await startBot(definition, {
            db,
            log,
            llm,
            settings,
            ...runtime,
            config: {
              hostId: `bench-host-${host}`,
              timeZone,
              heartbeatIntervalMs: 10_000,
              shutdownGraceMs: 5000,
              signals: { pollMs: 1000, leaseMs: 30_000, maxAttempts: 5, concurrency: 4 },
              scheduler: {
                clock,
                // Ticks of the simulated days are in the brain's future: let them be claimed.
                toleranceMs: days[2].getTime() - Date.now() + 3600_000,
                // The bench counts missed ticks itself (the sweep runs on the brain's clock).
                missedAfterMs: 365 * 86_400_000,
              },
            },
            approvals: { pollMs: 1000, worker: `${definition.name}@bench-host-${host}` },
          }),
        );
      }
    }
    const startMs = Math.round(performance.now() - startBegin);

    const runPass = async (dayStart: Date, dayEnd: Date) => {
      const owed = expectedTicks(scheduled, timeZone, dayStart, dayEnd);
      owedAt = new Map();
      for (const tick of owed) owedAt.set(tick.at, (owedAt.get(tick.at) ?? 0) + 1);
      const realStart = new Date();
      const begin = performance.now();
      const instants = await clock.runUntil(dayEnd.getTime() - 1);
      await settle(dayEnd.getTime() - 1);
      const realEnd = new Date();
      const window: PassWindow = { dayStart, dayEnd, realStart, realEnd };
      const runs = await runFigures(sql, window, owed);
      return { window, owed, instants, seconds: Math.round((performance.now() - begin) / 100) / 10, runs, llm: await llmFigures(sql, window) };
    };

    // Pass 1: the reference Wednesday.
    const first = await runPass(days[0], days[1]);
    const signals = await signalFigures(sql, first.window);
    const approvals = await approvalFigures(sql, first.window);
    const telegram = { ...(await telegramFigures(sql, first.window)), emulatorMessages: telegramMessages };
    const duplicatesAfterFirst = await duplicateFigures(sql);
    if (process.env['BENCH_DAY_SHOW'] === '1') {
      for (const message of emulator.botMessages()) process.stderr.write(`--- telegram ${message.chatId}\n${message.text}\n`);
    }
    const firstRunDuplicates = tracker.duplicateRuns();

    // Pass 2: the next weekday on the same input — the sample company reloaded exactly as pass 1
    // saw it, and pass 1's brain history moved a day back so wall-clock windows see it as yesterday.
    await loadSampleCompany(db, { reset: true, now: loadedAt });
    const agedColumns = await ageBrainHistory(sql, 1);
    const telegramBefore = telegramMessages;
    const second = await runPass(days[1], days[2]);
    const secondSignals = await signalFigures(sql, second.window);
    const secondApprovals = await approvalFigures(sql, second.window);
    const secondTelegram = { ...(await telegramFigures(sql, second.window)), emulatorMessages: telegramMessages - telegramBefore };
    const duplicatesAfterSecond = await duplicateFigures(sql);

    const ledgerUsd = Math.round((first.llm.usd + second.llm.usd) * 1e6) / 1e6;
    const fakeBill = anthropic.bill();
    const perJobRuns = Object.fromEntries(
      Object.entries(first.runs.perJob).map(([bot, jobs]) => [
        bot,
        Object.fromEntries(Object.entries(jobs).map(([job, entry]) => [job, entry.succeeded + entry.failed])),
      ]),
    );
    const deliveries = [...tracker.deliveries.values()];
    return {
      day: days[0].toISOString(),
      timeZone,
      minutesPerDay,
      hosts,
      bots: fleet.length,
      jobs: scheduled.reduce((sum, bot) => sum + bot.jobs.length, 0),
      startMs,
      seconds: first.seconds,
      instants: first.instants,
      ticksOwed: first.owed.length,
      runs: perJobRuns,
      runsTotal: first.runs.runs,
      failed: first.runs.failed,
      skipped: first.runs.skipped,
      missed: first.runs.missed,
      // A tick entered twice (in-process count) or a side effect, escalation line or approval post repeated.
      duplicated:
        firstRunDuplicates +
        duplicatesAfterFirst.sideEffectsTotal +
        duplicatesAfterFirst.telegramLines +
        duplicatesAfterFirst.approvalPosts +
        first.runs.unowed,
      duplicates: {
        runs: firstRunDuplicates,
        unownedRuns: first.runs.unowed,
        sideEffects: duplicatesAfterFirst.sideEffects,
        telegramLines: duplicatesAfterFirst.telegramLines,
        approvalPosts: duplicatesAfterFirst.approvalPosts,
        repeatedPosts: duplicatesAfterFirst.repeatedPosts,
      },
      failures: first.runs.errors,
      outcomes: first.runs.outcomes,
      llm: {
        calls: first.llm.calls,
        usd: first.llm.usd,
        byBot: first.llm.byBot,
        byJob: first.llm.byJob,
        usdByJob: first.llm.usdByJob,
        byModel: first.llm.byModel,
      },
      // Every call the fake answered, priced by it at DEFAULT_PRICES: equals the ledger when every call was recorded.
      llmCheck: { ledgerUsdBothPasses: ledgerUsd, fakeBillUsd: fakeBill.usd, fakeCalls: anthropic.usages.length },
      signals: signals.byType,
      signalsTotal: signals.total,
      signalRepeatsFolded: signals.repeatsFolded,
      approvals: approvals.byAction,
      approvalsAutoApproved: autoApproved,
      telegram,
      handlerDeliveries: { total: deliveries.length, redelivered: deliveries.filter((count) => count > 1).length },
      executorEntries: [...tracker.executions.values()].reduce((sum, count) => sum + count, 0),
      settleTimeouts,
      secondPass: {
        day: days[1].toISOString(),
        historyColumnsAged: agedColumns,
        seconds: second.seconds,
        runsTotal: second.runs.runs,
        failed: second.runs.failed,
        missed: second.runs.missed,
        duplicated:
          tracker.duplicateRuns() -
          firstRunDuplicates +
          (duplicatesAfterSecond.sideEffectsTotal - duplicatesAfterFirst.sideEffectsTotal) +
          (duplicatesAfterSecond.telegramLines - duplicatesAfterFirst.telegramLines) +
          (duplicatesAfterSecond.approvalPosts - duplicatesAfterFirst.approvalPosts) +
          second.runs.unowed,
        outcomes: second.runs.outcomes,
        signals: secondSignals.byType,
        approvals: secondApprovals.byAction,
        telegram: secondTelegram,
        llmUsd: second.llm.usd,
        modelCallsByJob: second.llm.byJob,
      },
      // The llm_usage ledger of pass 2: model calls made although the input was the same. Goal 0.
      modelCallsOnUnchangedInput: second.llm.calls,
    };
  } finally {
    await Promise.all(running.map((bot) => bot.stop().catch(() => {})));
    await anthropic.close();
    await emulator.close();
    await sql.end();
    await db.close();
    await database.drop();
    await server.stop();
  }
}
