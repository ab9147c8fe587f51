import { z } from 'zod';
import { defineAction } from '@jbot/core';

const createAdDraftsDraft = z.object({
  ad_set_id: z.string().min(1),
  brief: z.string().min(1),
  ads: z
    .array(
      z.object({
        name: z.string().min(1),
        title: z.string().min(1),
        body: z.string().min(1),
        format: z.string().min(1),
        hook: z.string().nullable(),
        asset_id: z.string().nullable(),
        /** True when the asset is rights-cleared UGC (studiobot's ugc_available). */
        ugc: z.boolean(),
        sku: z.string().nullable(),
      }),
    )
    .min(1)
    .max(5),
});

/** The approval draft: the brief and the ads it becomes. */
export type CreateAdDraftsDraft = z.input<typeof createAdDraftsDraft>;

/**
 * `create_ad_drafts`: create each drafted ad on Meta (AdCreative + Ad, PAUSED, labelled queued),
 * so a rotation or a person can switch it on. Keyed per ad; a UGC asset is marked used.
 */
export const createAdDrafts = defineAction({
  name: 'create_ad_drafts',
  draft: createAdDraftsDraft,
  async execute(draft, context) {
    const created = [];
    for (const [index, ad] of draft.ads.entries()) {
      const result = await context.connectors.ads.createAd({
        adSetId: draft.ad_set_id,
        name: ad.name,
        body: ad.body,
        title: ad.title,
        assetId: ad.asset_id,
        format: ad.format,
        ...(ad.hook === null ? {} : { hook: ad.hook }),
        ...(ad.sku === null ? {} : { sku: ad.sku }),
        idempotencyKey: `${context.idempotencyKey}:ad:${index}`,
      });
      if (ad.ugc && ad.asset_id !== null) await context.db.rpc('mark_ugc_asset_used', { p_bot: context.bot, p_asset_id: ad.asset_id });
      created.push(result);
    }
    const fresh = created.filter((result) => result.created).length;
    return { summary: `${fresh} ad draft${fresh === 1 ? '' : 's'} created PAUSED in ad set ${draft.ad_set_id}`, ads: created };
  },
});
