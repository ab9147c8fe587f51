import { z } from 'zod';
import { defineAction } from '@jbot/core';
import { recordRenewalRequest } from '../brain/creator-book.js';
import { sendCreatorMessage } from './creator-message.js';

const assetsDraft = z.object({
  assets: z
    .array(
      z.object({
        asset_id: z.string().min(1),
        licensor: z.string().min(1),
        expires_at: z.iso.datetime({ offset: true }),
        /** Take it down everywhere it runs now (expired rights), besides asking to renew. */
        pause: z.boolean(),
        renewal_message: z.string().min(10).max(2000),
      }),
    )
    .min(1),
});

/** The approval draft: per asset, the renewal request and whether its uses are paused. */
export type RenewOrPauseDraft = z.input<typeof assetsDraft>;

/** What the approval did per asset. */
export interface RenewOrPauseResult {
  summary: string;
  assets: Array<{ asset_id: string; renewal_sent_now: boolean; paused: Array<{ kind: string; id: string }> }>;
}

/**
 * `renew_or_pause_asset`: ask the licensor to renew (once per asset per approval) and, where
 * the rights have run out, pause every live use of the asset (ads, product media, scheduled posts).
 */
export const renewOrPauseAsset = defineAction({
  name: 'renew_or_pause_asset',
  draft: assetsDraft,
  async execute({ assets }, context): Promise<RenewOrPauseResult> {
    const results: RenewOrPauseResult['assets'] = [];
    for (const asset of assets) {
      // Pause first: content without rights must stop even if the message cannot go out.
      const paused = asset.pause
        ? (await context.connectors.creators.pauseAssetUsage({ assetId: asset.asset_id, idempotencyKey: `${context.idempotencyKey}:pause:${asset.asset_id}` }))
            .paused
        : [];
      const sent = await sendCreatorMessage(context, { recipient: asset.licensor, kind: 'renewal_request', channel: 'dm', body: asset.renewal_message });
      await recordRenewalRequest(context.db, asset.asset_id);
      results.push({ asset_id: asset.asset_id, renewal_sent_now: sent.sent_now, paused: paused.map((use) => ({ kind: use.kind, id: use.refId })) });
    }
    const pausedCount = results.reduce((sum, asset) => sum + asset.paused.length, 0);
    const renewals = results.filter((asset) => asset.renewal_sent_now).length;
    return {
      summary: `asked ${renewals} licensor${renewals === 1 ? '' : 's'} to renew; paused ${pausedCount} use${pausedCount === 1 ? '' : 's'}`,
      assets: results,
    };
  },
});
