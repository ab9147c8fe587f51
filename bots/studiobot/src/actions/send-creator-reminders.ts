import { z } from 'zod';
import { defineAction } from '@jbot/core';
import { setCollaborationCode } from '../brain/creator-book.js';
import { creatorMessageDraft, sendCreatorMessage, sentSummary, type SentCreatorMessage } from './creator-message.js';

const remindersDraft = z.object({
  messages: z
    .array(
      creatorMessageDraft.extend({
        collab_id: z.string().min(1),
        /** A replacement discount code (the old one leaked): set on the collaboration when sent. */
        new_code: z.string().min(3).optional(),
      }),
    )
    .min(1),
});

/** The approval draft: one reminder (or new-code note) per collaboration. */
export type CreatorRemindersDraft = z.input<typeof remindersDraft>;

/** `send_creator_reminders`: a DM per late or incomplete collaboration; a new code is recorded on the collaboration. */
export const sendCreatorReminders = defineAction({
  name: 'send_creator_reminders',
  draft: remindersDraft,
  async execute({ messages }, context): Promise<{ summary: string; messages: Array<SentCreatorMessage & { collab_id: string; new_code?: string }> }> {
    const sent: Array<SentCreatorMessage & { collab_id: string; new_code?: string }> = [];
    for (const message of messages) {
      const result = await sendCreatorMessage(context, {
        recipient: message.recipient,
        kind: message.new_code === undefined ? 'reminder' : 'new_code',
        channel: 'dm',
        body: message.body,
        ...(message.recipient_id === undefined ? {} : { recipientId: message.recipient_id }),
      });
      // After the creator has been told: the code in the brain never runs ahead of what they know.
      if (message.new_code !== undefined) await setCollaborationCode(context.db, message.collab_id, message.new_code);
      sent.push({ ...result, collab_id: message.collab_id, ...(message.new_code === undefined ? {} : { new_code: message.new_code }) });
    }
    return { summary: sentSummary('creator reminder', sent), messages: sent };
  },
});
