import { listApprovals, type BotContext } from '@jbot/core';
import { adAccountIssue, adConfigIssue, adDestinationBroken, adSpendAnomaly, mktgBudgetVariance, roasBelowFloor } from './paid-media-signals.js';

const usd = (value: number) => `$${value.toFixed(2)}`;

// Which approval each paid-media signal leads to, and how to find it by its draft.
const APPROVAL_FOR: Record<string, { action: string; key: 'campaign_id' | 'account_id' }> = {
  roas_below_floor: { action: 'adjust_campaign_budget', key: 'campaign_id' },
  ad_spend_anomaly: { action: 'adjust_campaign_budget', key: 'campaign_id' },
  ad_config_issue: { action: 'fix_campaign_config', key: 'campaign_id' },
  ad_account_issue: { action: 'raise_spend_cap', key: 'account_id' },
  ad_destination_broken: { action: 'pause_campaigns', key: 'campaign_id' },
};

/** The facts of a paid-media signal in one line, or null when the signal is not one of them. */
function factsOf(type: string, payload: unknown): { facts: string; objectId: string; fixable: boolean } | null {
  if (type === roasBelowFloor.type) {
    const flag = roasBelowFloor.schema.parse(payload);
    return {
      fixable: true,
      objectId: flag.campaign_id,
      facts: `${flag.platform} "${flag.campaign}" returned ROAS ${flag.roas_3d.toFixed(2)} on ${usd(flag.spend_3d)} over 3 days against a floor of ${flag.floor.toFixed(1)}${flag.cpa_3d === null || flag.cpa_3d === undefined ? '' : ` (CPA ${usd(flag.cpa_3d)})`}`,
    };
  }
  if (type === adSpendAnomaly.type) {
    const anomaly = adSpendAnomaly.schema.parse(payload);
    return {
      fixable: anomaly.kind !== 'no_delivery',
      objectId: anomaly.campaign_id,
      facts: `${anomaly.platform} "${anomaly.campaign ?? anomaly.campaign_id}" ${anomaly.kind.replace(/_/g, ' ')}: ${usd(anomaly.spend_today)} spent today against ${usd(anomaly.expected_to_date)} expected by now${anomaly.daily_budget === undefined ? '' : ` (budget ${usd(anomaly.daily_budget)}/day)`}`,
    };
  }
  if (type === adConfigIssue.type) {
    const issue = adConfigIssue.schema.parse(payload);
    return {
      fixable: true,
      objectId: issue.campaign_id,
      facts: `${issue.platform} "${issue.campaign ?? issue.campaign_id}": ${issue.issues.map((item) => `${item.rule.replace(/_/g, ' ')} (${String(item.value)})`).join('; ')}`,
    };
  }
  if (type === adAccountIssue.type) {
    const issue = adAccountIssue.schema.parse(payload);
    // Only a spend cap has an approval here; a disapproval, payment or restriction is fixed on the platform.
    return {
      fixable: issue.kind === 'spend_cap',
      objectId: issue.account_id,
      facts: `${issue.platform} account ${issue.account_id} — ${issue.kind.replace(/_/g, ' ')}: ${issue.detail}`,
    };
  }
  if (type === adDestinationBroken.type) {
    const broken = adDestinationBroken.schema.parse(payload);
    return {
      fixable: broken.platform === 'meta' && broken.campaign_id !== undefined,
      objectId: broken.campaign_id ?? broken.ad_id,
      facts: `${broken.platform} ad ${broken.ad_id} lands on ${broken.url}: ${broken.problem.replace(/_/g, ' ')}${broken.detail === undefined ? '' : ` (${broken.detail})`}`,
    };
  }
  if (type === mktgBudgetVariance.type) {
    const variance = mktgBudgetVariance.schema.parse(payload);
    return {
      fixable: false,
      objectId: variance.platform,
      facts: `${variance.platform} ${variance.month.slice(0, 7)}: projected ${usd(variance.projected)} against a plan of ${usd(variance.plan)} (${variance.variance_pct > 0 ? '+' : ''}${variance.variance_pct.toFixed(1)}%${variance.mtd === undefined ? '' : `, ${usd(variance.mtd)} spent so far`})`,
    };
  }
  return null;
}

// What the rest of the month's daily spend must change by to land on plan.
function landOnPlan(variance: { plan: number; projected: number; mtd?: number | undefined }): string {
  const spent = variance.mtd ?? 0;
  const remaining = variance.projected - spent;
  if (remaining <= 0) return 'The month is closed: the variance stands; set next month’s plan or budgets accordingly.';
  const change = Math.round(((variance.plan - spent) / remaining - 1) * 100);
  return `To land on plan, ${change < 0 ? `cut the rest of the month's daily spend on it by about ${-change}%` : `raise it by about ${change}%`} (paid-media-daily and spend-pacing propose per-campaign budget changes as approvals).`;
}

// Whether an approval's draft is about the object: its own id field, or one of its campaigns (pause_campaigns).
function draftNames(draft: unknown, key: string, id: string): boolean {
  const record = (draft ?? {}) as Record<string, unknown>;
  if (record[key] === id) return true;
  return Array.isArray(record['campaigns']) && (record['campaigns'] as Array<Record<string, unknown>>).some((campaign) => campaign[key] === id);
}

/**
 * mktgbot's answer to the operator's reply on a paid-media escalation: the figures behind it and
 * the pending approval that fixes it (a free-text reply is not an approval: the decision stays
 * with the allow-listed approvers), also noted on #mktg-bot. Null for other signal types.
 */
export async function answerPaidMediaSignal(signal: Record<string, unknown>, context: BotContext): Promise<string | null> {
  const type = String(signal['signal_type']);
  const described = factsOf(type, signal['payload']);
  if (described === null) return null;
  const wanted = APPROVAL_FOR[type];
  const pending =
    wanted === undefined || !described.fixable
      ? undefined
      : (await listApprovals(context.db, { status: 'pending', bot: 'mktgbot', limit: 200 })).find(
          (approval) => approval.action === wanted.action && draftNames(approval.draft, wanted.key, described.objectId),
        );
  const next =
    pending !== undefined
      ? `Approve ${pending.id} ("${pending.title}") to apply the fix, or reject it to leave things as they are.`
      : type === adDestinationBroken.type
        ? 'Fix the page (restore the product, restock, correct the price) or pause the ad on its platform; contentbot handles a broken store page.'
        : type === mktgBudgetVariance.type
          ? landOnPlan(mktgBudgetVariance.schema.parse(signal['payload']))
          : type === adSpendAnomaly.type && !described.fixable
            ? 'A budget change does not fix a campaign that is not delivering: check its ads in review, audience, bid cap and billing on the platform; spend-pacing re-checks every hour.'
            : type === adAccountIssue.type
              ? 'This one is fixed on the platform (replace the ad, settle the payment, appeal the restriction); adsbot drafts a compliant replacement for a disapproved ad.'
              : 'No fix is pending for it (already decided or not proposed); `fleet run mktgbot/<job>` re-checks.';
  await context.channel.post({ title: `Operator asked about ${type}`, text: `${described.facts}\n${next}`, kind: 'note' });
  return `${described.facts.replace(/\.$/, '')}. ${next}`;
}
