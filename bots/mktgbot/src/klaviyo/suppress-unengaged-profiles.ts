import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested and again when executed, since it crossed the brain as JSON.
const suppressDraft = z.object({
  segment_id: z.string().min(1),
  segment: z.string(),
  qualifying: z.number().int().positive(),
  /** Members the rules keep (recent buyers, sunset-flow entrants): never suppressed. */
  exclude_profile_ids: z.array(z.string().min(1)),
  kept: z.object({ recent_buyers: z.number().int().nonnegative(), in_sunset_flow: z.number().int().nonnegative() }),
  note: z.string().optional(),
});

/** The approval draft: the segment, how many qualify and who is kept. */
export type SuppressUnengagedDraft = z.input<typeof suppressDraft>;

/**
 * `suppress_unengaged_profiles`: Klaviyo suppresses the segment's qualifying members (bulk
 * suppression jobs) — they stop receiving email and stop counting as active profiles. Once per
 * approval key; the kept members are never touched.
 */
export const suppressUnengagedProfiles = defineAction({
  name: 'suppress_unengaged_profiles',
  draft: suppressDraft,
  async execute(draft, context): Promise<{ summary: string; suppressed: number; jobs: number; changed: boolean }> {
    const result = await context.connectors.klaviyo.suppressSegment({
      idempotencyKey: `${context.idempotencyKey}:suppress:${draft.segment_id}`,
      segmentId: draft.segment_id,
      excludeProfileIds: draft.exclude_profile_ids,
    });
    context.log.info({ segment: draft.segment_id, suppressed: result.suppressed, changed: result.changed }, 'unengaged profiles suppressed');
    return {
      summary: result.changed
        ? `suppressed ${result.suppressed.toLocaleString('en-US')} unengaged profiles of "${draft.segment}" (${draft.exclude_profile_ids.length} kept)`
        : `"${draft.segment}" was already suppressed under this approval; nothing changed`,
      suppressed: result.suppressed,
      jobs: result.jobs,
      changed: result.changed,
    };
  },
});
