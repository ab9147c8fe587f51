// The Telegram channel (grammY). Importing this module does not load grammY: the transport
// imports it on demand, so only jbot pays for it.
export { loadTelegramConfig, telegramEnvShape, type TelegramConfig } from './telegram-config.js';
export { createGrammyTransport, createLocalTelegramTransport, type LocalOperatorInput } from './grammy-transport.js';
export { TelegramDispatcher, composeBody, type TelegramDispatcherOptions } from './telegram-dispatcher.js';
export { renderItem, renderMessage, pickItem, type MessageBody, type MessageItem } from './compose-message.js';
export type { TelegramTransport, TelegramInboundHandler, InboundTelegramMessage, InboundTelegramCallback, TelegramButton, TelegramSendOptions } from './telegram-transport.js';
export { probeTelegram } from './probe-telegram.js';
