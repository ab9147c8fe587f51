import { z } from 'zod';
import { defineAction } from '@jbot/core';

// Checked when requested and again as the executor trusts it (it crossed the brain as JSON).
const shareKpiPackDraft = z.object({
  /** YYYY-MM */
  month: z.string().regex(/^\d{4}-\d{2}$/),
  to: z.array(z.email()).min(1),
  subject: z.string().min(1),
  body: z.string().min(1),
  csv: z.string().min(1),
});

/** The approval draft: the email exactly as it will be sent, the CSV attached. */
export type ShareKpiPackDraft = z.input<typeof shareKpiPackDraft>;

/**
 * `share_kpi_pack`: email the month's KPI pack (CSV attached) to the exec list, once per approval
 * (the mail connector keys the send by the approval's idempotency key).
 */
export const shareKpiPack = defineAction({
  name: 'share_kpi_pack',
  draft: shareKpiPackDraft,
  async execute(draft, context) {
    const sent = await context.connectors.mail.send({
      to: draft.to,
      subject: draft.subject,
      body: draft.body,
      attachments: [{ filename: `kpi-pack-${draft.month}.csv`, mimeType: 'text/csv', content: draft.csv }],
      idempotencyKey: `${context.idempotencyKey}:kpi-pack`,
    });
    context.log.info({ messageId: sent.messageId, sentNow: sent.sent }, 'KPI pack shared');
    return {
      summary: `${sent.sent ? 'emailed' : 'already emailed'} the ${draft.month} KPI pack to ${draft.to.join(', ')} (${context.connectors.mail.source === 'gmail' ? 'Gmail' : 'sample mailbox'})`,
      message_id: sent.messageId,
      sent_now: sent.sent,
    };
  },
});
