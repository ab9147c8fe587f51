import { defineJob, envInteger, envNumber, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import type { KlaviyoSentCampaign } from '@jbot/connectors';

const DAY_MS = 86_400_000;

/** The job's settings, with the catalogue's guardrails (Gmail/Yahoo bulk-sender rules) as defaults; rates in percent. */
export const campaignRecapSettings = envSettings({
  KLAVIYO_SPAM_WARNING_PCT: envNumber(0.1, 0),
  KLAVIYO_SPAM_CRITICAL_PCT: envNumber(0.3, 0),
  KLAVIYO_BOUNCE_WARNING_PCT: envNumber(2, 0),
  KLAVIYO_UNSUBSCRIBE_WARNING_PCT: envNumber(0.5, 0),
  /** Yesterday's campaigns are compared with the median of this many before them… */
  KLAVIYO_RECAP_TRAILING: envInteger(10, 1, 100),
  /** …and a revenue-per-recipient or open-rate swing beyond this is listed. */
  KLAVIYO_RECAP_SWING_PCT: envInteger(30, 1, 1000),
  FLEET_TZ: timeZone('UTC'),
});

type CampaignRecapSettings = ReturnType<typeof campaignRecapSettings.load>;

/** One of yesterday's campaigns, with its figures, its swings against the trailing median and the guardrails it crossed. */
export interface CampaignRecapLine {
  campaign_id: string;
  campaign: string;
  channel: 'email' | 'sms';
  recipients: number;
  open_rate: number | null;
  revenue_per_recipient: number | null;
  spam_rate: number;
  bounce_rate: number;
  unsubscribe_rate: number;
  /** Swings beyond the setting against the trailing median ("RPR −67% vs median $0.37"). */
  swings: string[];
  /** Guardrails crossed; empty for a healthy send. */
  risks: string[];
  severity: 'critical' | 'warning' | null;
}

function localDay(at: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? null) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const pct = (rate: number) => `${(rate * 100).toFixed(2)}%`;

/**
 * Yesterday's campaigns (in the company's zone) against the guardrails, deterministically: spam
 * complaints ≥ the critical line → critical, ≥ the warning line, bounces or unsubscribes over
 * theirs → warning; revenue per recipient and open rate swings against the trailing median listed.
 */
export function recapCampaigns(campaigns: readonly KlaviyoSentCampaign[], settings: CampaignRecapSettings, now: Date): CampaignRecapLine[] {
  const yesterday = localDay(new Date(now.getTime() - DAY_MS), settings.FLEET_TZ);
  const newestFirst = [...campaigns].sort((left, right) => right.sentAt.localeCompare(left.sentAt));
  const sentYesterday = newestFirst.filter((campaign) => localDay(new Date(campaign.sentAt), settings.FLEET_TZ) === yesterday);
  const before = newestFirst.filter((campaign) => localDay(new Date(campaign.sentAt), settings.FLEET_TZ) < yesterday).slice(0, settings.KLAVIYO_RECAP_TRAILING);
  const medianRpr = median(before.flatMap((campaign) => (campaign.revenuePerRecipient === null ? [] : [campaign.revenuePerRecipient])));
  const medianOpen = median(before.flatMap((campaign) => (campaign.openRate === null ? [] : [campaign.openRate])));
  return sentYesterday.map((campaign): CampaignRecapLine => {
    const spam = campaign.spamComplaintRate ?? 0;
    const bounce = campaign.bounceRate ?? 0;
    const unsubscribe = campaign.unsubscribeRate ?? 0;
    const risks: string[] = [];
    if (spam * 100 >= settings.KLAVIYO_SPAM_CRITICAL_PCT)
      risks.push(`spam complaints ${pct(spam)} ≥ ${settings.KLAVIYO_SPAM_CRITICAL_PCT}% (the Gmail/Yahoo bulk-sender line)`);
    else if (spam * 100 >= settings.KLAVIYO_SPAM_WARNING_PCT) risks.push(`spam complaints ${pct(spam)} ≥ ${settings.KLAVIYO_SPAM_WARNING_PCT}%`);
    if (bounce * 100 >= settings.KLAVIYO_BOUNCE_WARNING_PCT) risks.push(`bounces ${pct(bounce)} ≥ ${settings.KLAVIYO_BOUNCE_WARNING_PCT}%`);
    if (unsubscribe * 100 >= settings.KLAVIYO_UNSUBSCRIBE_WARNING_PCT)
      risks.push(`unsubscribes ${pct(unsubscribe)} ≥ ${settings.KLAVIYO_UNSUBSCRIBE_WARNING_PCT}%`);
    const swings: string[] = [];
    const swing = (label: string, value: number | null, baseline: number | null, show: (value: number) => string) => {
      if (value === null || baseline === null || baseline === 0) return;
      const change = (value / baseline - 1) * 100;
      if (Math.abs(change) > settings.KLAVIYO_RECAP_SWING_PCT)
        swings.push(`${label} ${change > 0 ? '+' : ''}${Math.round(change)}% vs median ${show(baseline)}`);
    };
    swing('RPR', campaign.revenuePerRecipient, medianRpr, (value) => `$${value.toFixed(2)}`);
    swing('open rate', campaign.openRate, medianOpen, pct);
    return {
      campaign_id: campaign.id,
      campaign: campaign.name,
      channel: campaign.channel,
      recipients: campaign.recipients,
      open_rate: campaign.openRate,
      revenue_per_recipient: campaign.revenuePerRecipient,
      spam_rate: spam,
      bounce_rate: bounce,
      unsubscribe_rate: unsubscribe,
      swings,
      risks,
      severity: risks.length === 0 ? null : spam * 100 >= settings.KLAVIYO_SPAM_CRITICAL_PCT ? 'critical' : 'warning',
    };
  });
}

/** The #mktg-bot recap: one line per campaign, then its swings and guardrails. */
export function recapMessage(lines: readonly CampaignRecapLine[]): string {
  return lines
    .map((line) =>
      [
        `• ${line.severity === 'critical' ? '🚨 ' : line.severity === 'warning' ? '⚠️ ' : ''}**${line.campaign}** (${line.channel}, ${line.recipients.toLocaleString('en-US')} recipients): open ${line.open_rate === null ? '—' : pct(line.open_rate)}, RPR ${line.revenue_per_recipient === null ? '—' : `$${line.revenue_per_recipient.toFixed(2)}`}, spam ${pct(line.spam_rate)}, bounce ${pct(line.bounce_rate)}, unsubscribe ${pct(line.unsubscribe_rate)}`,
        ...line.swings.map((swing) => `   ↳ ${swing}`),
        ...line.risks.map((risk) => `   ↳ guardrail: ${risk}`),
      ].join('\n'),
    )
    .join('\n');
}

/** Run the recap once: post yesterday's campaigns when the set changed; one `deliverability_risk` per campaign over a guardrail. */
export async function runCampaignRecap(
  context: BotContext & JobRunInfo,
  settings = campaignRecapSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; lines: CampaignRecapLine[]; signals: number }> {
  const campaigns = await context.connectors.klaviyo.listSentCampaigns({ limit: settings.KLAVIYO_RECAP_TRAILING + 20 });
  const lines = recapCampaigns(campaigns, settings, now);
  const outcome = await reportFindings(context, {
    findings: lines,
    noun: 'campaign sent yesterday',
    message: (found) => ({
      title: `Klaviyo recap: ${found.length} campaign${found.length === 1 ? '' : 's'} sent yesterday${found.some((line) => line.severity === 'critical') ? ' — deliverability at risk' : ''}`,
      text: recapMessage(found),
      kind: 'note',
    }),
    nothingLine: 'No email or SMS campaign was sent yesterday.',
  });
  let signals = 0;
  for (const line of lines) {
    if (line.severity === null) continue;
    const emitted = await context.signals.emit(
      'deliverability_risk',
      {
        campaign_id: line.campaign_id,
        spam_rate: line.spam_rate,
        bounce_rate: line.bounce_rate,
        unsubscribe_rate: line.unsubscribe_rate,
        recipients: line.recipients,
        campaign: line.campaign,
        reasons: line.risks,
      },
      // A sent campaign's figures settle over days: one signal per campaign, not one per morning.
      { severity: line.severity, dedupeKey: `deliverability_risk:${line.campaign_id}`, dedupeWindowMs: 7 * DAY_MS },
    );
    if (!emitted.deduplicated) signals += 1;
  }
  context.log.info({ campaigns: lines.length, signals }, `klaviyo campaign recap: ${lines.length} campaign(s) yesterday`);
  return { outcome, lines, signals };
}

/** mktgbot's klaviyo-campaign-recap: daily 09:15 (fleet time zone). */
export const klaviyoCampaignRecap = defineJob({
  id: 'klaviyo-campaign-recap',
  schedule: '15 9 * * *',
  description: "Yesterday's email and SMS campaigns vs the trailing median, with deliverability guardrails → deliverability_risk warning/critical",
  timeoutMs: 120_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: campaignRecapSettings,
  async run(context) {
    const { outcome, signals } = await runCampaignRecap(context, context.config);
    return jobOutcome(`${outcome.outcome}${signals === 0 ? '' : `; ${signals} deliverability_risk raised`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, signals },
    });
  },
});
