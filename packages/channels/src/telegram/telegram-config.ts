import { z } from 'zod';
import { envInteger, envList, optionalHttpUrl, optionalString, parseEnv, type Env } from '@jbot/core';

/** The Telegram channel's variables (read by jbot only). */
export const telegramEnvShape = {
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_OPERATOR_CHAT_IDS: envList,
  TELEGRAM_API_ROOT: optionalHttpUrl,
  TELEGRAM_MODE: z.enum(['polling', 'webhook']).optional().default('polling'),
  TELEGRAM_WEBHOOK_URL: optionalHttpUrl,
  TELEGRAM_WEBHOOK_SECRET: optionalString.refine(
    (value) => value === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(value),
    'only A-Z, a-z, 0-9, _ and - (1–256 characters)',
  ),
  TELEGRAM_WEBHOOK_PORT: envInteger(8443, 1, 65535),
  TELEGRAM_MAX_RETRIES: envInteger(3, 0, 10),
  TELEGRAM_MIN_INTERVAL_MS: envInteger(1000, 0, 60_000),
  TELEGRAM_UNDELIVERED_ALERT_SECONDS: envInteger(600, 10, 86_400),
  TELEGRAM_POLL_STALL_SECONDS: envInteger(90, 35, 3600),
  TELEGRAM_POLL_RESTARTS_BEFORE_DOWN: envInteger(2, 1, 100),
} as const;

/** The parsed Telegram configuration. */
export interface TelegramConfig {
  /** Undefined: local mode (lines are recorded and printed, nothing is sent). */
  token?: string;
  /** The only chats served; every other chat is ignored. */
  operatorChatIds: string[];
  apiRoot?: string;
  mode: 'polling' | 'webhook';
  webhook?: { url: string; secret: string; port: number };
  maxRetries: number;
  /** Spacing between two messages to one chat (Telegram allows about one a second). */
  minIntervalMs: number;
  /** A line Telegram has not taken for this long is raised on the work floor (it keeps retrying); default 10 min. */
  undeliveredAlertMs?: number;
  /** Long polling with no answered getUpdates this long is restarted (longer than the 30 s long poll; default 90 s). */
  pollStallMs?: number;
  /** Restarts that did not help before the inbox reports itself down (default 2). */
  pollRestartsBeforeDown?: number;
}

/** Parse the Telegram variables; throws ConfigError naming each bad one. */
export function loadTelegramConfig(env: Env = process.env): TelegramConfig {
  const raw = parseEnv(telegramEnvShape, env, (parsed) => {
    const problems = [];
    if (parsed.TELEGRAM_BOT_TOKEN !== undefined && parsed.TELEGRAM_OPERATOR_CHAT_IDS.length === 0) {
      problems.push({ variable: 'TELEGRAM_OPERATOR_CHAT_IDS', message: "is empty: set it to the operator's numeric chat id (comma-separate several)" });
    }
    const badIds = parsed.TELEGRAM_OPERATOR_CHAT_IDS.filter((id) => !/^-?\d+$/.test(id));
    if (badIds.length > 0) problems.push({ variable: 'TELEGRAM_OPERATOR_CHAT_IDS', message: `expected numeric chat ids, got ${badIds.join(', ')}` });
    if (parsed.TELEGRAM_MODE === 'webhook' && parsed.TELEGRAM_WEBHOOK_URL === undefined)
      problems.push({ variable: 'TELEGRAM_WEBHOOK_URL', message: 'is required when TELEGRAM_MODE=webhook (the public https URL Telegram posts to)' });
    if (parsed.TELEGRAM_MODE === 'webhook' && parsed.TELEGRAM_WEBHOOK_SECRET === undefined)
      problems.push({
        variable: 'TELEGRAM_WEBHOOK_SECRET',
        message: 'is required when TELEGRAM_MODE=webhook (a random string; Telegram echoes it in X-Telegram-Bot-Api-Secret-Token)',
      });
    return problems;
  });
  return {
    ...(raw.TELEGRAM_BOT_TOKEN === undefined ? {} : { token: raw.TELEGRAM_BOT_TOKEN }),
    operatorChatIds: raw.TELEGRAM_OPERATOR_CHAT_IDS,
    ...(raw.TELEGRAM_API_ROOT === undefined ? {} : { apiRoot: raw.TELEGRAM_API_ROOT.replace(/\/+$/, '') }),
    mode: raw.TELEGRAM_MODE,
    ...(raw.TELEGRAM_WEBHOOK_URL !== undefined && raw.TELEGRAM_WEBHOOK_SECRET !== undefined
      ? { webhook: { url: raw.TELEGRAM_WEBHOOK_URL, secret: raw.TELEGRAM_WEBHOOK_SECRET, port: raw.TELEGRAM_WEBHOOK_PORT } }
      : {}),
    maxRetries: raw.TELEGRAM_MAX_RETRIES,
    minIntervalMs: raw.TELEGRAM_MIN_INTERVAL_MS,
    undeliveredAlertMs: raw.TELEGRAM_UNDELIVERED_ALERT_SECONDS * 1000,
    pollStallMs: raw.TELEGRAM_POLL_STALL_SECONDS * 1000,
    pollRestartsBeforeDown: raw.TELEGRAM_POLL_RESTARTS_BEFORE_DOWN,
  };
}
