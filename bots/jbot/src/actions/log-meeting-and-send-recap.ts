import { z } from 'zod';
import { defineAction } from '@jbot/core';

const recapDraft = z.object({
  event_id: z.string().min(1),
  title: z.string().min(1),
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  contact_email: z.email(),
  contact_name: z.string(),
  deal_id: z.string().nullable(),
  /** The HubSpot meeting note. */
  note: z.string().min(1),
  recap: z.object({ to: z.array(z.email()).min(1), subject: z.string().min(1), body: z.string().min(1) }),
});

/** The approval draft: the meeting note and the recap email exactly as they will be logged and sent. */
export type MeetingRecapDraft = z.input<typeof recapDraft>;

/**
 * `log_meeting_and_send_recap`: log the meeting on the contact (and deal) in the CRM, then send
 * the recap from the operator's mailbox — each once per approval (its own key under the
 * approval's), so a retry after the log but before the send sends once and logs once.
 */
export const logMeetingAndSendRecap = defineAction({
  name: 'log_meeting_and_send_recap',
  draft: recapDraft,
  async execute(draft, context) {
    const { crm, mail } = context.connectors;
    const logged = await crm.logMeeting({
      contactEmail: draft.contact_email,
      dealId: draft.deal_id,
      title: draft.title,
      body: draft.note,
      startAt: draft.start,
      endAt: draft.end,
      idempotencyKey: `${context.idempotencyKey}:meeting`,
    });
    const sent = await mail.send({ ...draft.recap, idempotencyKey: `${context.idempotencyKey}:recap` });
    context.log.info(
      { meetingId: logged.meetingId, messageId: sent.messageId, loggedNow: logged.created, sentNow: sent.sent },
      'meeting logged and recap sent',
    );
    return {
      summary: `${logged.created ? 'logged' : 'already logged'} the meeting with ${draft.contact_name} in ${crm.source === 'hubspot' ? 'HubSpot' : 'the sample CRM'}; ${
        sent.sent ? 'sent' : 'already sent'
      } the recap to ${draft.recap.to.join(', ')}`,
      meeting_id: logged.meetingId,
      message_id: sent.messageId,
      logged_now: logged.created,
      sent_now: sent.sent,
    };
  },
});
