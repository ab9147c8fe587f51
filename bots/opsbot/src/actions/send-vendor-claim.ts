import { z } from 'zod';
import { defineAction } from '@jbot/core';

const claimDraft = z.object({
  supplier_id: z.string().min(1),
  supplier: z.string().min(1),
  to: z.string().email(),
  /** What the claim is about: a shipment and PO, or a SKU's quality. */
  reference: z.string().min(1),
  kind: z.enum(['receiving', 'quality']),
  /** The evidence, one line each (quantities, return reasons, review topics). */
  evidence: z.array(z.string().min(1)).min(1),
  claim_usd: z.number().nonnegative(),
  subject: z.string().min(1),
  body: z.string().min(1),
});

/** The approval draft: the claim letter exactly as the supplier receives it. */
export type VendorClaimDraft = z.input<typeof claimDraft>;

/** What sending the claim did. */
export interface SendVendorClaimResult {
  summary: string;
  message_id: string;
  sent_now: boolean;
}

/** `send_vendor_claim`: the claim letter with its evidence, sent once per approval. */
export const sendVendorClaim = defineAction({
  name: 'send_vendor_claim',
  draft: claimDraft,
  async execute(draft, context): Promise<SendVendorClaimResult> {
    const sent = await context.connectors.procurement.sendMessage({
      idempotencyKey: `${context.idempotencyKey}:claim:${draft.supplier_id}`,
      supplierId: draft.supplier_id,
      kind: 'claim',
      to: draft.to,
      subject: draft.subject,
      body: draft.body,
      refs: { reference: draft.reference, kind: draft.kind, evidence: draft.evidence, claim_usd: draft.claim_usd },
    });
    return {
      summary: `${sent.created ? 'sent' : 'already sent'} the ${draft.kind} claim (${draft.reference}, $${draft.claim_usd.toFixed(2)}) to ${draft.supplier}`,
      message_id: sent.messageId,
      sent_now: sent.created,
    };
  },
});
