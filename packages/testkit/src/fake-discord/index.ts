// A small local Discord (REST + gateway) that discord.js runs against unmodified.
export { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type FakeDiscordClick } from './fake-discord-server.js';
export { FakeDiscordStore, type FakeDiscordMessage, type FakeDiscordInteractionResponse } from './fake-discord-store.js';
