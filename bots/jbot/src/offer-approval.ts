import { approvalRequested, getApproval, splitText, type Approval, type BotContext, type Db, type Signal } from '@jbot/core';
import type { TelegramButton } from '@jbot/channels';
import type { JbotConfig } from './jbot-config.js';
import { isEmptyDraft, renderDraft } from './draft-text.js';
import { routeSignal } from './routing.js';

/** What an approval button does: decide, or send the whole draft to read before deciding. */
export type ApprovalChoice = 'approved' | 'rejected' | 'full_draft';

const CHOICE_CODES: Record<ApprovalChoice, string> = { approved: 'a', rejected: 'r', full_draft: 'd' };

/** Callback data of an approval button: `ap:<approval id>:a` (approve), `:r` (reject) or `:d` (full draft). */
export function approvalCallbackData(approvalId: string, choice: ApprovalChoice): string {
  return `ap:${approvalId}:${CHOICE_CODES[choice]}`;
}

/** Read an approval button's callback data; null for anything else. */
export function parseApprovalCallback(data: string): { approvalId: string; choice: ApprovalChoice } | null {
  const match = /^ap:([0-9a-f-]{36}):(a|r|d)$/i.exec(data);
  if (match === null) return null;
  const choice = match[2] === 'a' ? 'approved' : match[2] === 'r' ? 'rejected' : 'full_draft';
  return { approvalId: match[1] ?? '', choice };
}

/**
 * The longest offer that goes out whole. Kept under the dispatcher's line limit (3,500) so an
 * offer carrying an Approve button is never clipped after the fact.
 */
export const OFFER_MAX_CHARS = 3000;
/** One message of a full draft (under the dispatcher's line limit, with room for "(2/3)"). */
const FULL_DRAFT_PART_CHARS = 3300;

/** An approval as the phone offers it: the text and its buttons. */
export interface ApprovalOffer {
  text: string;
  buttons: TelegramButton[][];
  /** True when the text holds the whole draft, so Approve sits under it. */
  complete: boolean;
}

/**
 * The offer for one approval. What a person approves must be what they saw, and drafts hold text a
 * model wrote from outside data, so Approve only ever sits under the whole draft: a draft that
 * fits is shown whole with Approve / Reject; a longer one shows its recipients, subjects and first
 * lines with "📄 Full draft" / Reject, and the full draft (sent on that tap) carries Approve.
 */
export function approvalOffer(approval: Pick<Approval, 'id' | 'bot' | 'title' | 'draft'>): ApprovalOffer {
  const headline = `${approval.bot} asks: ${clip(approval.title, 300)}`;
  const full = isEmptyDraft(approval.draft) ? headline : `${headline}\n${renderDraft(approval.draft, 'full')}`;
  const reject = { text: '✖️ Reject', callback_data: approvalCallbackData(approval.id, 'rejected') };
  if (full.length <= OFFER_MAX_CHARS) {
    return { text: full, buttons: [[{ text: '✅ Approve', callback_data: approvalCallbackData(approval.id, 'approved') }, reject]], complete: true };
  }
  const footer = '✂️ Clipped: tap 📄 Full draft to read every word; Approve is under it.';
  const summary = clip(`${headline}\n${renderDraft(approval.draft, 'summary')}`, OFFER_MAX_CHARS - footer.length - 1);
  return {
    text: `${summary}\n${footer}`,
    buttons: [[{ text: '📄 Full draft', callback_data: approvalCallbackData(approval.id, 'full_draft') }, reject]],
    complete: false,
  };
}

/** The whole draft as consecutive messages; the last carries Approve / Reject. */
export function fullDraftMessages(approval: Pick<Approval, 'id' | 'bot' | 'title' | 'draft'>): Array<{ text: string; buttons: TelegramButton[][] | null }> {
  const parts = splitText(`Full draft — ${approval.bot} asks: ${approval.title}\n${renderDraft(approval.draft, 'full')}`, FULL_DRAFT_PART_CHARS);
  return parts.map((part, index) => ({
    text: parts.length === 1 ? part : `(${index + 1}/${parts.length}) ${part}`,
    buttons:
      index === parts.length - 1
        ? [
            [
              { text: '✅ Approve', callback_data: approvalCallbackData(approval.id, 'approved') },
              { text: '✖️ Reject', callback_data: approvalCallbackData(approval.id, 'rejected') },
            ],
          ]
        : null,
  }));
}

/**
 * Queue the full draft of an approval for a chat (after a "📄 Full draft" tap). Keyed by the tap,
 * so a redelivered update queues nothing new.
 */
export async function queueFullDraft(db: Db, input: { approval: Approval; chatId: string; tapKey: string; signalId: string | null }): Promise<void> {
  const messages = fullDraftMessages(input.approval);
  for (const [index, message] of messages.entries()) {
    await db.rpc('enqueue_telegram_message', {
      p_chat_id: input.chatId,
      p_bot: input.approval.bot,
      p_text: message.text,
      // The part with the buttons is an approval line: a tap on it is checked against this message.
      p_body: message.buttons === null ? { kind: 'note' } : { kind: 'approval', buttons: message.buttons },
      p_signal_id: message.buttons === null ? null : input.signalId,
      p_approval_id: message.buttons === null ? null : input.approval.id,
      p_reply_to_external_message_id: null,
      p_idempotency_key: `approval-draft:${input.approval.id}:${input.chatId}:${input.tapKey}:${index}`,
    });
  }
}

/**
 * jbot's handler for `approval_requested`: offer the decision to the operator on Telegram — the
 * draft as approvalOffer shows it, queued once per approval and chat. In quiet hours it is not
 * sent (the approval waits on the work floor and in `fleet approvals`); the decision itself is
 * the same first-decision-wins call as a Discord click.
 */
export async function offerApproval(
  signal: Signal,
  context: BotContext,
  dependencies: { config: JbotConfig; now: () => Date; wake: () => void },
): Promise<void> {
  const request = approvalRequested.schema.parse(signal.payload);
  const decision = routeSignal(signal, dependencies.config.routing, dependencies.now());
  if (decision.telegram === null || decision.telegram.hold) {
    context.log.info({ approvalId: request.approval_id }, 'approval request not offered on Telegram (quiet hours); it waits on the work floor');
    return;
  }
  // The draft comes from the brain, the same row the executor will act on.
  const approval = await getApproval(context.db, request.approval_id);
  if (approval === null) throw new Error(`approval ${request.approval_id} (from signal ${signal.id}) is not in the brain; retrying`);
  const offer = approvalOffer(approval);
  for (const chat of decision.telegram.chats) {
    await context.db.rpc('enqueue_telegram_message', {
      p_chat_id: chat,
      p_bot: request.bot,
      p_text: offer.text,
      p_body: { kind: 'approval', buttons: offer.buttons },
      // A text reply to the line reaches the bot that asked, about what it asked for.
      p_signal_id: request.signal_id ?? signal.id,
      p_approval_id: request.approval_id,
      p_reply_to_external_message_id: null,
      p_idempotency_key: `approval:${request.approval_id}:${chat}`,
    });
  }
  dependencies.wake();
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
