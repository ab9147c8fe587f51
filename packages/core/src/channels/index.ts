// Channels, as the runtime and bots see them. Vendors (Discord, Telegram) live in @jbot/channels.
export type {
  Channel,
  ChannelMessage,
  ChannelField,
  ChannelButton,
  ChannelKind,
  PostedMessage,
  ChannelInbound,
  ApprovalClick,
  ApprovalClickOutcome,
} from './channel.js';
export { recordChannelMessage, recordChannelMessageEdit, messageText, messageBody, type OutboundRecord } from './record-channel-message.js';
export { createLocalRecordingChannel, type LocalRecordingChannelOptions } from './local-recording-channel.js';
export { signalDetailMessage, withDetailPosts, type SignalDetailInput } from './signal-detail.js';
export { splitText } from './split-text.js';
export { ChannelLiveness, ChannelHealthBoard, type ChannelHealth, type LivenessClock } from './channel-health.js';
