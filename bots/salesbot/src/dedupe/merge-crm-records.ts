import { z } from 'zod';
import { defineAction } from '@jbot/core';

const mergeDraft = z.object({
  merges: z
    .array(
      z.object({
        object_type: z.enum(['companies', 'contacts']),
        primary_id: z.string().min(1),
        primary: z.string().min(1),
        merge_id: z.string().min(1),
        merge: z.string().min(1),
        reason: z.string().min(1),
      }),
    )
    .min(1),
});

/** The approval draft: each merge exactly as it will be made (survivor first). */
export type MergeCrmRecordsDraft = z.input<typeof mergeDraft>;

/** What merging did. */
export interface MergeCrmRecordsResult {
  summary: string;
  merges: Array<{ object_type: string; primary_id: string; merge_id: string; merged_now: boolean }>;
}

/**
 * `merge_crm_records`: HubSpot's v3 merge for each approved pair (the duplicate into the
 * survivor), once per approval and record: a retry or a second host finds the merge made.
 */
export const mergeCrmRecords = defineAction({
  name: 'merge_crm_records',
  draft: mergeDraft,
  async execute({ merges }, context): Promise<MergeCrmRecordsResult> {
    const results: MergeCrmRecordsResult['merges'] = [];
    for (const merge of merges) {
      const done = await context.connectors.crm.mergeRecords({
        objectType: merge.object_type,
        primaryId: merge.primary_id,
        mergeId: merge.merge_id,
        idempotencyKey: `${context.idempotencyKey}:merge:${merge.object_type}:${merge.merge_id}`,
      });
      results.push({ object_type: merge.object_type, primary_id: done.primaryId, merge_id: merge.merge_id, merged_now: done.merged });
    }
    const fresh = results.filter((result) => result.merged_now).length;
    return {
      summary: `merged ${results.length} duplicate record${results.length === 1 ? '' : 's'}${fresh === results.length ? '' : ` (${results.length - fresh} already merged)`}`,
      merges: results,
    };
  },
});
