import type { Signal } from '../signals/signal.js';
import type { BotContext, BotDefinition, OperatorInstruction } from './define-bot.js';

/** The operator_instruction payload (see the signal catalog). */
interface InstructionPayload {
  to_bot: string;
  text: string;
  operator_message_id: string;
  channel: 'telegram' | 'discord' | 'local';
  sender_id: string;
  signal_id?: string;
  approval_id?: string;
  chat_id?: string;
  reply_to_external_message_id?: string;
}

/**
 * The runtime's handler for `operator_instruction`: ignore instructions for other bots, run the
 * bot's onInstruction, then acknowledge to the operator (Telegram outbox, threaded under their
 * message; jbot sends it) and show the work on the bot's channel. Every write is keyed by the
 * instruction, so a redelivery after a crash repeats nothing the operator can see.
 */
export function instructionHandler(definition: BotDefinition) {
  return async (signal: Signal, context: BotContext): Promise<void> => {
    const payload = signal.payload as InstructionPayload;
    if (payload.to_bot !== definition.name) return;
    const instruction: OperatorInstruction = {
      text: payload.text,
      operatorMessageId: payload.operator_message_id,
      signalId: payload.signal_id ?? null,
      approvalId: payload.approval_id ?? null,
      instructionSignalId: signal.id,
      channel: payload.channel,
      senderId: payload.sender_id,
    };
    const log = context.log.child({ operatorMessageId: instruction.operatorMessageId, answers: instruction.signalId });
    log.info({ text: instruction.text }, 'operator instruction received');
    let summary: string | void;
    try {
      summary = await definition.onInstruction?.(instruction, context);
    } catch (error) {
      await context.db.rpc('update_operator_message', { p_operator_message_id: instruction.operatorMessageId, p_status: 'failed', p_error: String(error) });
      throw error;
    }
    const acknowledgement = `${definition.name}: ${summary === undefined || summary === '' ? `on it — "${truncate(instruction.text, 80)}"` : summary}`;
    if (payload.chat_id !== undefined) {
      await context.db.rpc('enqueue_telegram_message', {
        p_chat_id: payload.chat_id,
        p_bot: definition.name,
        p_text: acknowledgement,
        p_body: { kind: 'ack', operator_message_id: instruction.operatorMessageId },
        p_signal_id: instruction.signalId,
        p_reply_to_external_message_id: payload.reply_to_external_message_id,
        p_idempotency_key: `ack:${instruction.operatorMessageId}`,
      });
    } else {
      await context.db.rpc('record_signal_post', {
        p_signal_id: signal.id,
        p_channel: 'local',
        p_target: 'operator',
        p_bot: definition.name,
        p_text: acknowledgement,
      });
      // No Telegram chat to answer in (`fleet reply`): the `pnpm start` console is the operator's screen.
      log.info({ channel: 'telegram(local)', chatId: 'local-operator' }, acknowledgement);
    }
    const workFloor = [
      `Operator instruction${instruction.signalId === null ? '' : ` (re signal ${instruction.signalId})`}: "${instruction.text}"`,
      `→ ${acknowledgement}`,
    ].join('\n');
    await context.db.rpc('record_signal_post', {
      p_signal_id: signal.id,
      p_channel: 'local',
      p_target: definition.channel ?? `#${definition.name}`,
      p_bot: definition.name,
      p_text: workFloor,
      p_body: { kind: 'instruction', operator_message_id: instruction.operatorMessageId, answers: instruction.signalId },
    });
    await context.db.rpc('update_operator_message', { p_operator_message_id: instruction.operatorMessageId, p_status: 'handled' });
  };
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
