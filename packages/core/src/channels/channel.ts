import type { Severity } from '../signals/severity.js';
import type { ChannelHealth } from './channel-health.js';

/** A button under a message (Approve / Reject). `id` is what comes back when someone clicks. */
export interface ChannelButton {
  id: string;
  label: string;
  style: 'primary' | 'success' | 'danger' | 'secondary';
}

/** One labelled value in a detail message (deal name → owner, last touch …). */
export interface ChannelField {
  name: string;
  value: string;
  inline?: boolean;
}

/** What a bot posts to its work-floor channel; each channel renders it its own way. */
export interface ChannelMessage {
  title: string;
  text: string;
  fields?: ChannelField[];
  severity?: Severity;
  /** The signal this message shows in full. */
  signalId?: string;
  /** The approval this message asks for (or reports on). */
  approvalId?: string;
  buttons?: ChannelButton[];
  /** A short line under the message (status, who decided, the approval id). */
  footer?: string;
  /** What kind of post this is, recorded in channel_messages.body (signal, approval, note …). */
  kind?: string;
}

/** A message as sent: the channel_messages row and the channel's own id for it. */
export interface PostedMessage {
  /** channel_messages.id */
  messageId: string;
  channel: ChannelKind;
  target: string;
  /** Discord message id; null on the local channel. */
  externalMessageId: string | null;
}

/** The channels a message can go out on (channel_messages.channel). */
export type ChannelKind = 'discord' | 'telegram' | 'local';

/** A person's click on an approval button (Approve, Reject, or Retry on a failed one), as the channel hands it to the runtime. */
export interface ApprovalClick {
  approvalId: string;
  /** `retry`: a person retries a failed approval (the Retry button); nothing done is repeated. */
  decision: 'approved' | 'rejected' | 'retry';
  /** Who clicked, as it goes into approvals.decided_by (e.g. "discord:123 (ana)"). */
  decidedBy: string;
}

/** What became of a click: the channel tells the person when it changed nothing. */
export interface ApprovalClickOutcome {
  decided: boolean;
  /** A one-line reason for the person when nothing changed ("already approved by …"). */
  reason: string;
}

/** What the runtime gives a channel that receives clicks. */
export interface ChannelInbound {
  decide(click: ApprovalClick): Promise<ApprovalClickOutcome>;
}

/**
 * A bot's work-floor channel (Discord, or the local console). Every message it sends is
 * recorded in channel_messages. Implementations live in @jbot/channels; the runtime only knows
 * this interface, so processes without Discord never load discord.js.
 */
export interface Channel {
  readonly kind: ChannelKind;
  /** Where this bot's messages go: a Discord channel id, or the local channel's name (#sales-bot). */
  readonly target: string;
  /** Send a message and record it. */
  post(message: ChannelMessage): Promise<PostedMessage>;
  /** Replace a message's content (buttons included) and record the edit. */
  edit(posted: PostedMessage, message: ChannelMessage): Promise<void>;
  /** Start receiving approval clicks (Discord buttons); channels without buttons ignore it. */
  start?(inbound: ChannelInbound): Promise<void>;
  /** Disconnect. */
  close(): Promise<void>;
  /** How the connection is doing (Discord: gateway and REST); the heartbeat carries it. */
  health?(): ChannelHealth;
}
