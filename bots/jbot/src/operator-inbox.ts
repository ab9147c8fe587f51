import type { Approval, Db, Logger } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import {
  pickItem,
  type InboundTelegramCallback,
  type InboundTelegramMessage,
  type MessageBody,
  type TelegramButton,
  type TelegramInboundHandler,
} from '@jbot/channels';
import { decideApproval, getApproval } from '@jbot/core';
import { parseApprovalCallback, queueFullDraft } from './offer-approval.js';
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
  /** Where an Approve / Reject tap is decided: the channel handlers' role (fleet_channels); default `db`. */
  decisionsDb?: Db;
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
        target = await resolveReply(db, message.chatId, message.replyToMessageId);
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
            await queueMorningBrief(db, {
              chats: [message.chatId],
              lookbackHours: options.lookbackHours,
              key: `asked:${operatorMessageId}`,
              greeting: 'Here you are',
            });
            options.wake();
          } else {
            await say(
              message.chatId,
              'I route what you write to the right bot. Reply to a line to answer it, or write "status" for what needs you now.',
              `help:${operatorMessageId}`,
              message.messageId,
            );
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

/** How long a reply waits for the record of a send still in flight to its chat. */
export const REPLY_RECORD_WAIT_MS = 10_000;

/**
 * The sent message a reply answers. A quick reply can overtake the dispatcher's record of that
 * message (it lands just after Telegram accepted the send), and unresolved it would be routed as
 * free-form text, losing the signal it answers: so while a send to this chat is in flight, look
 * again once it is recorded. In-flight is read before each look, so a record that commits in
 * between is seen by that look.
 */
async function resolveReply(db: Db, chatId: string, messageId: number): Promise<ReplyTarget | undefined> {
  const deadline = Date.now() + REPLY_RECORD_WAIT_MS;
  for (;;) {
    const [inFlight] = await db.rpc<{ sends: number }>('telegram_sends_in_flight', { p_chat_id: chatId });
    const [target] = await db.rpc<ReplyTarget>('resolve_telegram_reply', { p_chat_id: chatId, p_external_message_id: String(messageId) });
    if (target !== undefined || Number(inFlight?.sends ?? 0) === 0 || Date.now() > deadline) return target;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * An Approve / Reject / Full draft tap: the same first-decision-wins decide_approval as a Discord
 * click. Only operator chats reach here (the transport drops the rest unanswered); with
 * TELEGRAM_APPROVER_USER_IDS set, only those people may decide. Telegram does not check
 * callback_data against the keyboard, so a tap counts only when the pressed message (this chat,
 * this message id, from the outbound log) carried exactly that button: a forged tap for another
 * approval, another chat's approval, or an Approve on a message that did not show the whole draft
 * changes nothing. The answer is the notice Telegram shows on the tap ("Approved", "Already
 * approved by …", "Not allowed …").
 */
async function decideFromButton(callback: InboundTelegramCallback, options: OperatorInboxOptions): Promise<string> {
  const parsed = parseApprovalCallback(callback.data);
  if (parsed === null) return 'That button is no longer used.';
  const log = options.log.child({ approvalId: parsed.approvalId, senderId: callback.senderId, chatId: callback.chatId, messageId: callback.messageId });
  if ((options.approverIds ?? []).length > 0 && !options.approverIds?.includes(callback.senderId)) {
    log.warn('approval tap refused: not in TELEGRAM_APPROVER_USER_IDS');
    return 'Not allowed: you are not an approver. Nothing changed.';
  }
  // A quick tap can overtake the record of the message, like a quick reply: resolve it the same way.
  const pressed = callback.messageId === null ? undefined : await resolveReply(options.db, callback.chatId, callback.messageId);
  const offered =
    Array.isArray(pressed?.body?.buttons) &&
    pressed.body.buttons.some((row) => Array.isArray(row) && row.some((button) => button.callback_data === callback.data));
  if (!offered) {
    log.warn({ data: callback.data }, 'approval tap refused: the pressed message did not offer that button (forged or stale callback data)');
    return 'Not allowed: this message did not offer that button. Nothing changed.';
  }
  if (parsed.choice === 'full_draft') return sendFullDraft(callback, parsed.approvalId, pressed?.signal_id ?? null, options);
  const decision = parsed.choice;
  const outcome = await decideApproval(options.decisionsDb ?? options.db, {
    approvalId: parsed.approvalId,
    decision,
    decidedBy: `telegram:${callback.senderId} (${callback.senderName})`,
    decidedVia: 'telegram',
  });
  log.info({ decided: outcome.decided, reason: outcome.reason }, outcome.decided ? `approval ${decision} from Telegram` : 'approval tap changed nothing');
  // The message shows the decision and loses its buttons: after this tap's decision, and also when
  // someone decided first (on Discord, with `fleet approve`, or expiry), so stale buttons go away.
  if (outcome.approval !== null && outcome.approval.status !== 'pending')
    await showDecision(callback, outcome.approval, outcome.decided ? callback.senderName : null, options, log);
  if (outcome.decided) return decision === 'approved' ? 'Approved' : 'Rejected';
  return outcome.approval === null ? `No such approval: ${parsed.approvalId}` : alreadyDecidedNotice(outcome.approval);
}

// "📄 Full draft": every word of a pending approval's draft, in this chat, with Approve under it.
async function sendFullDraft(callback: InboundTelegramCallback, approvalId: string, signalId: string | null, options: OperatorInboxOptions): Promise<string> {
  const approval = await getApproval(options.db, approvalId);
  if (approval === null) return `No such approval: ${approvalId}`;
  if (approval.status !== 'pending') {
    await showDecision(callback, approval, null, options, options.log.child({ approvalId }));
    return alreadyDecidedNotice(approval);
  }
  await queueFullDraft(options.db, { approval, chatId: callback.chatId, tapKey: callback.callbackQueryId, signalId: signalId ?? approval.signalId });
  options.wake();
  options.log.info({ approvalId, chatId: callback.chatId, senderId: callback.senderId }, 'full approval draft sent to Telegram');
  return 'The full draft follows below; Approve is under it.';
}

// Re-render the pressed message with the decision (and without the buttons it no longer needs).
async function showDecision(
  callback: InboundTelegramCallback,
  approval: Approval,
  decidedHere: string | null,
  options: OperatorInboxOptions,
  log: Logger,
): Promise<void> {
  if (callback.messageId === null) return;
  const messageId = callback.messageId;
  await renderDecidedMessage(options.db, { chatId: callback.chatId, messageId, approval, decidedHere })
    .then((rendering) => options.edit?.(callback.chatId, messageId, rendering.text, rendering.buttons))
    // The line now shows this status: the approval-line refresher need not edit it again.
    .then(() =>
      options.db.rpc('mark_telegram_approval_line', { p_chat_id: callback.chatId, p_external_message_id: String(messageId), p_status: approval.status }),
    )
    .catch((error: unknown) => {
      // A repeated late tap re-renders the same text; Telegram refuses that as "not modified".
      if (!String(error).includes('message is not modified')) log.warn({ err: error }, 'could not edit the approval message');
    });
}
