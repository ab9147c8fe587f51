import { z } from 'zod';
import { defineAction } from '@jbot/core';

const publishProductCopyDraft = z.object({
  sku: z.string().min(1),
  reasons: z.array(z.string()).min(1),
  description_html: z.string().min(1),
  metafields: z.record(z.string(), z.string()).optional(),
  /** The Amazon side, when the SKU sells there: the bullets to submit. */
  amazon: z.object({ asin: z.string(), product_type: z.string(), bullets: z.array(z.string().min(1).max(500)).min(1).max(10) }).optional(),
});

/** The approval draft: the new storefront description (and facts), and the Amazon bullets. */
export type PublishProductCopyDraft = z.input<typeof publishProductCopyDraft>;

/** What publishing did. */
export interface PublishProductCopyResult {
  summary: string;
  storefront_applied_now: boolean;
  amazon_applied_now: boolean | null;
}

/** `publish_product_copy`: Shopify productUpdate and, on Amazon, patchListingsItem, each once per approval. */
export const publishProductCopy = defineAction({
  name: 'publish_product_copy',
  draft: publishProductCopyDraft,
  async execute(draft, context): Promise<PublishProductCopyResult> {
    const store = await context.connectors.storefront.publishProductCopy({
      sku: draft.sku,
      descriptionHtml: draft.description_html,
      ...(draft.metafields === undefined ? {} : { metafields: draft.metafields }),
      idempotencyKey: `${context.idempotencyKey}:copy:${draft.sku}`,
    });
    let amazon: boolean | null = null;
    if (draft.amazon !== undefined) {
      const patched = await context.connectors.marketplace.patchListing({
        sku: draft.sku,
        productType: draft.amazon.product_type,
        patches: [{ op: 'replace', path: '/attributes/bullet_point', value: draft.amazon.bullets.map((value) => ({ value })) }],
        idempotencyKey: `${context.idempotencyKey}:bullets:${draft.sku}`,
      });
      amazon = patched.applied;
    }
    await context.db.rpc('clear_copy_queue', { p_sku: draft.sku });
    if (draft.amazon !== undefined)
      await context.db.rpc('content_master_update', { p_sku: draft.sku, p_bullets: draft.amazon.bullets, p_approved_by: `approval:${context.approvalId}` });
    return {
      summary: `${store.applied ? 'published' : 'already published'} new copy for ${draft.sku}${amazon === null ? '' : `; Amazon bullets ${amazon ? 'submitted' : 'already submitted'}`}`,
      storefront_applied_now: store.applied,
      amazon_applied_now: amazon,
    };
  },
});
