import {
  defineJob,
  envInteger,
  envList,
  envNumber,
  envSettings,
  optionalString,
  type ConfigProblem,
  fingerprintOf,
  jobOutcome,
  reportFindings,
  type BotContext,
  type JobRunInfo,
} from '@jbot/core';
import type { PaidCampaign } from '@jbot/connectors';
import { fixCampaignConfig, type FixCampaignConfigDraft } from '../paid-media/fix-campaign-config.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The job's settings, with the catalogue's values as defaults. */
export const campaignConfigAuditSettings = envSettings(
  {
    /** Campaigns created or edited this recently are checked. */
    PAID_CONFIG_LOOKBACK_HOURS: envInteger(24, 1, 24 * 14),
    /** The approved daily-budget cap for any one campaign (catalogue: $1,000/day). */
    PAID_DAILY_BUDGET_CAP_USD: envNumber(1000, 1),
    /** platform=pixel-or-dataset-id pairs the campaigns must optimise on (e.g. meta=1183425069911); unset: not checked. */
    PAID_PIXEL_IDS: envList,
    /** A regular expression for campaign names; default BRAND | Objective | Theme (| or · between the parts). */
    PAID_CAMPAIGN_NAME_PATTERN: optionalString,
  },
  (parsed) => {
    // A bad pattern or pair stops start-up with the variable named, not the 06:45 run.
    const problems: ConfigProblem[] = [];
    for (const pair of parsed.PAID_PIXEL_IDS)
      if (!/^(meta|google|tiktok|pinterest|amazon)=\S+$/.test(pair))
        problems.push({ variable: 'PAID_PIXEL_IDS', message: `has "${pair}": write platform=pixel-id pairs, e.g. meta=1183425069911` });
    if (parsed.PAID_CAMPAIGN_NAME_PATTERN !== undefined) {
      try {
        new RegExp(parsed.PAID_CAMPAIGN_NAME_PATTERN);
      } catch (error) {
        problems.push({
          variable: 'PAID_CAMPAIGN_NAME_PATTERN',
          message: `is not a regular expression: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
    return problems;
  },
);

type CampaignConfigAuditSettings = ReturnType<typeof campaignConfigAuditSettings.load>;

const DEFAULT_NAME_PATTERN = /^[A-Z][\w&]*\s[|·]\s[^|·]+\s[|·]\s.+$/;

/** One rule a campaign broke. */
export interface ConfigIssue {
  rule: 'budget_over_cap' | 'no_purchaser_exclusion' | 'utm_missing' | 'wrong_pixel' | 'promo_without_end_date' | 'name_convention';
  value: string | number | null;
  detail: string;
}

/** A campaign edited in the window with what is wrong with it. */
export interface MisconfiguredCampaign {
  platform: PaidCampaign['platform'];
  campaign_id: string;
  campaign: string;
  updated_at: string | null;
  issues: ConfigIssue[];
  patch: FixCampaignConfigDraft['patch'];
  manual: string[];
}

function pixelMap(settings: CampaignConfigAuditSettings): Map<string, string> {
  return new Map(settings.PAID_PIXEL_IDS.map((pair) => pair.split('=').map((part) => part.trim()) as [string, string]));
}

// utm_source and utm_campaign are what attribution needs; utm_medium is added when missing too.
function withUtm(campaign: PaidCampaign): string {
  const params = new URLSearchParams(campaign.urlTags ?? '');
  const slug = campaign.name
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  if (!params.has('utm_source')) params.set('utm_source', campaign.platform);
  if (!params.has('utm_medium')) params.set('utm_medium', 'paid');
  if (!params.has('utm_campaign')) params.set('utm_campaign', slug);
  return params.toString();
}

/**
 * The catalogue's setup rules over campaigns created or edited in the lookback window: daily
 * budget above the cap (alert: the costly one), prospecting without the purchaser exclusion,
 * url_tags without utm_source/utm_campaign, a pixel other than the configured one, a promotion
 * with no end date, a name off the BRAND | Objective | Theme convention. Pure.
 */
export function auditCampaigns(campaigns: readonly PaidCampaign[], settings: CampaignConfigAuditSettings, now: Date): MisconfiguredCampaign[] {
  const since = now.getTime() - settings.PAID_CONFIG_LOOKBACK_HOURS * HOUR_MS;
  const pixels = pixelMap(settings);
  const namePattern = settings.PAID_CAMPAIGN_NAME_PATTERN === undefined ? DEFAULT_NAME_PATTERN : new RegExp(settings.PAID_CAMPAIGN_NAME_PATTERN);
  const found: MisconfiguredCampaign[] = [];
  for (const campaign of campaigns) {
    if (campaign.status === 'ARCHIVED' || campaign.updatedAt === null || Date.parse(campaign.updatedAt) < since) continue;
    const issues: ConfigIssue[] = [];
    const patch: FixCampaignConfigDraft['patch'] = {};
    const manual: string[] = [];
    if (campaign.dailyBudget > settings.PAID_DAILY_BUDGET_CAP_USD) {
      // Back to the budget before the edit when the change history has it and it fits the cap.
      const restore =
        campaign.previousDailyBudget !== null && campaign.previousDailyBudget <= settings.PAID_DAILY_BUDGET_CAP_USD
          ? campaign.previousDailyBudget
          : settings.PAID_DAILY_BUDGET_CAP_USD;
      issues.push({
        rule: 'budget_over_cap',
        value: campaign.dailyBudget,
        detail: `daily budget $${campaign.dailyBudget.toFixed(2)} is over the $${settings.PAID_DAILY_BUDGET_CAP_USD.toFixed(0)} cap${campaign.previousDailyBudget === null ? '' : ` (it was $${campaign.previousDailyBudget.toFixed(2)} before the edit)`}`,
      });
      patch.daily_budget = restore;
    }
    if (campaign.funnel === 'prospecting' && campaign.excludesPurchasers === false) {
      issues.push({
        rule: 'no_purchaser_exclusion',
        value: null,
        detail: 'prospecting without the past-purchasers exclusion: it pays to reach existing customers',
      });
      patch.excludes_purchasers = true;
    }
    const tags = new URLSearchParams(campaign.urlTags ?? '');
    const missing = ['utm_source', 'utm_campaign'].filter((name) => !tags.has(name));
    if (missing.length > 0) {
      issues.push({
        rule: 'utm_missing',
        value: missing.join(','),
        detail: `url_tags "${campaign.urlTags ?? ''}" lack ${missing.join(' and ')}: its sales will not be attributed`,
      });
      patch.url_tags = withUtm(campaign);
    }
    const expectedPixel = pixels.get(campaign.platform);
    if (expectedPixel !== undefined && campaign.pixelId !== null && campaign.pixelId !== expectedPixel) {
      issues.push({ rule: 'wrong_pixel', value: campaign.pixelId, detail: `optimises on pixel ${campaign.pixelId}, not ${expectedPixel}` });
      manual.push(`set the pixel/dataset to ${expectedPixel}`);
    }
    if (campaign.promo && campaign.endAt === null) {
      issues.push({ rule: 'promo_without_end_date', value: null, detail: 'a promotion campaign with no end date keeps spending after the offer ends' });
      manual.push('set the end date to the promotion’s last day');
    }
    if (!namePattern.test(campaign.name)) {
      issues.push({ rule: 'name_convention', value: campaign.name, detail: `"${campaign.name}" is not BRAND | Objective | Theme` });
      manual.push('rename to BRAND | Objective | Theme');
    }
    if (issues.length > 0)
      found.push({ platform: campaign.platform, campaign_id: campaign.id, campaign: campaign.name, updated_at: campaign.updatedAt, issues, patch, manual });
  }
  return found.sort(
    (left, right) =>
      Number(right.issues.some((issue) => issue.rule === 'budget_over_cap')) - Number(left.issues.some((issue) => issue.rule === 'budget_over_cap')) ||
      left.campaign.localeCompare(right.campaign) ||
      left.campaign_id.localeCompare(right.campaign_id),
  );
}

/** Run once: the audit, the post on change, per campaign ad_config_issue and (when a patch can fix it) fix_campaign_config. */
export async function runCampaignConfigAudit(
  context: BotContext & JobRunInfo,
  settings = campaignConfigAuditSettings.load({}),
  now = new Date(),
): Promise<{
  outcome: Awaited<ReturnType<typeof reportFindings>>;
  found: MisconfiguredCampaign[];
  approvals: Array<{ campaign_id: string; approval_id: string; created: boolean }>;
  signals: number;
}> {
  const found = auditCampaigns(await context.connectors.paidMedia.listCampaigns(), settings, now);
  const outcome = await reportFindings(context, {
    findings: found.map(({ updated_at: _updated, ...finding }) => finding),
    noun: 'misconfigured campaign',
    message: () => ({
      title: `Campaign setup: ${found.length} campaign${found.length === 1 ? '' : 's'} edited in the last ${settings.PAID_CONFIG_LOOKBACK_HOURS} h need${found.length === 1 ? 's' : ''} a fix`,
      text: found.map((campaign) => `• ${campaign.platform} **${campaign.campaign}**: ${campaign.issues.map((issue) => issue.detail).join('; ')}`).join('\n'),
      kind: 'note',
    }),
    nothingLine: `Every campaign edited in the last ${settings.PAID_CONFIG_LOOKBACK_HOURS} h is within the $${settings.PAID_DAILY_BUDGET_CAP_USD.toFixed(0)} cap, tagged with UTM parameters and named by the convention${settings.PAID_PIXEL_IDS.length === 0 ? ' (pixel ids not checked: PAID_PIXEL_IDS is unset)' : ''}.`,
  });
  let signals = 0;
  const approvals: Array<{ campaign_id: string; approval_id: string; created: boolean }> = [];
  for (const campaign of found) {
    const breach = campaign.issues.some((issue) => issue.rule === 'budget_over_cap');
    const emitted = await context.signals.emit(
      'ad_config_issue',
      {
        platform: campaign.platform,
        campaign_id: campaign.campaign_id,
        campaign: campaign.campaign,
        issues: campaign.issues.map(({ rule, value }) => ({ rule, value })),
      },
      {
        severity: breach ? 'alert' : 'warning',
        dedupeKey: `ad_config_issue:${campaign.platform}:${campaign.campaign_id}:${fingerprintOf(campaign.issues)}`,
        dedupeWindowMs: DAY_MS,
      },
    );
    if (!emitted.deduplicated) signals += 1;
    if (Object.keys(campaign.patch).length === 0) continue;
    const { approval, created } = await context.approvals.request({
      action: fixCampaignConfig,
      title: `Fix ${campaign.platform} "${campaign.campaign}": ${campaign.issues.map((issue) => issue.rule.replace(/_/g, ' ')).join(', ')}`,
      draft: {
        platform: campaign.platform,
        campaign_id: campaign.campaign_id,
        campaign: campaign.campaign,
        issues: campaign.issues,
        patch: campaign.patch,
        manual: campaign.manual,
      },
      signalId: emitted.id,
      // The same campaign with the same issues is one proposal, however often the audit runs.
      requestKey: `campaign-config-audit:${campaign.platform}:${campaign.campaign_id}:${fingerprintOf(campaign.issues)}`,
    });
    approvals.push({ campaign_id: campaign.campaign_id, approval_id: approval.id, created });
  }
  context.log.info({ found: found.length, signals, approvals: approvals.length }, 'campaign config audit');
  return { outcome, found, approvals, signals };
}

/** mktgbot's campaign-config-audit: daily 06:45 (fleet time zone). */
export const campaignConfigAudit = defineJob({
  id: 'campaign-config-audit',
  schedule: '45 6 * * *',
  description:
    'Costly setup mistakes in campaigns edited in the last 24 h (budget over cap, no UTM, no purchaser exclusion, wrong pixel, promo without end date, naming) → ad_config_issue + fix_campaign_config',
  timeoutMs: 180_000,
  // Daily: a missed morning catches up once (the 24 h window still covers yesterday's edits).
  missed: 'once',
  settings: campaignConfigAuditSettings,
  async run(context) {
    const { outcome, approvals, signals } = await runCampaignConfigAudit(context, context.config);
    const fresh = approvals.filter((approval) => approval.created).length;
    return jobOutcome(
      `${outcome.outcome}${approvals.length === 0 ? '' : `; fix_campaign_config asked for ${fresh} (${approvals.length - fresh} already asked)`}`,
      {
        ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
        detail: { ...outcome.detail, approvals, signals },
      },
    );
  },
});
