import { z } from 'zod';
import { defineAction } from '@jbot/core';

const fixAdCopyDraft = z.object({
  fixes: z
    .array(
      z.object({
        ad_id: z.string().min(1),
        ad: z.string(),
        ad_set_id: z.string().min(1),
        live: z.boolean(),
        rules: z.array(z.string().min(1)).min(1),
        body: z.string().min(1),
        title: z.string().min(1),
        format: z.string().min(1),
        asset_id: z.string().nullable(),
        creator: z.string().nullable(),
        sku: z.string().nullable(),
      }),
    )
    .min(1),
});

/** The approval draft: the compliant version of each flagged ad. */
export type FixAdCopyDraft = z.input<typeof fixAdCopyDraft>;

/**
 * `fix_ad_copy`: create the compliant version of each flagged ad (PAUSED, labelled as a paid
 * partnership when it is a creator ad), then pause the old one; a live ad's new version is
 * activated so the ad set keeps delivering. Every call is keyed by the approval and the ad.
 */
export const fixAdCopy = defineAction({
  name: 'fix_ad_copy',
  draft: fixAdCopyDraft,
  async execute({ fixes }, context) {
    const { ads } = context.connectors;
    const results = [];
    for (const fix of fixes) {
      const key = `${context.idempotencyKey}:${fix.ad_id}`;
      const created = await ads.createAd({
        adSetId: fix.ad_set_id,
        name: `${fix.ad} (compliant)`,
        body: fix.body,
        title: fix.title,
        assetId: fix.asset_id,
        format: fix.format,
        ...(fix.creator === null ? {} : { creator: fix.creator, paidPartnershipLabel: true }),
        ...(fix.sku === null ? {} : { sku: fix.sku }),
        idempotencyKey: `${key}:create`,
      });
      if (fix.live)
        await ads.setAdStatus({ adId: created.adId, status: 'ACTIVE', idempotencyKey: `${key}:activate`, reason: `compliant version of ${fix.ad_id}` });
      const paused = await ads.setAdStatus({
        adId: fix.ad_id,
        status: 'PAUSED',
        idempotencyKey: `${key}:pause`,
        reason: `copy fixed: ${fix.rules.join('; ')}`,
      });
      results.push({ ad_id: fix.ad_id, new_ad_id: created.adId, created: created.created, paused: paused.changed });
    }
    return {
      summary: `${results.filter((result) => result.created).length} compliant ad version(s) created, ${results.filter((result) => result.paused).length} old ad(s) paused`,
      results,
    };
  },
});
