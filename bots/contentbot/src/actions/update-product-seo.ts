import { z } from 'zod';
import { defineAction } from '@jbot/core';

const updateProductSeoDraft = z.object({
  pages: z
    .array(
      z.object({
        url: z.string().startsWith('/'),
        reasons: z.array(z.string()).min(1),
        title: z.string().min(1).max(70).optional(),
        description: z.string().min(1).max(170).optional(),
        image_alts: z.record(z.string(), z.string().min(1).max(200)).optional(),
      }),
    )
    .min(1),
});

/** The approval draft: per page, the new SEO title, meta description and image alt texts. */
export type UpdateProductSeoDraft = z.input<typeof updateProductSeoDraft>;

/** What the update did. */
export interface UpdateProductSeoResult {
  summary: string;
  pages: Array<{ url: string; applied_now: boolean }>;
}

/** `update_product_seo`: the store's SEO fields and image alt text, each page once per approval. */
export const updateProductSeo = defineAction({
  name: 'update_product_seo',
  draft: updateProductSeoDraft,
  async execute(draft, context): Promise<UpdateProductSeoResult> {
    const { storefront } = context.connectors;
    const pages: UpdateProductSeoResult['pages'] = [];
    for (const page of draft.pages) {
      const result = await storefront.updatePageSeo({
        url: page.url,
        ...(page.title === undefined ? {} : { title: page.title }),
        ...(page.description === undefined ? {} : { description: page.description }),
        ...(page.image_alts === undefined ? {} : { imageAlts: page.image_alts }),
        idempotencyKey: `${context.idempotencyKey}:seo:${page.url}`,
      });
      pages.push({ url: page.url, applied_now: result.applied });
    }
    const fresh = pages.filter((page) => page.applied_now).length;
    return {
      summary: `updated SEO on ${fresh} page${fresh === 1 ? '' : 's'}${fresh === pages.length ? '' : ` (${pages.length - fresh} already updated)`}`,
      pages,
    };
  },
});
