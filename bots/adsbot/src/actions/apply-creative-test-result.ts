import { z } from 'zod';
import { defineAction } from '@jbot/core';

const applyTestResultDraft = z.object({
  test_id: z.string().min(1),
  test: z.string(),
  /** The winner keeps running; null when only zero-purchase losers are paused. */
  winner_ad_id: z.string().min(1).nullable(),
  pause: z.array(z.object({ ad_id: z.string().min(1), ad: z.string(), why: z.string().min(1) })).min(1),
});

/** The approval draft: the test, its winner and the ads to pause. */
export type ApplyTestResultDraft = z.input<typeof applyTestResultDraft>;

/**
 * `apply_creative_test_result`: pause the test's losers. The ads share one ad set, so its budget
 * flows to the ads still running — the winner — without a budget edit. Keyed per ad.
 */
export const applyCreativeTestResult = defineAction({
  name: 'apply_creative_test_result',
  draft: applyTestResultDraft,
  async execute(draft, context) {
    const changes = [];
    for (const loser of draft.pause) {
      const result = await context.connectors.ads.setAdStatus({
        adId: loser.ad_id,
        status: 'PAUSED',
        idempotencyKey: `${context.idempotencyKey}:pause:${loser.ad_id}`,
        reason: `creative test ${draft.test_id}: ${loser.why}`,
      });
      changes.push(result);
    }
    const changed = changes.filter((change) => change.changed).length;
    return { summary: `paused ${changed} losing ad${changed === 1 ? '' : 's'} of ${draft.test}`, changes };
  },
});
