import { ServiceLease, type Db, type Logger } from '@jbot/core';
import { createGrammyTransport, createLocalTelegramTransport, TelegramDispatcher, type TelegramTransport } from '@jbot/channels';
import { LOCAL_OPERATOR_CHAT, type JbotConfig } from './jbot-config.js';
import { createOperatorInbox } from './operator-inbox.js';
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
export async function startTelegramService(options: { db: Db; log: Logger; config: JbotConfig; router: MessageRouter; holder?: string; leaseMs?: number; operatorInput?: NodeJS.ReadableStream }): Promise<TelegramService> {
  const { db, log, config } = options;
  const { token } = config.telegram;
  // Locally, the `pnpm start` terminal is the operator's Telegram: typed lines arrive on stdin.
  const input = options.operatorInput ?? (config.operatorStdin ? process.stdin : undefined);
  const transport = token === undefined
    ? createLocalTelegramTransport(log, { ...(input === undefined ? {} : { input }), chatId: LOCAL_OPERATOR_CHAT, senderId: `local:${process.env['USER'] ?? 'operator'}` })
    : await createGrammyTransport({ ...config.telegram, token }, log);
  const dispatcher = new TelegramDispatcher({ db, transport, log: log.child({ component: 'telegram-dispatcher' }), minIntervalMs: config.telegram.minIntervalMs });
  await dispatcher.start();
  const inbox = createOperatorInbox({
    db,
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
  const lease = new ServiceLease({ db, name: 'jbot:telegram-inbox', holder: options.holder ?? `${process.pid}`, log, ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }) });
  await lease.start({ acquired: () => transport.start(inbox), lost: () => transport.stop() });
  log.info({ mode: token === undefined ? 'local' : config.telegram.mode, chats: config.chats.length, receiving: lease.isHolder }, lease.isHolder ? 'Telegram executive layer up' : 'Telegram executive layer up (standby: another copy receives operator messages)');
  return {
    transport,
    dispatcher,
    lease,
    async stop() {
      await lease.stop();
      await transport.stop();
      await dispatcher.stop();
    },
  };
}
