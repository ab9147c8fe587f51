import { approvalRequested, type BotContext, type Signal } from '@jbot/core';
import type { TelegramButton } from '@jbot/channels';
import type { JbotConfig } from './jbot-config.js';
import { routeSignal } from './routing.js';

/** Callback data of an approval button: `ap:<approval id>:a` (approve) or `:r` (reject). */
export function approvalCallbackData(approvalId: string, decision: 'approved' | 'rejected'): string {
  return `ap:${approvalId}:${decision === 'approved' ? 'a' : 'r'}`;
}

/** Read an approval button's callback data; null for anything else. */
export function parseApprovalCallback(data: string): { approvalId: string; decision: 'approved' | 'rejected' } | null {
  const match = /^ap:([0-9a-f-]{36}):(a|r)$/i.exec(data);
  return match === null ? null : { approvalId: match[1] ?? '', decision: match[2] === 'a' ? 'approved' : 'rejected' };
}

/**
 * jbot's handler for `approval_requested`: offer the decision to the operator on Telegram — one
 * line with Approve / Reject buttons, queued once per approval and chat. In quiet hours it is not
 * sent (the approval waits on the work floor and in `fleet approvals`); the decision itself is
 * the same first-decision-wins call as a Discord click.
 */
export async function offerApproval(signal: Signal, context: BotContext, dependencies: { config: JbotConfig; now: () => Date; wake: () => void }): Promise<void> {
  const request = approvalRequested.schema.parse(signal.payload);
  const decision = routeSignal(signal, dependencies.config.routing, dependencies.now());
  if (decision.telegram === null || decision.telegram.hold) {
    context.log.info({ approvalId: request.approval_id }, 'approval request not offered on Telegram (quiet hours); it waits on the work floor');
    return;
  }
  const buttons: TelegramButton[][] = [[
    { text: '✅ Approve', callback_data: approvalCallbackData(request.approval_id, 'approved') },
    { text: '✖️ Reject', callback_data: approvalCallbackData(request.approval_id, 'rejected') },
  ]];
  for (const chat of decision.telegram.chats) {
    await context.db.rpc('enqueue_telegram_message', {
      p_chat_id: chat,
      p_bot: request.bot,
      p_text: `${request.bot} asks: ${request.title}`,
      p_body: { kind: 'approval', buttons },
      // A text reply to the line reaches the bot that asked, about what it asked for.
      p_signal_id: request.signal_id ?? signal.id,
      p_approval_id: request.approval_id,
      p_reply_to_external_message_id: null,
      p_idempotency_key: `approval:${request.approval_id}:${chat}`,
    });
  }
  dependencies.wake();
}
