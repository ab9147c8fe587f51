import { z } from 'zod';
import { defineAction } from '@jbot/core';

const platform = z.enum(['meta', 'google', 'tiktok', 'pinterest', 'amazon']);

// Checked when requested and again when executed, since it crossed the brain as JSON.
const fixConfigDraft = z
  .object({
    platform,
    campaign_id: z.string().min(1),
    campaign: z.string().min(1),
    issues: z.array(z.object({ rule: z.string().min(1), value: z.union([z.string(), z.number(), z.null()]), detail: z.string() })).min(1),
    /** The corrective patch: only the fields given change. */
    patch: z
      .object({
        daily_budget: z.number().min(1).optional(),
        url_tags: z.string().min(1).optional(),
        excludes_purchasers: z.literal(true).optional(),
      })
      .refine((patch) => Object.keys(patch).length > 0, 'the patch changes nothing'),
    /** What stays for a person (naming, pixel, end date): the patch cannot guess those. */
    manual: z.array(z.string()).default([]),
  })
  .strict();

/** The approval draft: one campaign's setup issues and the patch that corrects them. */
export type FixCampaignConfigDraft = z.input<typeof fixConfigDraft>;

/**
 * `fix_campaign_config`: apply the corrective patch to one campaign (budget back to what it was
 * or to the cap, UTM parameters added to url_tags, purchasers excluded). Each part is keyed by
 * the approval's idempotency key, so a retry, a crash or a second host applies it once.
 */
export const fixCampaignConfig = defineAction({
  name: 'fix_campaign_config',
  draft: fixConfigDraft,
  async execute(draft, context, approval): Promise<{ summary: string; campaign_id: string; budget_changed: boolean; config_changed: boolean }> {
    const { paidMedia } = context.connectors;
    const key = `${context.idempotencyKey}:config:${draft.platform}:${draft.campaign_id}`;
    const done: string[] = [];
    let budgetChanged = false;
    if (draft.patch.daily_budget !== undefined) {
      const budget = await paidMedia.setCampaignBudget({
        platform: draft.platform,
        campaignId: draft.campaign_id,
        dailyBudget: draft.patch.daily_budget,
        idempotencyKey: `${key}:budget`,
        reason: `approval ${approval.id}: budget over the approved cap`,
      });
      budgetChanged = budget.changed;
      done.push(`daily budget ${budget.previousDailyBudget === null ? '' : `$${budget.previousDailyBudget.toFixed(2)} → `}$${budget.dailyBudget.toFixed(2)}`);
    }
    let configChanged = false;
    if (draft.patch.url_tags !== undefined || draft.patch.excludes_purchasers !== undefined) {
      const patched = await paidMedia.patchCampaign({
        platform: draft.platform,
        campaignId: draft.campaign_id,
        patch: {
          ...(draft.patch.url_tags === undefined ? {} : { urlTags: draft.patch.url_tags }),
          ...(draft.patch.excludes_purchasers === undefined ? {} : { excludesPurchasers: draft.patch.excludes_purchasers }),
        },
        idempotencyKey: `${key}:patch`,
      });
      configChanged = patched.changed;
      if (draft.patch.url_tags !== undefined) done.push(`url_tags "${draft.patch.url_tags}"`);
      if (draft.patch.excludes_purchasers !== undefined) done.push('purchasers excluded');
    }
    context.log.info({ platform: draft.platform, campaignId: draft.campaign_id, budgetChanged, configChanged }, 'campaign config fixed');
    const changed = budgetChanged || configChanged;
    return {
      summary: `${changed ? 'fixed' : 'already fixed by this approval:'} ${draft.platform} "${draft.campaign}": ${done.join('; ')}${draft.manual.length === 0 ? '' : `. Still for a person: ${draft.manual.join('; ')}`}`,
      campaign_id: draft.campaign_id,
      budget_changed: budgetChanged,
      config_changed: configChanged,
    };
  },
});
