import { ServiceLease, type Db, type Logger, type SchedulerClock, type SignalEmitter } from '@jbot/core';
import { createGrammyTransport, createLocalTelegramTransport, TelegramDispatcher, type TelegramTransport, type UndeliveredLine } from '@jbot/channels';
import { LOCAL_OPERATOR_CHAT, type JbotConfig } from './jbot-config.js';
import { createOperatorInbox } from './operator-inbox.js';
import { watchBrainReachability } from './brain-outage-notice.js';
import { startApprovalLineRefresher } from './approval-line-refresher.js';
import type { MessageRouter } from './routing.js';

/** jbot's running Telegram side: the outbox dispatcher and the operator inbox. */
export interface TelegramService {
  transport: TelegramTransport;
  dispatcher: TelegramDispatcher;
  /** Whether this copy receives operator input (see ServiceLease). */
  lease: ServiceLease;
  stop(): Promise<void>;
}

/**
 * Start Telegram for jbot: grammY (long polling, or a webhook with secret_token) when a token
 * is set, otherwise the local stand-in that records and prints each line.
 */
export async function startTelegramService(options: {
  db: Db;
  /** The channel handlers' connection (role fleet_channels): decides taps, registers the operator chats. */
  decisionsDb?: Db;
  log: Logger;
  config: JbotConfig;
  router: MessageRouter;
  holder?: string;
  leaseMs?: number;
  /** jbot's signals: a line Telegram has not taken for a while is raised as bot_unhealthy (#jbot, #sys-bot). */
  signals?: SignalEmitter;
  host?: string;
  /** The outbox clock (tests run hours of outage on it); default the database's. */
  outboxClock?: () => Date;
  /** The operator's typed lines in local mode (default: stdin when `pnpm start` says a person types there). */
  operatorInput?: NodeJS.ReadableStream;
  /** The polling watchdog's clock (tests move it by hand); default the host's. */
  livenessClock?: SchedulerClock;
}): Promise<TelegramService> {
  const { db, log, config } = options;
  const { token } = config.telegram;
  warnAboutOpenGroups(config, log);
  // Locally, the `pnpm start` terminal is the operator's Telegram: typed lines arrive on stdin.
  const input = options.operatorInput ?? (config.operatorStdin ? process.stdin : undefined);
  const transport =
    token === undefined
      ? createLocalTelegramTransport(log, {
          ...(input === undefined ? {} : { input }),
          chatId: LOCAL_OPERATOR_CHAT,
          senderId: `local:${process.env['USER'] ?? 'operator'}`,
        })
      : await createGrammyTransport({ ...config.telegram, token }, log, options.livenessClock === undefined ? {} : { clock: options.livenessClock });
  const signals = options.signals;
  // Whatever a payload names, lines go only to the operator's chats (the local console's when offline).
  const operatorChats = token === undefined ? [...config.routing.operatorChatIds, LOCAL_OPERATOR_CHAT] : config.routing.operatorChatIds;
  const dispatcher = new TelegramDispatcher({
    db,
    transport,
    log: log.child({ component: 'telegram-dispatcher' }),
    minIntervalMs: config.telegram.minIntervalMs,
    operatorChatIds: operatorChats,
    ...(config.telegram.undeliveredAlertMs === undefined ? {} : { undeliveredAlertMs: config.telegram.undeliveredAlertMs }),
    ...(options.outboxClock === undefined ? {} : { clock: options.outboxClock }),
    ...(signals === undefined
      ? {}
      : {
          onUndelivered: (lines: UndeliveredLine[]) =>
            raiseUndelivered(signals, lines, { host: options.host, alertMs: config.telegram.undeliveredAlertMs ?? 600_000 }),
        }),
  });
  // The brain queues Telegram lines from a bot's role only for registered operator chats; the
  // registration comes from this configuration, through the channel handlers' role.
  await (options.decisionsDb ?? db).rpc('register_operator_chats', { p_chat_ids: operatorChats }).catch((error: unknown) => {
    log.error(
      { err: error },
      'could not register the operator chats (set CHANNELS_DATABASE_URL to the fleet_channels role): lines from bot roles will be refused',
    );
  });
  await dispatcher.start();
  const inbox = createOperatorInbox({
    db,
    ...(options.decisionsDb === undefined ? {} : { decisionsDb: options.decisionsDb }),
    log: log.child({ component: 'operator-inbox' }),
    router: options.router,
    lookbackHours: config.briefLookbackHours,
    wake: () => dispatcher.wake(),
    approverIds: config.approverIds,
    edit: (chatId, messageId, text, buttons) => transport.edit(chatId, messageId, text, buttons),
  });
  // Telegram serves one poller (or one webhook) per bot token, so with jbot on two hosts only the
  // holder of the brain lease receives operator input; the standby takes over when it lapses.
  // Sending (the dispatcher) is safe on every copy: outbox rows are claimed.
  const lease = new ServiceLease({
    db,
    name: 'jbot:telegram-inbox',
    holder: options.holder ?? `${process.pid}`,
    log,
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  });
  await lease.start({ acquired: () => transport.start(inbox), lost: () => transport.stop() });
  log.info(
    { mode: token === undefined ? 'local' : config.telegram.mode, chats: config.chats.length, receiving: lease.isHolder },
    lease.isHolder ? 'Telegram executive layer up' : 'Telegram executive layer up (standby: another copy receives operator messages)',
  );
  // While the brain is down the outbox is too: jbot tells the operator itself, once.
  const brainWatch = watchBrainReachability({
    db,
    transport,
    chatId: config.chats[0] ?? LOCAL_OPERATOR_CHAT,
    log: log.child({ component: 'brain-watch' }),
    isHolder: () => lease.isHolder,
    alertAfterMs: config.brainOutageAlertMs,
    probeMs: config.brainProbeMs,
  });
  // A decision made elsewhere (Discord, the CLI, the dashboard) shows on the operator's line too.
  const approvalLines = await startApprovalLineRefresher({ db, transport, log: log.child({ component: 'approval-lines' }), isHolder: () => lease.isHolder });
  return {
    transport,
    dispatcher,
    lease,
    async stop() {
      brainWatch.stop();
      await approvalLines.stop();
      await lease.stop();
      await transport.stop();
      await dispatcher.stop();
    },
  };
}

