import { z } from 'zod';
import { defineAction } from '@jbot/core';
import { creatorMessageDraft, sendCreatorMessage, sentSummary, type SentCreatorMessage } from './creator-message.js';

const fixDraft = z.object({
  messages: z
    .array(creatorMessageDraft.extend({ collab_id: z.string().min(1), post_url: z.string().min(1), issues: z.array(z.string().min(1)).min(1) }))
    .min(1),
});

/** The approval draft: one fix request per non-compliant post. */
export type CreatorFixRequestsDraft = z.input<typeof fixDraft>;

/** `send_creator_fix_requests`: a DM per live post that needs fixing (disclosure, code, tag, claims). */
export const sendCreatorFixRequests = defineAction({
  name: 'send_creator_fix_requests',
  draft: fixDraft,
  async execute({ messages }, context): Promise<{ summary: string; messages: SentCreatorMessage[] }> {
    const sent: SentCreatorMessage[] = [];
    for (const message of messages) {
      sent.push(
        await sendCreatorMessage(context, {
          recipient: message.recipient,
          kind: 'fix_request',
          channel: 'dm',
          body: message.body,
          ...(message.recipient_id === undefined ? {} : { recipientId: message.recipient_id }),
        }),
      );
    }
    return { summary: sentSummary('fix request', sent), messages: sent };
  },
});
