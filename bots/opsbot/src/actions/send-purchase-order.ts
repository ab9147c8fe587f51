import { z } from 'zod';
import { defineAction } from '@jbot/core';

const purchaseOrderDraft = z.object({
  supplier_id: z.string().min(1),
  supplier: z.string().min(1),
  to: z.string().email(),
  currency: z.string().length(3),
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
  unit_cost: z.number().nonnegative(),
  location: z.string().min(1),
  /** YYYY-MM-DD the goods must land by. */
  need_by: z.iso.date(),
  /** YYYY-MM-DD the supplier must have the cargo ready. */
  ready_by: z.iso.date().nullable(),
  subject: z.string().min(1),
  body: z.string().min(1),
});

/** The approval draft: the PO exactly as it is created and emailed. */
export type PurchaseOrderDraft = z.input<typeof purchaseOrderDraft>;

/** What sending the PO did. */
export interface SendPurchaseOrderResult {
  summary: string;
  po_id: string;
  created_now: boolean;
  message_id: string;
}

/**
 * `send_purchase_order`: create the PO in the register (its quantity counts as on order at once)
 * and email it to the supplier, both under the approval's idempotency key: a retry or a second
 * opsbot finds the PO already created and the email already sent.
 */
export const sendPurchaseOrder = defineAction({
  name: 'send_purchase_order',
  draft: purchaseOrderDraft,
  async execute(draft, context): Promise<SendPurchaseOrderResult> {
    const { procurement } = context.connectors;
    const created = await procurement.createPurchaseOrder({
      idempotencyKey: `${context.idempotencyKey}:po`,
      supplierId: draft.supplier_id,
      currency: draft.currency,
      lines: [{ sku: draft.sku, quantity: draft.quantity, unitCost: draft.unit_cost }],
      location: draft.location,
      eta: draft.need_by,
      readyDate: draft.ready_by,
    });
    const sent = await procurement.sendMessage({
      idempotencyKey: `${context.idempotencyKey}:po-email`,
      supplierId: draft.supplier_id,
      kind: 'purchase_order',
      to: draft.to,
      subject: `${created.poId}: ${draft.subject}`,
      body: `${created.poId}\n\n${draft.body}`,
      refs: { po_id: created.poId, sku: draft.sku, quantity: draft.quantity },
    });
    return {
      summary: `${created.created ? 'created' : 'already created'} ${created.poId} (${draft.sku} × ${draft.quantity}) and ${sent.created ? 'emailed' : 'had emailed'} ${draft.supplier}`,
      po_id: created.poId,
      created_now: created.created,
      message_id: sent.messageId,
    };
  },
});