/**
 * Anyone in a group chat can press the buttons unless TELEGRAM_APPROVER_USER_IDS names who may
 * decide; say so at start, as the Discord channel does for its approver lists.
 */
function warnAboutOpenGroups(config: JbotConfig, log: Logger): void {
  const groups = config.telegram.operatorChatIds.filter((chatId) => chatId.startsWith('-'));
  if (groups.length === 0 || config.approverIds.length > 0) return;
  log.warn(
    { groups },
    `TELEGRAM_OPERATOR_CHAT_IDS includes group chat${groups.length === 1 ? '' : 's'} ${groups.join(', ')} and TELEGRAM_APPROVER_USER_IDS is empty: every member can approve with the buttons. Set TELEGRAM_APPROVER_USER_IDS to the Telegram user ids allowed to decide.`,
  );
}

/** The dedupe key prefix of jbot's "Telegram has not delivered …" signals (never escalated to Telegram itself). */
export const TELEGRAM_UNDELIVERED_KEY_PREFIX = 'telegram-undelivered:';

// Telegram has not taken these lines for a while: one bot_unhealthy from jbot says so on #jbot
// (its detail post) and #sys-bot (sysbot posts every bot_unhealthy). The lines stay queued.
async function raiseUndelivered(signals: SignalEmitter, lines: UndeliveredLine[], context: { host: string | undefined; alertMs: number }): Promise<void> {
  const minutes = Math.round(context.alertMs / 60_000);
  const shown = lines
    .slice(0, 5)
    .map(
      (line, index) =>
        `${index + 1}) to chat ${line.chatId} (${line.bot}, ${line.attempts} attempt${line.attempts === 1 ? '' : 's'}, queued ${line.queuedAt}): ${line.text.length > 200 ? `${line.text.slice(0, 199)}…` : line.text}`,
    );
  const more = lines.length > shown.length ? `\n… and ${lines.length - shown.length} more` : '';
  const lastError = lines.find((line) => line.error !== null)?.error ?? 'none recorded';
  await signals.emit(
    'bot_unhealthy',
    {
      bot: 'jbot',
      ...(context.host === undefined ? {} : { host: context.host }),
      reason: `Telegram has not delivered ${lines.length} operator line${lines.length === 1 ? '' : 's'} for over ${minutes} min (last error: ${lastError}); they stay queued and are retried until Telegram takes them:\n${shown.join('\n')}${more}`,
    },
    { dedupeKey: `${TELEGRAM_UNDELIVERED_KEY_PREFIX}${Math.min(...lines.map((line) => line.outboxId))}` },
  );
}
