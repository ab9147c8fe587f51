import { z } from 'zod';
import { defineAction } from '@jbot/core';

const expediteDraft = z.object({
  sku: z.string().min(1),
  supplier_id: z.string().min(1),
  supplier: z.string().min(1),
  to: z.string().email(),
  /** What to speed up: an open PO not shipped yet (air freight it) or a shipment on the water (priority discharge, faster inland leg). */
  target: z.object({ kind: z.enum(['purchase_order', 'shipment']), id: z.string().min(1) }),
  quantity: z.number().int().positive(),
  stockout_date: z.iso.date(),
  subject: z.string().min(1),
  body: z.string().min(1),
});

/** The approval draft: the expedite request exactly as it is sent. */
export type ExpediteDraft = z.input<typeof expediteDraft>;

/** `request_expedite`: the expedite / air-freight request, sent once per approval. */
export const requestExpedite = defineAction({
  name: 'request_expedite',
  draft: expediteDraft,
  async execute(draft, context): Promise<{ summary: string; message_id: string; sent_now: boolean }> {
    const sent = await context.connectors.procurement.sendMessage({
      idempotencyKey: `${context.idempotencyKey}:expedite:${draft.target.id}`,
      supplierId: draft.supplier_id,
      kind: 'expedite',
      to: draft.to,
      subject: draft.subject,
      body: draft.body,
      refs: { sku: draft.sku, target: draft.target, quantity: draft.quantity, stockout_date: draft.stockout_date },
    });
    return {
      summary: `${sent.created ? 'asked' : 'had asked'} ${draft.supplier} to expedite ${draft.target.id} (${draft.sku} × ${draft.quantity}, out ${draft.stockout_date})`,
      message_id: sent.messageId,
      sent_now: sent.created,
    };
  },
});
