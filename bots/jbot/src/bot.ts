import { defineBot, settingsFrom, type Env, type SchedulerClock } from '@jbot/core';
import { escalateSignal } from './escalate-signal.js';
import { offerApproval } from './offer-approval.js';
import { loadJbotConfig, type JbotConfig } from './jbot-config.js';
import { approvalNudge } from './jobs/approval-nudge.js';
import { dailyDigest } from './jobs/daily-digest.js';
import { morningBrief } from './jobs/morning-brief.js';
import { openLoops } from './jobs/open-loops.js';
import { salesFlash } from './jobs/sales-flash.js';
import { monthlyKpiPack } from './jobs/monthly-kpi-pack.js';
import { weeklyOpsReview } from './jobs/weekly-ops-review.js';
import { shareKpiPack } from './actions/share-kpi-pack.js';
import { disclosureGuard } from './jobs/disclosure-guard.js';
import { calendarPrep } from './jobs/calendar-prep.js';
import { inboxTriage } from './jobs/inbox-triage.js';
import { meetingFollowups } from './jobs/meeting-followups.js';
import { newsWatch } from './jobs/news-watch.js';
import { logMeetingAndSendRecap } from './actions/log-meeting-and-send-recap.js';
import { releaseDisclosureHold } from './actions/release-disclosure-hold.js';
import { llmRouter } from './llm-router.js';
import { answerJbotInstruction } from './jbot-instructions.js';
import type { MessageRouter } from './routing.js';
import { signalTypes } from './signals.js';
import { startTelegramService, type TelegramService } from './telegram-service.js';

/** What a jbot instance can be given (tests pass env and a router; the fleet passes nothing). */
export interface JbotOptions {
  /** Settings read from this env instead of the process's (tests). */
  env?: Env;
  /** Chooses a bot for free-form messages; keywords by default (an LLM router plugs in here). */
  router?: MessageRouter;
  now?: () => Date;
  /** How long the Telegram inbox lease lasts (tests shorten it); default 30 s. */
  telegramLeaseMs?: number;
  /** Receives the running Telegram service (tests and benches reach the dispatcher through it). */
  onTelegram?: (service: TelegramService) => void;
  /** The operator's typed lines in local mode (tests pass a stream; `pnpm start` has jbot read stdin). */
  operatorInput?: NodeJS.ReadableStream;
  /** The Telegram outbox's clock (tests run hours of outage on it); default the database's. */
  outboxClock?: () => Date;
  /** The Telegram polling watchdog's clock (tests move it by hand); default the host's. */
  livenessClock?: SchedulerClock;
}

/**
 * Build jbot: routing rules applied to every signal, the Telegram executive layer, the brief and
 * the digest. Pure: its settings (Telegram, quiet hours, brief and digest times) are parsed by
 * the runtime at start-up, so importing jbot never reads the environment or throws.
 */
export function createJbot(options: JbotOptions = {}) {
  const now = options.now ?? (() => new Date());
  let telegram: TelegramService | undefined;
  const wake = () => telegram?.dispatcher.wake();
  // The roster names each bot's work-floor channel for the Telegram lines.
  const routed = (context: { config: JbotConfig; fleet: readonly { name: string; channel: string }[] }): JbotConfig => ({
    ...context.config,
    routing: { ...context.config.routing, channels: Object.fromEntries(context.fleet.map((member) => [member.name, member.channel])) },
  });
  return defineBot<JbotConfig>({
    name: 'jbot',
    settings: settingsFrom((env) => loadJbotConfig(options.env ?? env)),
    jobs: [
      salesFlash,
      calendarPrep,
      morningBrief,
      newsWatch,
      inboxTriage,
      dailyDigest,
      approvalNudge,
      openLoops,
      meetingFollowups,
      disclosureGuard,
      weeklyOpsReview,
      monthlyKpiPack,
    ],
    actions: [shareKpiPack, releaseDisclosureHold, logMeetingAndSendRecap],
    signalTypes,
    // Every signal of the fleet goes through the routing rules, except approval requests, which
    // are offered with Approve / Reject buttons instead of a line.
    onEvery: { except: ['approval_requested'], handle: (signal, context) => escalateSignal(signal, context as never, { config: routed(context), now, wake }) },
    on: { approval_requested: (signal, context) => offerApproval(signal, context as never, { config: routed(context), now, wake }) },
    // The operator's reply to one of jbot's own lines (pace miss, VIP email, disclosure hold, press).
    onInstruction: (instruction, context) => answerJbotInstruction(instruction, context),
    async onStart(context, channels) {
      // Free-form messages: Claude picks the bot when a key is set, keywords otherwise.
      telegram = await startTelegramService({
        db: context.db,
        decisionsDb: channels.db,
        log: context.log,
        config: context.config,
        router: options.router ?? llmRouter(context.llm, context.log, context.fleet),
        holder: `${context.host}:${process.pid}`,
        ...(options.telegramLeaseMs === undefined ? {} : { leaseMs: options.telegramLeaseMs }),
        signals: context.signals,
        host: context.host,
        ...(options.outboxClock === undefined ? {} : { outboxClock: options.outboxClock }),
        ...(options.operatorInput === undefined ? {} : { operatorInput: options.operatorInput }),
        ...(options.livenessClock === undefined ? {} : { livenessClock: options.livenessClock }),
      });
      options.onTelegram?.(telegram);
      const service = telegram;
      // The heartbeat carries the inbox's liveness (sysbot's channel-liveness reads it).
      const health = service.transport.health?.bind(service.transport);
      const unreport = health === undefined ? () => {} : context.channelHealth.report('telegram', health);
      return async () => {
        unreport();
        await service.stop();
      };
    },
  });
}

/** jbot — the operator's assistant (its settings are read when the fleet starts it, not here). */
export const jbot = createJbot();
