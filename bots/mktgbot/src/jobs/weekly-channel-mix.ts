import { defineJob, envInteger, envNumber, envSettings, jobOutcome, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { AD_PLATFORMS, type AdPlatform, type CampaignDay, type PaidCampaign } from '@jbot/connectors';
import { reallocateBudget, type ReallocateBudgetDraft } from '../paid-media/reallocate-budget.js';
import { localDay, ratio, shiftDay, usd } from '../paid-media/local-day.js';

const DAY_MS = 86_400_000;

/** The job's settings, with the catalogue's values as defaults. */
export const channelMixSettings = envSettings({
  FLEET_TZ: timeZone('UTC'),
  /** At most this share of the weekly budget moves (catalogue: 10%). */
  PAID_MIX_MAX_SHIFT_PCT: envInteger(10, 1, 50),
  /** A spend change under this share of the week's spend makes marginal ROAS meaningless: average ROAS stands in. */
  PAID_MIX_MIN_SPEND_CHANGE_PCT: envInteger(5, 0, 100),
  /** The new-customer acquisition cost the company aims for. */
  PAID_NEW_CUSTOMER_CAC_TARGET_USD: envNumber(60, 0),
});

type ChannelMixSettings = ReturnType<typeof channelMixSettings.load>;

/** One platform's last two weeks. */
export interface PlatformWeek {
  platform: AdPlatform;
  spend: number;
  revenue: number;
  spend_prev: number;
  revenue_prev: number;
  roas: number | null;
  /** Δrevenue ÷ Δspend, week on week; null when the spend barely moved. */
  marginal_roas: number | null;
  share: number;
}

const round = (value: number) => Math.round(value * 100) / 100;
const sumOf = (rows: readonly CampaignDay[], key: 'spend' | 'revenue') => rows.reduce((sum, row) => sum + row[key], 0);

/** Last 7 days vs the 7 before, per platform (pure). */
export function platformWeeks(days: readonly CampaignDay[], lastDay: string, settings: ChannelMixSettings): PlatformWeek[] {
  const weekStart = shiftDay(lastDay, 6);
  const prevStart = shiftDay(lastDay, 13);
  const total = days.filter((row) => row.day >= weekStart && row.day <= lastDay).reduce((sum, row) => sum + row.spend, 0);
  return AD_PLATFORMS.map((platform) => {
    const rows = days.filter((row) => row.platform === platform);
    const week = rows.filter((row) => row.day >= weekStart && row.day <= lastDay);
    const prev = rows.filter((row) => row.day >= prevStart && row.day < weekStart);
    const spend = sumOf(week, 'spend');
    const revenue = sumOf(week, 'revenue');
    const spendPrev = sumOf(prev, 'spend');
    const revenuePrev = sumOf(prev, 'revenue');
    const delta = spend - spendPrev;
    const marginal = spend === 0 || Math.abs(delta) < (spend * settings.PAID_MIX_MIN_SPEND_CHANGE_PCT) / 100 ? null : (revenue - revenuePrev) / delta;
    return {
      platform,
      spend: round(spend),
      revenue: round(revenue),
      spend_prev: round(spendPrev),
      revenue_prev: round(revenuePrev),
      roas: spend === 0 ? null : round(revenue / spend),
      marginal_roas: marginal === null ? null : round(marginal),
      share: total === 0 ? 0 : round((spend / total) * 100),
    };
  });
}

/**
 * The proposal: move up to 10% of the weekly budget from the platform with the lowest marginal
 * ROAS (average ROAS where the spend barely moved) to the highest, spread over each platform's
 * active campaigns in proportion to their budgets. Null when there is nothing to move. Pure.
 */
export function proposeReallocation(
  weeks: readonly PlatformWeek[],
  campaigns: readonly PaidCampaign[],
  settings: ChannelMixSettings,
): ReallocateBudgetDraft | null {
  const scored = weeks
    .filter((week) => week.spend > 0)
    .map((week) => ({ week, score: week.marginal_roas ?? week.roas ?? 0 }))
    .sort((left, right) => left.score - right.score);
  const worst = scored[0];
  const best = scored.at(-1);
  if (worst === undefined || best === undefined || worst.week.platform === best.week.platform || best.score <= worst.score) return null;
  const active = (platform: AdPlatform) =>
    campaigns.filter((campaign) => campaign.platform === platform && campaign.status === 'ACTIVE' && campaign.dailyBudget > 0);
  const from = active(worst.week.platform);
  const to = active(best.week.platform);
  if (from.length === 0 || to.length === 0) return null;
  const weeklyBudget = campaigns.filter((campaign) => campaign.status === 'ACTIVE').reduce((sum, campaign) => sum + campaign.dailyBudget, 0) * 7;
  const fromWeekly = from.reduce((sum, campaign) => sum + campaign.dailyBudget, 0) * 7;
  // Never more than half of the source platform: a reallocation, not a shutdown.
  const weeklyAmount = Math.round(Math.min((weeklyBudget * settings.PAID_MIX_MAX_SHIFT_PCT) / 100, fromWeekly / 2));
  if (weeklyAmount < 7) return null;
  const spread = (list: PaidCampaign[], dailyAmount: number, sign: 1 | -1) => {
    const total = list.reduce((sum, campaign) => sum + campaign.dailyBudget, 0);
    return list.map((campaign) => ({
      platform: campaign.platform,
      campaign_id: campaign.id,
      campaign: campaign.name,
      from_daily_budget: campaign.dailyBudget,
      to_daily_budget: Math.max(1, Math.round((campaign.dailyBudget + (sign * dailyAmount * campaign.dailyBudget) / total) * 100) / 100),
    }));
  };
  return {
    from_platform: worst.week.platform,
    to_platform: best.week.platform,
    weekly_amount: weeklyAmount,
    changes: [...spread(from, weeklyAmount / 7, -1), ...spread(to, weeklyAmount / 7, 1)],
    reason: `marginal ROAS ${ratio(worst.score)} on ${worst.week.platform} vs ${ratio(best.score)} on ${best.week.platform} (last 7 days vs the 7 before)`,
  };
}

const NARRATIVE_SYSTEM =
  "You write the Monday note on the marketing channel mix for a consumer-goods company's team: four short lines — where the money went, what returned best at the margin, the proposed move and why, and email's share. Figures as given; never invent numbers; plain text.";

/** Run once: the two weeks by platform, email's share, new-customer CAC, the narrative, the post, and reallocate_budget. */
export async function runChannelMix(
  context: BotContext & JobRunInfo,
  settings = channelMixSettings.load({}),
  now = new Date(),
): Promise<{
  weeks: PlatformWeek[];
  proposal: ReallocateBudgetDraft | null;
  approval: { id: string; created: boolean } | null;
  cac: number | null;
  emailShare: number | null;
  narrative: string;
}> {
  const { paidMedia, klaviyo, reporting, commerce } = context.connectors;
  const lastDay = localDay(new Date(now.getTime() - DAY_MS), settings.FLEET_TZ);
  const weekStart = shiftDay(lastDay, 6);
  const [days, campaigns, flows, sales, orders] = await Promise.all([
    paidMedia.dailyMetrics({ from: shiftDay(lastDay, 27), to: lastDay }),
    paidMedia.listCampaigns(),
    klaviyo.flowReports({ end: now, days: 7 }),
    reporting.dailySales({ from: weekStart, to: lastDay, timeZone: settings.FLEET_TZ }),
    commerce.listOrders({ since: new Date(now.getTime() - 35 * DAY_MS) }),
  ]);
  const weeks = platformWeeks(days, lastDay, settings);
  const spend = weeks.reduce((sum, week) => sum + week.spend, 0);
  const dtcRevenue = sales.filter((row) => row.channel === 'dtc').reduce((sum, row) => sum + row.revenue, 0);
  const emailRevenue = flows.reduce((sum, flow) => sum + flow.days.reduce((total, day) => total + day.revenue, 0), 0);
  const emailShare = dtcRevenue === 0 ? null : round((emailRevenue / dtcRevenue) * 100);
  // New customers: DTC buyers whose first order in the store's history falls in the week.
  const firstOrder = new Map<string, string>();
  for (const order of orders.filter((row) => row.channel === 'dtc')) {
    const email = order.customerEmail.toLowerCase();
    const known = firstOrder.get(email);
    if (known === undefined || order.createdAt < known) firstOrder.set(email, order.createdAt);
  }
  const since = Date.parse(`${weekStart}T00:00:00Z`);
  const newCustomers = [...firstOrder.values()].filter((at) => Date.parse(at) >= since).length;
  const cac = newCustomers === 0 ? null : round(spend / newCustomers);
  const proposal = proposeReallocation(weeks, campaigns, settings);
  const input = {
    week: `${weekStart}..${lastDay}`,
    weeks,
    emailShare,
    cac,
    cacTarget: settings.PAID_NEW_CUSTOMER_CAC_TARGET_USD,
    proposal: proposal === null ? null : { from: proposal.from_platform, to: proposal.to_platform, weekly: proposal.weekly_amount, reason: proposal.reason },
  };
  // A weekly narrative always has a new period: no ⟳ skip (catalogue).
  const drafted = await context.llm.complete({
    tier: 'fast',
    system: NARRATIVE_SYSTEM,
    prompt: `This week's channel mix (JSON):\n${JSON.stringify(input)}`,
    maxTokens: 400,
    offline: () =>
      [
        `Week ${weekStart} to ${lastDay}: ${usd(spend)} across ${weeks.filter((week) => week.spend > 0).length} platforms.`,
        proposal === null
          ? 'No reallocation: the platforms return alike at the margin.'
          : `Proposed: move ${usd(proposal.weekly_amount)}/week from ${proposal.from_platform} to ${proposal.to_platform} (${proposal.reason}).`,
        `Email flows earned ${emailShare === null ? '—' : `${emailShare}%`} of DTC revenue; new-customer CAC ${usd(cac)} vs target ${usd(settings.PAID_NEW_CUSTOMER_CAC_TARGET_USD)}.`,
      ].join('\n'),
  });
  const narrative = drafted.value.trim();
  await context.channel.post({
    title: `Channel mix ${weekStart} – ${lastDay}: ${usd(spend)} ad spend${proposal === null ? '' : `, move ${usd(proposal.weekly_amount)}/week ${proposal.from_platform} → ${proposal.to_platform} proposed`}`,
    text: [
      narrative,
      '',
      '| platform | spend | share | ROAS | marginal ROAS | spend Δ w/w |',
      '|---|---|---|---|---|---|',
      ...weeks.map(
        (week) =>
          `| ${week.platform} | ${usd(week.spend)} | ${week.share}% | ${ratio(week.roas)} | ${ratio(week.marginal_roas)} | ${usd(round(week.spend - week.spend_prev))} |`,
      ),
      '',
      `Email (Klaviyo flows) ${usd(round(emailRevenue))} = ${emailShare === null ? '—' : `${emailShare}%`} of DTC revenue ${usd(round(dtcRevenue))}. New customers ${newCustomers}, CAC ${usd(cac)} vs target ${usd(settings.PAID_NEW_CUSTOMER_CAC_TARGET_USD)}${cac !== null && cac > settings.PAID_NEW_CUSTOMER_CAC_TARGET_USD ? ' — above target' : ''}.`,
    ].join('\n'),
    kind: 'note',
  });
  let approval: { id: string; created: boolean } | null = null;
  if (proposal !== null) {
    const requested = await context.approvals.request({
      action: reallocateBudget,
      title: `Move ${usd(proposal.weekly_amount)}/week from ${proposal.from_platform} to ${proposal.to_platform} (${proposal.reason})`,
      draft: proposal,
      // One proposal per week, however often the job is run by hand.
      requestKey: `weekly-channel-mix:${weekStart}`,
    });
    approval = { id: requested.approval.id, created: requested.created };
  }
  context.log.info({ week: weekStart, spend, proposal: proposal !== null, cac }, 'weekly channel mix');
  return { weeks, proposal, approval, cac, emailShare, narrative };
}

/** mktgbot's weekly-channel-mix: Mondays 07:30 (fleet time zone). */
export const weeklyChannelMix = defineJob({
  id: 'weekly-channel-mix',
  schedule: '30 7 * * 1',
  description:
    'Monday: spend share vs return by platform (marginal ROAS week on week), email share, new-customer CAC, and a reallocation proposal (reallocate_budget, ≤ 10% of the weekly budget)',
  timeoutMs: 300_000,
  // Weekly: a missed Monday catches up once.
  missed: 'once',
  settings: channelMixSettings,
  async run(context) {
    const { proposal, approval, cac } = await runChannelMix(context, context.config);
    return jobOutcome(
      `channel mix posted${proposal === null ? '; no reallocation' : `; reallocate_budget ${approval?.created === true ? 'asked' : 'already asked'} (${proposal.from_platform} → ${proposal.to_platform}, $${proposal.weekly_amount}/week)`}`,
      { detail: { approval, cac } },
    );
  },
});
