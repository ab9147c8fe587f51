import type { Db, Logger } from '@jbot/core';
import { createGrammyTransport, createLocalTelegramTransport, TelegramDispatcher, type TelegramTransport } from '@jbot/channels';
import type { JbotConfig } from './jbot-config.js';
import { createOperatorInbox } from './operator-inbox.js';
import type { MessageRouter } from './routing.js';

/** jbot's running Telegram side: the outbox dispatcher and the operator inbox. */
export interface TelegramService {
  transport: TelegramTransport;
  dispatcher: TelegramDispatcher;
  stop(): Promise<void>;
}

/**
 * Start Telegram for jbot: grammY (long polling, or a webhook with secret_token) when a token
 * is set, otherwise the local stand-in that records and prints each line.
 */
export async function startTelegramService(options: { db: Db; log: Logger; config: JbotConfig; router: MessageRouter }): Promise<TelegramService> {
  const { db, log, config } = options;
  const { token } = config.telegram;
  const transport = token === undefined ? createLocalTelegramTransport(log) : await createGrammyTransport({ ...config.telegram, token }, log);
  const dispatcher = new TelegramDispatcher({ db, transport, log: log.child({ component: 'telegram-dispatcher' }), minIntervalMs: config.telegram.minIntervalMs });
  await dispatcher.start();
  await transport.start(createOperatorInbox({
    db,
    log: log.child({ component: 'operator-inbox' }),
    router: options.router,
    lookbackHours: config.briefLookbackHours,
    wake: () => dispatcher.wake(),
    approverIds: config.approverIds,
    edit: (chatId, messageId, text) => transport.edit(chatId, messageId, text, []),
  }));
  log.info({ mode: token === undefined ? 'local' : config.telegram.mode, chats: config.chats.length }, 'Telegram executive layer up');
  return {
    transport,
    dispatcher,
    async stop() {
      await transport.stop();
      await dispatcher.stop();
    },
  };
}
