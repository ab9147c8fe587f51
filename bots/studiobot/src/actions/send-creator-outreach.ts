import { z } from 'zod';
import { defineAction } from '@jbot/core';
import { creatorMessageDraft, sendCreatorMessage, sentSummary, type SentCreatorMessage } from './creator-message.js';

const outreachDraft = z.object({
  messages: z.array(creatorMessageDraft.extend({ brand: z.string().min(1), fit_note: z.string().optional() })).min(1),
});

/** The approval draft: the outreach DMs exactly as they will be sent. */
export type CreatorOutreachDraft = z.input<typeof outreachDraft>;

/** `send_creator_outreach`: a first DM to each shortlisted creator, once each per approval. */
export const sendCreatorOutreach = defineAction({
  name: 'send_creator_outreach',
  draft: outreachDraft,
  async execute({ messages }, context): Promise<{ summary: string; messages: SentCreatorMessage[] }> {
    const sent: SentCreatorMessage[] = [];
    for (const message of messages) {
      sent.push(
        await sendCreatorMessage(context, {
          recipient: message.recipient,
          kind: 'outreach',
          channel: 'dm',
          body: message.body,
          ...(message.recipient_id === undefined ? {} : { recipientId: message.recipient_id }),
        }),
      );
    }
    return { summary: sentSummary('outreach message', sent), messages: sent };
  },
});
