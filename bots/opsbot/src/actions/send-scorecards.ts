import { z } from 'zod';
import { defineAction } from '@jbot/core';

const scorecardsDraft = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  scorecards: z
    .array(
      z.object({ supplier_id: z.string().min(1), supplier: z.string().min(1), to: z.string().email(), subject: z.string().min(1), body: z.string().min(1) }),
    )
    .min(1),
});

/** The approval draft: each supplier's scorecard email exactly as it will be sent. */
export type ScorecardsDraft = z.input<typeof scorecardsDraft>;

/** What sending the scorecards did. */
export interface SendScorecardsResult {
  summary: string;
  sent: Array<{ supplier_id: string; message_id: string; sent_now: boolean }>;
}

/** `send_scorecards`: each supplier's monthly scorecard, sent once per approval and supplier. */
export const sendScorecards = defineAction({
  name: 'send_scorecards',
  draft: scorecardsDraft,
  async execute({ month, scorecards }, context): Promise<SendScorecardsResult> {
    const sent: SendScorecardsResult['sent'] = [];
    for (const card of scorecards) {
      const result = await context.connectors.procurement.sendMessage({
        idempotencyKey: `${context.idempotencyKey}:scorecard:${card.supplier_id}`,
        supplierId: card.supplier_id,
        kind: 'scorecard',
        to: card.to,
        subject: card.subject,
        body: card.body,
        refs: { month },
      });
      sent.push({ supplier_id: card.supplier_id, message_id: result.messageId, sent_now: result.created });
    }
    const fresh = sent.filter((item) => item.sent_now).length;
    return {
      summary: `sent ${fresh} ${month} scorecard${fresh === 1 ? '' : 's'}${fresh === sent.length ? '' : ` (${sent.length - fresh} already sent)`}`,
      sent,
    };
  },
});
