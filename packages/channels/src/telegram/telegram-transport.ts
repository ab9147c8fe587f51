import type { ChannelHealth } from '@jbot/core';

/** An inline button under a Telegram message. */
export interface TelegramButton {
  text: string;
  callback_data: string;
}

/** Options for one outbound message. */
export interface TelegramSendOptions {
  /** Thread under this message (an ack under the operator's instruction). */
  replyToMessageId?: number;
  inlineKeyboard?: TelegramButton[][];
  /** The message carries lines the operator can answer by replying (escalations, approvals). */
  answerable?: boolean;
}

/** A text message from an operator chat. */
export interface InboundTelegramMessage {
  updateId: number;
  chatId: string;
  senderId: string;
  messageId: number;
  text: string;
  /** The message it replies to, when it is a reply. */
  replyToMessageId: number | null;
}

/** An inline-button press from an operator chat. */
export interface InboundTelegramCallback {
  updateId: number;
  callbackQueryId: string;
  chatId: string;
  senderId: string;
  /** How people in the chat know who tapped (@username, else first name): shown on the edited message. */
  senderName: string;
  messageId: number | null;
  data: string;
}

/** What the channel calls for operator input (only ever for allow-listed chats). */
export interface TelegramInboundHandler {
  onMessage(message: InboundTelegramMessage): Promise<void>;
  /** Returns the short notice Telegram shows on the button press. */
  onCallback?(callback: InboundTelegramCallback): Promise<string | void>;
}

/** How the dispatcher and jbot reach Telegram: grammY in production, a recorder locally. */
export interface TelegramTransport {
  /** 'telegram' when a real (or emulated) Bot API is behind it; 'local' when only recorded. */
  readonly channel: 'telegram' | 'local';
  send(chatId: string, text: string, options?: TelegramSendOptions): Promise<{ messageId: number }>;
  edit(chatId: string, messageId: number, text: string, inlineKeyboard?: TelegramButton[][]): Promise<void>;
  /** Start receiving operator input (long polling or webhook). */
  start(handler: TelegramInboundHandler): Promise<void>;
  stop(): Promise<void>;
  /** When it last received and sent, and whether receiving works (grammY only; the heartbeat carries it). */
  health?(): ChannelHealth;
  /** The liveness check in progress, if any (tests wait on it after moving the clock). */
  settled?(): Promise<void>;
}
