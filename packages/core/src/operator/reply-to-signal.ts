import type { Db } from '../db/db.js';
import { rpcOne } from '../db/rpc-one.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An operator's reply to a signal, typed somewhere other than Telegram (the CLI, the dashboard). */
export interface ReplyToSignalInput {
  signalId: string;
  text: string;
  /** Where the operator_messages row says it came from; 'local' for the CLI and the dashboard. */
  channel: 'local' | 'telegram' | 'discord';
  /** Who typed it, as people read it: "cli:ana", "dashboard:operator". */
  senderId: string;
}

/** What the reply did. */
export type ReplyToSignalResult =
  { replied: true; operatorMessageId: string; to: string; signalType: string; instructionSignalId: string | null } | { replied: false; reason: string };

/**
 * Store a reply like a Telegram reply — linked to the signal it answers — and route it to the bot
 * that raised the signal as an operator_instruction (that bot acknowledges on its channel). The CLI
 * (`fleet reply`) and the dashboard both call this, so a reply lands the same way from either.
 */
export async function replyToSignal(db: Db, input: ReplyToSignalInput): Promise<ReplyToSignalResult> {
  const text = input.text.trim();
  if (text === '') return { replied: false, reason: 'the reply is empty' };
  if (!UUID.test(input.signalId)) return { replied: false, reason: `no signal ${input.signalId}` };
  const [signal] = await db.rpc<{ signal_id: string; source_bot: string; signal_type: string }>('get_signal', { p_signal_id: input.signalId });
  if (signal === undefined) return { replied: false, reason: `no signal ${input.signalId}` };
  const received = await rpcOne<{ operator_message_id: string }>(db, 'receive_operator_message', {
    p_channel: input.channel,
    p_sender_id: input.senderId,
    p_text: text,
    p_reply_to_signal_id: signal.signal_id,
  });
  const [routed] = await db.rpc<{ routed: boolean; instruction_signal_id: string | null }>('route_operator_message', {
    p_operator_message_id: received.operator_message_id,
    p_routed_to: signal.source_bot,
    p_instruction: { to_bot: signal.source_bot, text, channel: input.channel, sender_id: input.senderId, signal_id: signal.signal_id },
  });
  return {
    replied: true,
    operatorMessageId: received.operator_message_id,
    to: signal.source_bot,
    signalType: signal.signal_type,
    instructionSignalId: routed?.instruction_signal_id ?? null,
  };
}
