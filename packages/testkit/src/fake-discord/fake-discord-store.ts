import { randomBytes } from 'node:crypto';

/** A message as the fake holds it (the Discord API message object, trimmed). */
export interface FakeDiscordMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: Array<Record<string, unknown>>;
  components: Array<Record<string, unknown>>;
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  /** How many times it was edited (PATCH), for assertions. */
  editCount: number;
  /** Set on interaction follow-ups: the interaction it answers. */
  interactionToken?: string;
}

/** What the bot answered to one interaction: its callback and any follow-ups. */
export interface FakeDiscordInteractionResponse {
  interactionId: string;
  /** The callback type (4 reply, 6 deferUpdate, 7 update …) and its data. */
  callback: { type: number; data: Record<string, unknown> | null } | null;
  /** Messages sent with the interaction's webhook after the callback. */
  followUps: Array<Record<string, unknown>>;
  /** Callback attempts refused because the interaction was already acknowledged. */
  refusedCallbacks: number;
  /** performance.now() when the interaction was dispatched and when its callback arrived (for benches). */
  dispatchedAt: number;
  acknowledgedAt: number | null;
}

const DISCORD_EPOCH = 1_420_070_400_000n;

/** In-memory state of the fake Discord: messages per channel and interaction responses. */
export class FakeDiscordStore {
  readonly messages = new Map<string, FakeDiscordMessage>();
  readonly interactions = new Map<string, FakeDiscordInteractionResponse & { token: string }>();
  private increment = 0n;

  /** A fresh, increasing snowflake. */
  snowflake(): string {
    this.increment = (this.increment + 1n) & 0xfffn;
    return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | this.increment);
  }

  /** An interaction token (opaque to the client). */
  token(): string {
    return randomBytes(24).toString('base64url');
  }

  createMessage(channelId: string, body: Record<string, unknown>, interactionToken?: string): FakeDiscordMessage {
    const message: FakeDiscordMessage = {
      id: this.snowflake(),
      channel_id: channelId,
      content: typeof body['content'] === 'string' ? body['content'] : '',
      embeds: Array.isArray(body['embeds']) ? (body['embeds'] as Array<Record<string, unknown>>) : [],
      components: Array.isArray(body['components']) ? (body['components'] as Array<Record<string, unknown>>) : [],
      flags: typeof body['flags'] === 'number' ? body['flags'] : 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      editCount: 0,
      ...(interactionToken === undefined ? {} : { interactionToken }),
    };
    this.messages.set(message.id, message);
    return message;
  }

  editMessage(messageId: string, body: Record<string, unknown>): FakeDiscordMessage | undefined {
    const message = this.messages.get(messageId);
    if (message === undefined) return undefined;
    if ('content' in body) message.content = typeof body['content'] === 'string' ? body['content'] : '';
    if ('embeds' in body) message.embeds = Array.isArray(body['embeds']) ? (body['embeds'] as Array<Record<string, unknown>>) : [];
    if ('components' in body) message.components = Array.isArray(body['components']) ? (body['components'] as Array<Record<string, unknown>>) : [];
    message.edited_timestamp = new Date().toISOString();
    message.editCount += 1;
    return message;
  }

  /** Messages posted to a channel (not interaction follow-ups), oldest first. */
  channelMessages(channelId: string): FakeDiscordMessage[] {
    return [...this.messages.values()].filter((message) => message.channel_id === channelId && message.interactionToken === undefined);
  }
}

/** The API shape of a stored message. */
export function messageObject(message: FakeDiscordMessage, author: Record<string, unknown>): Record<string, unknown> {
  return {
    id: message.id,
    channel_id: message.channel_id,
    type: 0,
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    flags: message.flags,
    author,
    timestamp: message.timestamp,
    edited_timestamp: message.edited_timestamp,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    pinned: false,
  };
}
