import { z } from 'zod';
import { defineAction, type SignalHandlerOf } from '@jbot/core';
import { findCampaignsPromotingStockouts, type PauseProposal } from './campaigns-promoting-stockouts.js';

/**
 * mktgbot's part of the freight cascade: active campaigns that send shoppers to SKUs about to
 * run out are proposed for a pause — one approval on #mktg-bot with the spend at
 * risk. Nothing is paused before a person approves; a redelivery or the next day's repeat alert
 * with the same campaigns finds the same approval.
 */
export const proposePauses: SignalHandlerOf<'freight_delay'> = async (signal, context) => {
  const delay = signal.payload;
  const proposals = await findCampaignsPromotingStockouts(context.connectors, delay, new Date());
  if (proposals.length === 0) {
    context.log.info({ shipment: delay.shipment_id }, 'freight delay: no active campaign promotes a SKU that runs out');
    return;
  }
  const atRisk = proposals.reduce((sum, proposal) => sum + proposal.spendAtRiskUsd, 0);
  const { approval, created } = await context.approvals.request({
    action: pauseCampaigns,
    title: `Pause ${proposals.length} ad campaign${proposals.length === 1 ? '' : 's'} promoting SKUs out of stock until ${proposals[0]?.resumeOn} ($${atRisk.toFixed(0)} at risk)`,
    draft: {
      campaigns: proposals.map((proposal) => ({
        campaign_id: proposal.campaignId,
        campaign: proposal.campaignName,
        skus: proposal.skus.map((sku) => `${sku.sku} ${sku.name} (out ${sku.stockoutDate} → ${sku.restockDate})`).join('; '),
        daily_budget_usd: proposal.dailyBudget,
        pause_from: proposal.pauseFrom,
        resume_on: proposal.resumeOn,
        spend_at_risk_usd: proposal.spendAtRiskUsd,
        reason: proposal.reason,
      })),
      // What pausing them all saves per day while the shelves are empty.
      daily_spend_saved_usd: Math.round(proposals.reduce((sum, proposal) => sum + proposal.dailyBudget, 0) * 100) / 100,
      note: `Shipment ${delay.shipment_id} is ${delay.delay_days} days late. On approval mktgbot pauses each campaign once; resume them on the restock date.`,
    },
    signalId: signal.id,
    // Per delay and campaign set, not per signal: opsbot re-raises a late shipment daily, and a
    // proposal already made (or declined) for the same campaigns is not made again.
    requestKey: `pause-campaigns:${delay.shipment_id}:${delay.delay_days}d:${proposals
      .map((proposal) => proposal.campaignId)
      .sort()
      .join(',')}`,
  });
  context.log.info(
    { approvalId: approval.id, created, campaigns: proposals.map((proposal: PauseProposal) => proposal.campaignId) },
    'campaign pauses proposed for approval',
  );
};

const pauseDraft = z.object({
  campaigns: z
    .array(
      z.object({
        campaign_id: z.string().min(1),
        campaign: z.string(),
        skus: z.string().optional(),
        daily_budget_usd: z.number().optional(),
        pause_from: z.string().optional(),
        resume_on: z.string().optional(),
        spend_at_risk_usd: z.number().optional(),
        reason: z.string().optional(),
      }),
    )
    .min(1),
  daily_spend_saved_usd: z.number().optional(),
  note: z.string().optional(),
});

/** `pause_campaigns`: pause each campaign through the ads connector, once per approval and campaign. */
export const pauseCampaigns = defineAction({
  name: 'pause_campaigns',
  draft: pauseDraft,
  async execute({ campaigns }, context, approval): Promise<{ summary: string; campaigns: Array<{ campaign_id: string; status: string; changed: boolean }> }> {
    const { ads } = context.connectors;
    const results = [];
    for (const campaign of campaigns) {
      // The reason travels with the pause so whoever looks at the ads account sees why it stopped.
      const paused = await ads.pauseCampaign({
        campaignId: campaign.campaign_id,
        idempotencyKey: `${context.idempotencyKey}:pause:${campaign.campaign_id}`,
        ...(campaign.reason === undefined ? {} : { reason: `approval ${approval.id}: ${campaign.reason}` }),
      });
      results.push({ campaign_id: campaign.campaign_id, status: paused.status, changed: paused.changed });
    }
    return {
      summary: `paused ${results.length} campaign${results.length === 1 ? '' : 's'}: ${campaigns.map((campaign) => campaign.campaign).join(', ')}`,
      campaigns: results,
    };
  },
});
