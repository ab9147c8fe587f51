// The Discord channel. Importing this module does not load discord.js: createDiscordChannel
// imports it on demand, so only processes that talk to Discord pay for it.
export { createDiscordChannel, type DiscordChannelOptions } from './discord-channel.js';
export { loadDiscordConfig, discordChannelVariable, discordEnvShape, type DiscordConfig } from './discord-config.js';
export { renderDiscordMessages, approvalCustomId, parseApprovalCustomId, DISCORD_LIMITS, type DiscordMessageBody } from './discord-render.js';
export { probeDiscord } from './probe-discord.js';
export { GatewayWatchdog, type GatewayWatchdogSettings } from './gateway-watchdog.js';
