import { ConfigError, envBoolean, envInteger, envList, parseEnv, optionalString, timeZone, type Env } from '@jbot/core';
import { loadTelegramConfig, type TelegramConfig } from '@jbot/channels';
import { parseQuietHours, type RoutingConfig } from './routing.js';

/** A local time of day. */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

/** jbot's configuration: the Telegram channel, the routing inputs and its daily times. */
export interface JbotConfig {
  telegram: TelegramConfig;
  routing: RoutingConfig;
  /** Chats escalations and the brief go to (the operator chats, or a local stand-in without a token). */
  chats: string[];
  briefTime: TimeOfDay;
  digestTime: TimeOfDay;
  /** How far back the brief looks for open items. */
  briefLookbackHours: number;
  /** Telegram user ids allowed to decide approvals with the buttons; empty = anyone in an operator chat. */
  approverIds: string[];
  /** Who may release a disclosure hold (IR / legal: Discord user ids or decider names); empty = any approver. */
  disclosureApprovers: string[];
  /** Read the operator's typed lines from stdin (set by `pnpm start` on a terminal; local mode only). */
  operatorStdin: boolean;
  /** Tell the operator directly once the brain has been unreachable this long (ms), probing every brainProbeMs. */
  brainOutageAlertMs: number;
  brainProbeMs: number;
}

const jbotEnvShape = {
  FLEET_TZ: timeZone('UTC'),
  TELEGRAM_QUIET_HOURS: optionalString,
  TELEGRAM_BRIEF_TIME: optionalString,
  JBOT_DIGEST_TIME: optionalString,
  TELEGRAM_ROUTES: optionalString,
  TELEGRAM_APPROVER_USER_IDS: envList,
  FLEET_OPERATOR_STDIN: envBoolean(false),
  JBOT_BRAIN_OUTAGE_ALERT_SECONDS: envInteger(60, 1),
  JBOT_BRAIN_PROBE_MS: envInteger(5000, 100),
  JBOT_DISCLOSURE_APPROVERS: envList,
} as const;

/** The chat id used for escalations when no Telegram token is configured (local mode). */
export const LOCAL_OPERATOR_CHAT = 'local-operator';

/** Parse jbot's variables; throws ConfigError naming each bad one. */
export function loadJbotConfig(env: Env = process.env): JbotConfig {
  const telegram = loadTelegramConfig(env);
  const raw = parseEnv(jbotEnvShape, env);
  const problems: Array<{ variable: string; message: string }> = [];
  let quietHours = null;
  if (raw.TELEGRAM_QUIET_HOURS !== undefined) {
    try {
      quietHours = parseQuietHours(raw.TELEGRAM_QUIET_HOURS);
    } catch (error) {
      problems.push({ variable: 'TELEGRAM_QUIET_HOURS', message: (error as Error).message });
    }
  }
  const time = (variable: string, value: string | undefined, fallback: TimeOfDay): TimeOfDay => {
    if (value === undefined) return fallback;
    const match = /^(\d{1,2}):(\d{2})$/.exec(value);
    if (match === null || Number(match[1]) > 23 || Number(match[2]) > 59) {
      problems.push({ variable, message: `expected HH:MM such as 07:30, got "${value}"` });
      return fallback;
    }
    return { hour: Number(match[1]), minute: Number(match[2]) };
  };
  const briefTime = time('TELEGRAM_BRIEF_TIME', raw.TELEGRAM_BRIEF_TIME, { hour: 7, minute: 30 });
  const digestTime = time('JBOT_DIGEST_TIME', raw.JBOT_DIGEST_TIME, { hour: 18, minute: 0 });
  const chats = telegram.token === undefined && telegram.operatorChatIds.length === 0 ? [LOCAL_OPERATOR_CHAT] : telegram.operatorChatIds;
  const chatRoutes: Record<string, string[]> = {};
  for (const entry of (raw.TELEGRAM_ROUTES ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    const [bot, chat] = entry.split('=').map((part) => part.trim());
    if (bot === undefined || chat === undefined || bot === '' || chat === '') {
      problems.push({ variable: 'TELEGRAM_ROUTES', message: `expected bot=chatId pairs separated by commas, got "${entry}"` });
    } else if (!chats.includes(chat)) {
      problems.push({ variable: 'TELEGRAM_ROUTES', message: `chat ${chat} (for ${bot}) is not in TELEGRAM_OPERATOR_CHAT_IDS; only operator chats are served` });
    } else {
      (chatRoutes[bot] ??= []).push(chat);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    telegram,
    routing: { timeZone: raw.FLEET_TZ, quietHours, operatorChatIds: chats, chatRoutes },
    chats,
    approverIds: raw.TELEGRAM_APPROVER_USER_IDS,
    disclosureApprovers: raw.JBOT_DISCLOSURE_APPROVERS,
    operatorStdin: raw.FLEET_OPERATOR_STDIN && telegram.token === undefined,
    briefTime,
    digestTime,
    briefLookbackHours: 72,
    brainOutageAlertMs: raw.JBOT_BRAIN_OUTAGE_ALERT_SECONDS * 1000,
    brainProbeMs: raw.JBOT_BRAIN_PROBE_MS,
  };
}
