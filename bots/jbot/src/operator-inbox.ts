import type { Db, Logger } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import { pickItem, type InboundTelegramCallback, type InboundTelegramMessage, type MessageBody, type TelegramButton, type TelegramInboundHandler } from '@jbot/channels';
import { decideApproval } from '@jbot/core';
import { parseApprovalCallback } from './offer-approval.js';
import { alreadyDecidedNotice, renderDecidedMessage } from './decided-approval-message.js';
import type { MessageRouter } from './routing.js';
import { queueMorningBrief } from './jobs/morning-brief.js';

interface ReplyTarget {
  [column: string]: unknown;
  message_id: string;
  signal_id: string | null;
  approval_id: string | null;
  body: Partial<MessageBody> | null;
  source_bot: string | null;
}

/** What the inbox needs. */
export interface OperatorInboxOptions {
  db: Db;
  log: Logger;
  router: MessageRouter;
  lookbackHours: number;
  /** Called after jbot queued something, so the dispatcher sends it now. */
  wake: () => void;
  /** Telegram user ids who may decide approvals with the buttons (empty: anyone in an operator chat). */
  approverIds?: readonly string[];
  /** Rewrite a sent message and its buttons (after a decision: only pending approvals keep theirs). */
  edit?: (chatId: string, messageId: number, text: string, buttons: TelegramButton[][]) => Promise<void>;
}

/**
 * jbot's handling of operator messages from allow-listed chats. A message is stored once per
 * update_id before anything else; a repeat that was already routed is dropped, so nothing runs
 * twice (and no router/LLM call happens on a duplicate). A reply to a line goes to the bot that
 * raised its signal as an instruction; anything else is routed by the router or answered here.
 */
export function createOperatorInbox(options: OperatorInboxOptions): TelegramInboundHandler {
  const { db, log, router } = options;

  const say = async (chatId: string, text: string, key: string, replyTo?: number) => {
    await db.rpc('enqueue_telegram_message', {
      p_chat_id: chatId,
      p_bot: 'jbot',
      p_text: text,
      p_body: { kind: 'note' },
      p_reply_to_external_message_id: replyTo === undefined ? null : String(replyTo),
      p_idempotency_key: key,
    });
    options.wake();
  };

  return {
    onCallback: (callback) => decideFromButton(callback, options),
    async onMessage(message: InboundTelegramMessage) {
      let target: ReplyTarget | undefined;
      if (message.replyToMessageId !== null) {
        [target] = await db.rpc<ReplyTarget>('resolve_telegram_reply', { p_chat_id: message.chatId, p_external_message_id: String(message.replyToMessageId) });
      }
      const picked = target === undefined ? null : pickItem(target.body, message.text);
      const signalId = picked?.item.signal_id ?? target?.signal_id ?? null;
      const approvalId = picked?.item.approval_id ?? target?.approval_id ?? null;
      const received = await rpcOne<{ operator_message_id: string; inserted: boolean; status: string }>(db, 'receive_operator_message', {
        p_channel: 'telegram',
        p_sender_id: message.senderId,
        p_text: message.text,
        p_external_update_id: String(message.updateId),
        p_reply_to_message_id: target?.message_id ?? null,
        p_reply_to_signal_id: signalId,
        p_reply_to_approval_id: approvalId,
      });
      const messageLog = log.child({ operatorMessageId: received.operator_message_id, updateId: message.updateId });
      if (!received.inserted && received.status !== 'received') {
        messageLog.info({ status: received.status }, 'repeated Telegram update ignored (already handled)');
        return;
      }
      const operatorMessageId = received.operator_message_id;

      let bot: string | null = null;
      let text = message.text;
      if (target !== undefined) {
        if (picked === null) {
          await db.rpc('route_operator_message', { p_operator_message_id: operatorMessageId, p_routed_to: 'jbot' });
          await say(message.chatId, 'Which one? Reply with its number first, e.g. "2 follow up".', `ask:${operatorMessageId}`, message.messageId);
          await db.rpc('update_operator_message', { p_operator_message_id: operatorMessageId, p_status: 'handled' });
          return;
        }
        text = picked.text;
        if (signalId !== null) {
          const [signal] = await db.rpc<{ source_bot: string }>('get_signal', { p_signal_id: signalId });
          bot = signal?.source_bot ?? picked.item.bot;
        } else {
          bot = picked.item.bot;
        }
      } else {
        const route = await router.route(message.text);
        if (route.kind === 'jbot') {
          await db.rpc('route_operator_message', { p_operator_message_id: operatorMessageId, p_routed_to: 'jbot' });
          if (route.intent === 'brief') {
            await queueMorningBrief(db, { chats: [message.chatId], lookbackHours: options.lookbackHours, key: `asked:${operatorMessageId}`, greeting: 'Here you are' });
            options.wake();
          } else {
            await say(message.chatId, 'I route what you write to the right bot. Reply to a line to answer it, or write "status" for what needs you now.', `help:${operatorMessageId}`, message.messageId);
          }
          await db.rpc('update_operator_message', { p_operator_message_id: operatorMessageId, p_status: 'handled' });
          return;
        }
        bot = route.bot;
        messageLog.info({ to: route.bot, reason: route.reason }, 'free-form operator message routed');
      }
      const [routed] = await db.rpc<{ routed: boolean; instruction_signal_id: string | null }>('route_operator_message', {
        p_operator_message_id: operatorMessageId,
        p_routed_to: bot,
        p_instruction: {
          to_bot: bot,
          text,
          channel: 'telegram',
          sender_id: message.senderId,
          chat_id: message.chatId,
          reply_to_external_message_id: String(message.messageId),
          ...(signalId === null ? {} : { signal_id: signalId }),
          ...(approvalId === null ? {} : { approval_id: approvalId }),
        },
      });
      messageLog.info({ to: bot, answers: signalId, instructionSignalId: routed?.instruction_signal_id }, 'operator instruction routed');
    },
  };
}

