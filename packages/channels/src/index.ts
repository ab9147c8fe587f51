export {};

// Telegram (jbot's executive layer; grammY loaded on demand)
export * from './telegram/index.js';

// Discord (the work floor; discord.js loaded on demand) and the local console channel
export * from './discord/index.js';
export * from './local/index.js';
export { createChannel } from './create-channel.js';
