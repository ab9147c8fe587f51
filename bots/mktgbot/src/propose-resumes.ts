import { z } from 'zod';
import { defineAction, listApprovals, type SignalHandlerOf } from '@jbot/core';

const resumeDraft = z.object({
  sku: z.string().min(1),
  /** The executed pause_campaigns approval these campaigns were paused by. */
  paused_by: z.string().min(1),
  campaigns: z.array(z.object({ campaign_id: z.string().min(1), campaign: z.string(), daily_budget_usd: z.number().optional() })).min(1),
  days_of_cover: z.number().nonnegative(),
  note: z.string().optional(),
});

/** The approval draft: the campaigns to switch back on and why. */
export type ResumeDraft = z.input<typeof resumeDraft>;

/** `resume_campaigns`: the campaigns pause_campaigns paused go back to ACTIVE, once per approval and campaign. */
export const resumeCampaigns = defineAction({
  name: 'resume_campaigns',
  draft: resumeDraft,
  async execute(draft, context, approval): Promise<{ summary: string; campaigns: Array<{ campaign_id: string; status: string; changed: boolean }> }> {
    const results = [];
    for (const campaign of draft.campaigns) {
      const resumed = await context.connectors.ads.resumeCampaign({
        campaignId: campaign.campaign_id,
        idempotencyKey: `${context.idempotencyKey}:resume:${campaign.campaign_id}`,
        reason: `approval ${approval.id}: ${draft.sku} back in stock (${draft.days_of_cover} days of cover)`,
      });
      results.push({ campaign_id: campaign.campaign_id, status: resumed.status, changed: resumed.changed });
    }
    return {
      summary: `resumed ${results.filter((result) => result.changed).length} of ${results.length}: ${draft.campaigns.map((campaign) => campaign.campaign).join(', ')}`,
      campaigns: results,
    };
  },
});

// pause_campaigns drafts list each campaign's SKUs as "DW-104 Coastal Fog … (out … → …)".
const names = (skus: string | undefined, sku: string) => new RegExp(`(^|[^A-Z0-9-])${sku.replace(/[-]/g, '\\-')}([^A-Z0-9-]|$)`, 'i').test(skus ?? '');

/**
 * shipbot's back_in_stock → mktgbot: the campaigns mktgbot paused for this SKU (executed
 * pause_campaigns approvals) that are still paused and whose promoted SKUs are all in stock again
 * are proposed for resuming (approval first). A campaign still promoting another sold-out SKU
 * waits for that SKU's back_in_stock. One proposal per pause approval and campaign set.
 */
export const proposeResumes: SignalHandlerOf<'back_in_stock'> = async (signal, context) => {
  const { sku, days_of_cover: cover } = signal.payload;
  const pauses = (await listApprovals(context.db, { status: 'executed', bot: 'mktgbot', limit: 500 })).filter(
    (approval) => approval.action === 'pause_campaigns',
  );
  const [campaigns, inventory] = await Promise.all([context.connectors.ads.listCampaigns(), context.connectors.commerce.listInventory()]);
  const available = new Map<string, number>();
  for (const level of inventory) available.set(level.sku, (available.get(level.sku) ?? 0) + level.available);
  for (const pause of pauses) {
    const draft = (pause.draft as { campaigns?: Array<{ campaign_id: string; campaign: string; skus?: string; daily_budget_usd?: number }> }).campaigns ?? [];
    const candidates = draft.filter((entry) => names(entry.skus, sku));
    const ready = candidates.filter((entry) => {
      const campaign = campaigns.find((candidate) => candidate.id === entry.campaign_id);
      return campaign?.status === 'PAUSED' && campaign.promotedSkus.every((promoted) => (available.get(promoted) ?? 0) > 0);
    });
    if (candidates.length > ready.length)
      context.log.info(
        { sku, pausedBy: pause.id, waiting: candidates.length - ready.length },
        'some paused campaigns are resumed already or still promote a sold-out SKU',
      );
    if (ready.length === 0) continue;
    const { approval, created } = await context.approvals.request({
      action: resumeCampaigns,
      title: `Resume ${ready.length} campaign${ready.length === 1 ? '' : 's'} paused while ${sku} was out of stock (${cover} days of cover now)`,
      draft: {
        sku,
        paused_by: pause.id,
        campaigns: ready.map((entry) => ({
          campaign_id: entry.campaign_id,
          campaign: entry.campaign,
          ...(entry.daily_budget_usd === undefined ? {} : { daily_budget_usd: entry.daily_budget_usd }),
        })),
        days_of_cover: cover,
        note: `Paused by approval ${pause.id}. On approval mktgbot sets each campaign back to ACTIVE once.`,
      },
      signalId: signal.id,
      // The pause's family: one resume per pause approval and campaign set.
      requestKey: `resume-campaigns:${pause.id}:${ready
        .map((entry) => entry.campaign_id)
        .sort()
        .join(',')}`,
    });
    context.log.info({ sku, approvalId: approval.id, created }, 'campaign resumes proposed for approval');
  }
};
