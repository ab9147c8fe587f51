import { z } from 'zod';
import type { ApprovalExecutionContext } from '@jbot/core';

/** One drafted message to a creator, exactly as the approver sees it and the executor sends it. */
export const creatorMessageDraft = z.object({
  recipient: z.string().min(1),
  body: z.string().min(10).max(2000),
  /** The collaboration it is about, when there is one. */
  collab_id: z.string().optional(),
  /** The Instagram-scoped id of an open conversation (live DMs need one). */
  recipient_id: z.string().optional(),
});

/** What sending one message did. */
export interface SentCreatorMessage {
  recipient: string;
  message_id: string;
  sent_now: boolean;
}

/**
 * Send one creator message under a key derived from the approval's idempotency key, the kind and
 * the recipient: a retry after a crash, or a second studiobot host, sends nothing twice.
 */
export async function sendCreatorMessage(
  context: ApprovalExecutionContext,
  input: { recipient: string; kind: string; channel: 'dm' | 'comment_reply'; body: string; mediaId?: string; recipientId?: string },
): Promise<SentCreatorMessage> {
  const sent = await context.connectors.creators.sendMessage({
    recipient: input.recipient,
    channel: input.channel,
    kind: input.kind,
    body: input.body,
    ...(input.mediaId === undefined ? {} : { mediaId: input.mediaId }),
    ...(input.recipientId === undefined ? {} : { recipientId: input.recipientId }),
    idempotencyKey: `${context.idempotencyKey}:${input.kind}:${input.mediaId ?? input.recipient}`,
  });
  context.log.info({ recipient: input.recipient, kind: input.kind, messageId: sent.messageId, sentNow: sent.created }, `${input.kind} to @${input.recipient}`);
  return { recipient: input.recipient, message_id: sent.messageId, sent_now: sent.created };
}

/** "sent 3 outreach messages (1 already sent)". */
export function sentSummary(noun: string, sent: readonly SentCreatorMessage[]): string {
  const fresh = sent.filter((message) => message.sent_now).length;
  return `sent ${fresh} ${noun}${fresh === 1 ? '' : 's'}${fresh === sent.length ? '' : ` (${sent.length - fresh} already sent)`}`;
}
