// The Telegram channel (grammY). Importing this module does not load grammY: the transport
// imports it on demand, so only jbot pays for it.
export { loadTelegramConfig, telegramEnvShape, type TelegramConfig } from './telegram-config.js';
export { createGrammyTransport, createLocalTelegramTransport, type LocalOperatorInput } from './grammy-transport.js';
export { TelegramDispatcher, composeBody, type TelegramDispatcherOptions, type UndeliveredLine } from './telegram-dispatcher.js';
export { TelegramSendError, toTelegramSendError, type TelegramSendFailure } from './telegram-send-error.js';
export { clipText, groupToFit, TELEGRAM_MAX_TEXT, MAX_LINE_CHARS, CLIP_NOTE } from './fit-message.js';
export { renderItem, renderMessage, pickItem, type MessageBody, type MessageItem } from './compose-message.js';
export type {
  TelegramTransport,
  TelegramInboundHandler,
  InboundTelegramMessage,
  InboundTelegramCallback,
  TelegramButton,
  TelegramSendOptions,
} from './telegram-transport.js';
export { probeTelegram } from './probe-telegram.js';
export { PollingWatchdog, type PollingWatchdogSettings, type PollingWatchdogTarget } from './polling-watchdog.js';
