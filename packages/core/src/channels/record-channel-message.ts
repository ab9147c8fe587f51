import type { Db } from '../db/db.js';
import type { ChannelKind, ChannelMessage } from './channel.js';
import { rpcOne } from '../db/rpc-one.js';

/** One outbound message to record; every channel calls this for every message it sends. */
export interface OutboundRecord {
  channel: ChannelKind;
  target: string;
  bot: string;
  message: ChannelMessage;
  externalMessageId?: string | null;
  status?: 'sent' | 'failed' | 'queued';
  error?: string;
}

/** The readable plain-text form of a message: what channel_messages.text holds. */
export function messageText(message: ChannelMessage): string {
  const lines = [message.title, message.text];
  for (const field of message.fields ?? []) lines.push(`${field.name}: ${field.value}`);
  if (message.footer !== undefined) lines.push(message.footer);
  return lines.filter((line) => line !== '').join('\n');
}

/** The structured form stored in channel_messages.body, for audit and for re-rendering. */
export function messageBody(message: ChannelMessage): Record<string, unknown> {
  return {
    kind: message.kind ?? (message.approvalId !== undefined ? 'approval' : message.signalId !== undefined ? 'signal' : 'note'),
    title: message.title,
    ...(message.severity === undefined ? {} : { severity: message.severity }),
    ...(message.fields === undefined ? {} : { fields: message.fields }),
    ...(message.buttons === undefined ? {} : { buttons: message.buttons }),
    ...(message.footer === undefined ? {} : { footer: message.footer }),
  };
}

/** Record an outbound message through record_channel_message; returns the row id. */
export async function recordChannelMessage(db: Db, record: OutboundRecord): Promise<string> {
  const row = await rpcOne<{ message_id: string }>(db, 'record_channel_message', {
    p_channel: record.channel,
    p_target: record.target,
    p_bot: record.bot,
    p_text: messageText(record.message),
    p_body: messageBody(record.message),
    p_signal_id: record.message.signalId ?? null,
    p_approval_id: record.message.approvalId ?? null,
    p_external_message_id: record.externalMessageId ?? null,
    p_status: record.status ?? 'sent',
    p_error: record.error ?? null,
  });
  return row.message_id;
}

/** Record that a message was edited (new text and body). */
export async function recordChannelMessageEdit(db: Db, messageId: string, message: ChannelMessage): Promise<void> {
  await db.rpc('mark_channel_message_edited', { p_message_id: messageId, p_text: messageText(message), p_body: messageBody(message) });
}
