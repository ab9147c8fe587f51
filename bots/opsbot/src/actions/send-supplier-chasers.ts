import { z } from 'zod';
import { defineAction } from '@jbot/core';

const chasersDraft = z.object({
  chasers: z
    .array(
      z.object({
        supplier_id: z.string().min(1),
        supplier: z.string().min(1),
        to: z.string().email(),
        language: z.string().min(2),
        po_ids: z.array(z.string().min(1)).min(1),
        subject: z.string().min(1),
        body: z.string().min(1),
      }),
    )
    .min(1),
});

/** The approval draft: one chaser per supplier, exactly as it will be sent. */
export type SupplierChasersDraft = z.input<typeof chasersDraft>;

/** What sending the chasers did. */
export interface SendSupplierChasersResult {
  summary: string;
  chasers: Array<{ supplier_id: string; to: string; message_id: string; sent_now: boolean }>;
}

/** `send_supplier_chasers`: each supplier's chaser once per approval (keyed by supplier), however often it is retried. */
export const sendSupplierChasers = defineAction({
  name: 'send_supplier_chasers',
  draft: chasersDraft,
  async execute({ chasers }, context): Promise<SendSupplierChasersResult> {
    const results: SendSupplierChasersResult['chasers'] = [];
    for (const chaser of chasers) {
      const sent = await context.connectors.procurement.sendMessage({
        idempotencyKey: `${context.idempotencyKey}:chaser:${chaser.supplier_id}`,
        supplierId: chaser.supplier_id,
        kind: 'chaser',
        to: chaser.to,
        subject: chaser.subject,
        body: chaser.body,
        refs: { po_ids: chaser.po_ids, language: chaser.language },
      });
      results.push({ supplier_id: chaser.supplier_id, to: chaser.to, message_id: sent.messageId, sent_now: sent.created });
    }
    const fresh = results.filter((result) => result.sent_now).length;
    return {
      summary: `sent ${fresh} supplier chaser${fresh === 1 ? '' : 's'}${fresh === results.length ? '' : ` (${results.length - fresh} already sent)`}`,
      chasers: results,
    };
  },
});
