import type { Channel, Db, Env, Logger } from '@jbot/core';
import { loadDiscordConfig } from './discord/discord-config.js';
import { createLocalChannel } from './local/local-channel.js';

/**
 * A bot's work-floor channel from the environment: Discord when DISCORD_TOKEN is set (its
 * channel id from DISCORD_CHANNEL_<BOT>), otherwise the local console channel. Pass the result
 * to startBot({ channel }).
 */
export async function createChannel(dependencies: { db: Db; bot: string; log: Logger; name?: string; env?: Env }): Promise<Channel> {
  const config = loadDiscordConfig(dependencies.bot, dependencies.env ?? process.env);
  if (config === null)
    return createLocalChannel({ db: dependencies.db, bot: dependencies.bot, target: dependencies.name ?? `#${dependencies.bot}`, log: dependencies.log });
  const { createDiscordChannel } = await import('./discord/discord-channel.js');
  return createDiscordChannel({ config, db: dependencies.db, bot: dependencies.bot, log: dependencies.log });
}
