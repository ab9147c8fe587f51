import { z } from 'zod';
import { defineAction } from '@jbot/core';

const rotateCreativesDraft = z.object({
  /** Why (creative fatigue, rights expiring): kept as each pause's reason. */
  reason: z.string().min(1),
  rotations: z
    .array(
      z.object({
        pause_ad_id: z.string().min(1),
        pause_ad: z.string(),
        /** The queued creative of the same ad set to activate; null when there is none (a brief follows). */
        activate_ad_id: z.string().min(1).nullable(),
        activate_ad: z.string().nullable(),
      }),
    )
    .min(1),
});

/** The approval draft: each ad to pause and the creative that takes its place. */
export type RotateCreativesDraft = z.input<typeof rotateCreativesDraft>;

/** What the rotation did. */
export interface RotateCreativesResult {
  summary: string;
  changes: Array<{ ad_id: string; status: string; changed: boolean }>;
}

/**
 * `rotate_creatives`: pause each worn-out ad and activate the next queued creative of its ad set.
 * Each change is keyed by the approval and the ad, so a retry (or a second adsbot) repeats nothing.
 * The replacement is activated first, so the ad set never goes dark between the two calls.
 */
export const rotateCreatives = defineAction({
  name: 'rotate_creatives',
  draft: rotateCreativesDraft,
  async execute({ reason, rotations }, context): Promise<RotateCreativesResult> {
    const { ads } = context.connectors;
    const changes: RotateCreativesResult['changes'] = [];
    for (const rotation of rotations) {
      if (rotation.activate_ad_id !== null) {
        const activated = await ads.setAdStatus({
          adId: rotation.activate_ad_id,
          status: 'ACTIVE',
          idempotencyKey: `${context.idempotencyKey}:activate:${rotation.activate_ad_id}`,
          reason: `replaces ${rotation.pause_ad_id} (${reason})`,
        });
        changes.push({ ad_id: activated.adId, status: activated.status, changed: activated.changed });
      }
      const paused = await ads.setAdStatus({
        adId: rotation.pause_ad_id,
        status: 'PAUSED',
        idempotencyKey: `${context.idempotencyKey}:pause:${rotation.pause_ad_id}`,
        reason,
      });
      changes.push({ ad_id: paused.adId, status: paused.status, changed: paused.changed });
    }
    const changed = changes.filter((change) => change.changed).length;
    return { summary: `${changed} ad status change${changed === 1 ? '' : 's'} on ${ads.source === 'meta' ? 'Meta' : 'the sample account'}`, changes };
  },
});
