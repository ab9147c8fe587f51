import { catalogSignalTypes, defineBot, type BotDefinition, type Env } from '@jbot/core';
import { escalateSignal } from './escalate-signal.js';
import { offerApproval } from './offer-approval.js';
import { loadJbotConfig } from './jbot-config.js';
import { dailyDigestJob } from './jobs/daily-digest.js';
import { morningBriefJob } from './jobs/morning-brief.js';
import { llmRouter } from './llm-router.js';
import type { MessageRouter } from './routing.js';
import { startTelegramService, type TelegramService } from './telegram-service.js';

/** What a jbot instance can be given (tests pass env and a router; main.ts passes nothing). */
export interface JbotOptions {
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
}

/** Build jbot: routing rules applied to every signal, the Telegram executive layer, the brief and the digest. */
export function createJbot(options: JbotOptions = {}) {
  const config = loadJbotConfig(options.env ?? process.env);
  const now = options.now ?? (() => new Date());
  let telegram: TelegramService | undefined;
  const wake = () => telegram?.dispatcher.wake();
  // Every catalog signal goes through the routing rules, except the operator's own instructions
  // and approval requests, which are offered with Approve / Reject buttons instead of a line.
  const routedTypes = catalogSignalTypes.map((type) => type.type).filter((type) => type !== 'operator_instruction' && type !== 'approval_requested');
  const on: NonNullable<BotDefinition['on']> = Object.fromEntries(routedTypes.map((type) => [type, (signal, context) => escalateSignal(signal, context, { config, now, wake })]));
  on['approval_requested'] = (signal, context) => offerApproval(signal, context, { config, now, wake });
  return defineBot({
    name: 'jbot',
    purpose: "The operator's assistant: routes what matters to Telegram and the operator's replies back to the right bot",
    channel: '#jbot',
    jobs: [morningBriefJob(config), dailyDigestJob(config)],
    on,
    async onStart(context) {
      // Free-form messages: Claude picks the bot when a key is set, keywords otherwise.
      telegram = await startTelegramService({ db: context.db, log: context.log, config, router: options.router ?? llmRouter(context.llm, context.log), holder: `${context.host}:${process.pid}`, ...(options.telegramLeaseMs === undefined ? {} : { leaseMs: options.telegramLeaseMs }), ...(options.operatorInput === undefined ? {} : { operatorInput: options.operatorInput }) });
      options.onTelegram?.(telegram);
      const service = telegram;
      return () => service.stop();
    },
  });
}

/** jbot — the operator's assistant, configured from the environment. */
export const jbot = createJbot();
