import { z } from 'zod';
import { defineAction } from '@jbot/core';

// Checked when requested and again by the executor, since it crossed the brain as JSON.
const patchListingDraft = z.object({
  sku: z.string().min(1),
  asin: z.string().min(1),
  product_type: z.string().min(1),
  /** Why: the issues fixed or the drift reverted, one line each, as the approver reads them. */
  reasons: z.array(z.string()).min(1),
  patches: z
    .array(z.object({ op: z.enum(['add', 'replace', 'delete']), path: z.string().regex(/^\/attributes\/[a-z0-9_]+$/), value: z.array(z.unknown()).optional() }))
    .min(1),
});

/** The approval draft: the JSON patches exactly as patchListingsItem receives them. */
export type PatchListingDraft = z.input<typeof patchListingDraft>;

/** What the patch did, stored as the approval's result. */
export interface PatchListingActionResult {
  summary: string;
  sku: string;
  submission_id: string;
  status: string;
  applied_now: boolean;
  issues: Array<{ code: string; message: string }>;
}

/**
 * `patch_listing`: one patchListingsItem submission for one SKU, under the approval's key, so a
 * retry after a crash (or a second contentbot) submits nothing twice.
 */
export const patchListing = defineAction({
  name: 'patch_listing',
  draft: patchListingDraft,
  async execute(draft, context): Promise<PatchListingActionResult> {
    const { marketplace } = context.connectors;
    const result = await marketplace.patchListing({
      sku: draft.sku,
      productType: draft.product_type,
      patches: draft.patches.map((patch) => ({ op: patch.op, path: patch.path, ...(patch.value === undefined ? {} : { value: patch.value }) })),
      idempotencyKey: `${context.idempotencyKey}:patch:${draft.sku}`,
    });
    // A title fix is our copy now: the master follows, so the title rule stops flagging it.
    const title = draft.patches.find((patch) => patch.path === '/attributes/item_name')?.value?.[0] as { value?: unknown } | undefined;
    if (typeof title?.value === 'string')
      await context.db.rpc('content_master_update', { p_sku: draft.sku, p_title: title.value, p_approved_by: `approval:${context.approvalId}` });
    context.log.info(
      { sku: draft.sku, submissionId: result.submissionId, status: result.status, appliedNow: result.applied },
      `listing patch for ${draft.sku}`,
    );
    const where = marketplace.source === 'amazon' ? 'Amazon' : 'the sample marketplace';
    return {
      summary: `${result.applied ? 'patched' : 'already patched'} ${draft.sku} on ${where} (${draft.patches.map((patch) => patch.path.replace('/attributes/', '')).join(', ')}): ${result.status}`,
      sku: draft.sku,
      submission_id: result.submissionId,
      status: result.status,
      applied_now: result.applied,
      issues: result.issues,
    };
  },
});