/**
 * An Approve / Reject tap: the same first-decision-wins decide_approval as a Discord click. Only
 * operator chats reach here (the transport drops the rest unanswered); with
 * TELEGRAM_APPROVER_USER_IDS set, only those people may decide. The answer is the notice Telegram
 * shows on the tap ("Approved", "Already approved by …", "Not allowed …").
 */
async function decideFromButton(callback: InboundTelegramCallback, options: OperatorInboxOptions): Promise<string> {
  const parsed = parseApprovalCallback(callback.data);
  if (parsed === null) return 'That button is no longer used.';
  const log = options.log.child({ approvalId: parsed.approvalId, senderId: callback.senderId });
  if ((options.approverIds ?? []).length > 0 && !options.approverIds?.includes(callback.senderId)) {
    log.warn('approval tap refused: not in TELEGRAM_APPROVER_USER_IDS');
    return 'Not allowed: you are not an approver. Nothing changed.';
  }
  const outcome = await decideApproval(options.db, { ...parsed, decidedBy: `telegram:${callback.senderId} (${callback.senderName})`, decidedVia: 'telegram' });
  log.info({ decided: outcome.decided, reason: outcome.reason }, outcome.decided ? `approval ${parsed.decision} from Telegram` : 'approval tap changed nothing');
  // The message shows the decision and loses its buttons: after this tap's decision, and also when
  // someone decided first (on Discord, with `fleet approve`, or expiry), so stale buttons go away.
  if (callback.messageId !== null && outcome.approval !== null && outcome.approval.status !== 'pending') {
    const messageId = callback.messageId;
    const decidedHere = outcome.decided ? callback.senderName : null;
    await renderDecidedMessage(options.db, { chatId: callback.chatId, messageId, approval: outcome.approval, decidedHere })
      .then((rendering) => options.edit?.(callback.chatId, messageId, rendering.text, rendering.buttons))
      .catch((error: unknown) => {
        // A repeated late tap re-renders the same text; Telegram refuses that as "not modified".
        if (!String(error).includes('message is not modified')) log.warn({ err: error }, 'could not edit the approval message');
      });
  }
  if (outcome.decided) return parsed.decision === 'approved' ? 'Approved' : 'Rejected';
  return outcome.approval === null ? `No such approval: ${parsed.approvalId}` : alreadyDecidedNotice(outcome.approval);
}
