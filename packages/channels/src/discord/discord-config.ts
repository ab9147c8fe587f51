import { envList, optionalHttpUrl, optionalString, parseEnv, type ConfigProblem, type Env } from '@jbot/core';

/** The Discord variables every bot reads (its channel id is DISCORD_CHANNEL_<BOT>). */
export const discordEnvShape = {
  DISCORD_TOKEN: optionalString,
  DISCORD_API_BASE: optionalHttpUrl,
  DISCORD_APPROVER_USER_IDS: envList,
  DISCORD_APPROVER_ROLE_IDS: envList,
} as const;

/** One bot's Discord configuration. */
export interface DiscordConfig {
  token: string;
  /** REST base (discord.js `rest.api`); the gateway URL comes from GET /gateway/bot on it. */
  apiBase?: string;
  /** The bot's own work-floor channel. */
  channelId: string;
  /** Who may press Approve / Reject: these users, or anyone holding one of these roles. */
  approverUserIds: ReadonlySet<string>;
  approverRoleIds: ReadonlySet<string>;
}

/** DISCORD_CHANNEL_SALESBOT for salesbot (dashes become underscores). */
export function discordChannelVariable(bot: string): string {
  return `DISCORD_CHANNEL_${bot.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

const SNOWFLAKE = /^\d{15,21}$/;

/**
 * Parse one bot's Discord configuration; null when DISCORD_TOKEN is unset (the bot uses the
 * local channel). Throws ConfigError naming each bad variable.
 */
export function loadDiscordConfig(bot: string, env: Env = process.env): DiscordConfig | null {
  const channelVariable = discordChannelVariable(bot);
  const shape = { ...discordEnvShape, [channelVariable]: optionalString };
  const raw = parseEnv(shape, env, (parsed) => {
    const problems: ConfigProblem[] = [];
    const values = parsed as Record<string, unknown>;
    const channelId = values[channelVariable] as string | undefined;
    if (parsed.DISCORD_TOKEN !== undefined && channelId === undefined) {
      problems.push({
        variable: channelVariable,
        message: `is required when DISCORD_TOKEN is set: the id of ${bot}'s Discord channel (Developer Mode → right-click the channel → Copy Channel ID)`,
      });
    }
    if (channelId !== undefined && !SNOWFLAKE.test(channelId))
      problems.push({ variable: channelVariable, message: `expected a numeric Discord channel id, got "${channelId}"` });
    for (const variable of ['DISCORD_APPROVER_USER_IDS', 'DISCORD_APPROVER_ROLE_IDS'] as const) {
      const bad = parsed[variable].filter((id) => !SNOWFLAKE.test(id));
      if (bad.length > 0) problems.push({ variable, message: `expected numeric Discord ids, got ${bad.join(', ')}` });
    }
    return problems;
  }) as Record<string, unknown> & {
    DISCORD_TOKEN: string | undefined;
    DISCORD_API_BASE: string | undefined;
    DISCORD_APPROVER_USER_IDS: string[];
    DISCORD_APPROVER_ROLE_IDS: string[];
  };
  if (raw.DISCORD_TOKEN === undefined) return null;
  return {
    token: raw.DISCORD_TOKEN,
    ...(raw.DISCORD_API_BASE === undefined ? {} : { apiBase: raw.DISCORD_API_BASE.replace(/\/+$/, '') }),
    channelId: raw[channelVariable] as string,
    approverUserIds: new Set(raw.DISCORD_APPROVER_USER_IDS),
    approverRoleIds: new Set(raw.DISCORD_APPROVER_ROLE_IDS),
  };
}
