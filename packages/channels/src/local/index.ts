// The local console channel (no Discord token): stored in channel_messages and printed.
export { createLocalChannel, formatLocalMessage, type LocalChannelOptions } from './local-channel.js';
