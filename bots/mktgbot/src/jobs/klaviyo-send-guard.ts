import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import type { Connectors, KlaviyoCampaignMessage } from '@jbot/connectors';
import { fixOrUnscheduleCampaign, type FixOrUnscheduleDraft } from '../klaviyo/fix-or-unschedule-campaign.js';
import { listSetting, zoneListSetting } from '../klaviyo/list-setting.js';
import { checkCampaign, type SendIssue } from '../klaviyo/send-checks.js';

const HOUR_MS = 3_600_000;

/** The job's settings, with the catalogue's values as defaults. */
export const sendGuardSettings = envSettings({
  /** Campaigns sending within this many hours are checked. */
  KLAVIYO_SEND_GUARD_WINDOW_HOURS: envInteger(24, 1, 168),
  /** A blocking issue this close to the send raises `klaviyo_issue` (send_blocked). */
  KLAVIYO_SEND_BLOCK_HOURS: envInteger(6, 1, 48),
  KLAVIYO_STORE_HOSTS: listSetting(['harborandpine.com']),
  KLAVIYO_FULL_LIST_NAMES: listSetting(['Newsletter', 'All Subscribers', 'Email Subscribers']),
  KLAVIYO_SMS_RECIPIENT_ZONES: zoneListSetting(['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles']),
  KLAVIYO_SMS_EARLIEST_HOUR: envInteger(8, 0, 23),
  KLAVIYO_SMS_LATEST_HOUR: envInteger(21, 1, 24),
});

/** A scheduled campaign that failed QA. */
export interface HeldCampaign {
  campaign_id: string;
  campaign: string;
  channel: 'email' | 'sms';
  send_at: string | null;
  hours_to_send: number | null;
  issues: SendIssue[];
}

/** Campaigns scheduled inside the window, each with the issues the checks found (clean ones left out), soonest first. */
export async function findHeldCampaigns(
  connectors: Pick<Connectors, 'klaviyo' | 'commerce'>,
  settings: ReturnType<typeof sendGuardSettings.load>,
  now: Date,
): Promise<HeldCampaign[]> {
  const until = now.getTime() + settings.KLAVIYO_SEND_GUARD_WINDOW_HOURS * HOUR_MS;
  const due = (await connectors.klaviyo.listScheduledCampaigns()).filter((campaign: KlaviyoCampaignMessage) => {
    if (campaign.sendAt === null) return false;
    const at = Date.parse(campaign.sendAt);
    return at >= now.getTime() && at <= until;
  });
  if (due.length === 0) return [];
  const stock = await connectors.commerce.listInventory();
  const options = {
    storeHosts: settings.KLAVIYO_STORE_HOSTS,
    fullListNames: settings.KLAVIYO_FULL_LIST_NAMES,
    recipientZones: settings.KLAVIYO_SMS_RECIPIENT_ZONES,
    smsEarliestHour: settings.KLAVIYO_SMS_EARLIEST_HOUR,
    smsLatestHour: settings.KLAVIYO_SMS_LATEST_HOUR,
  };
  return due
    .map((campaign) => ({
      campaign_id: campaign.id,
      campaign: campaign.name,
      channel: campaign.channel,
      send_at: campaign.sendAt,
      hours_to_send: campaign.sendAt === null ? null : Math.round(((Date.parse(campaign.sendAt) - now.getTime()) / HOUR_MS) * 10) / 10,
      issues: checkCampaign(campaign, stock, options),
    }))
    .filter((held) => held.issues.length > 0);
}

/** The #mktg-bot post: one block per campaign, its issues below it. */
export function sendGuardMessage(held: readonly HeldCampaign[]): string {
  const lines: string[] = [];
  for (const campaign of held) {
    lines.push(`**${campaign.campaign}** (${campaign.channel}, sends ${campaign.send_at ?? '—'}, in ${campaign.hours_to_send ?? '?'} h)`);
    for (const issue of campaign.issues) lines.push(`• ${issue.blocking ? '⛔' : '⚠️'} ${issue.rule}: ${issue.detail}`);
  }
  lines.push('', 'Approve fix_or_unschedule_campaign to send a campaign back to draft until it is fixed.');
  return lines.join('\n');
}

/** What a run did. */
export interface SendGuardResult {
  held: HeldCampaign[];
  approvals: Array<{ campaign_id: string; approval_id: string; created: boolean }>;
  signals: number;
}

/**
 * Run the send guard once: QA every campaign sending in the next day, post the held ones when the
 * set changed, ask `fix_or_unschedule_campaign` per held campaign (keyed by the campaign, its
 * send time and its issues, so a rerun on the same input asks nothing new), and raise
 * `klaviyo_issue` send_blocked when a blocking issue is close to the send.
 */
export async function runSendGuard(
  context: BotContext & JobRunInfo,
  settings = sendGuardSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; result: SendGuardResult }> {
  const held = await findHeldCampaigns(context.connectors, settings, now);
  const outcome = await reportFindings(context, {
    // The fingerprint leaves out hours_to_send: the same campaign with the same issues is the same finding all day.
    findings: held.map(({ hours_to_send: _hours, ...finding }) => finding),
    noun: 'held campaign',
    message: () => ({
      title: `Klaviyo send guard: ${held.length} scheduled campaign${held.length === 1 ? '' : 's'} to fix before sending`,
      text: sendGuardMessage(held),
      kind: 'note',
    }),
    nothingLine: `Every email and SMS scheduled in the next ${settings.KLAVIYO_SEND_GUARD_WINDOW_HOURS} h passed QA.`,
  });
  const approvals: SendGuardResult['approvals'] = [];
  let signals = 0;
  for (const campaign of held) {
    const draft: FixOrUnscheduleDraft = {
      campaign_id: campaign.campaign_id,
      campaign: campaign.campaign,
      channel: campaign.channel,
      send_at: campaign.send_at,
      issues: campaign.issues,
      note: 'On approval mktgbot unschedules the campaign (back to draft); fix the listed issues in Klaviyo and schedule it again.',
    };
    const { approval, created } = await context.approvals.request({
      action: fixOrUnscheduleCampaign,
      title: `Hold ${campaign.channel === 'sms' ? 'SMS' : 'email'} "${campaign.campaign}": ${campaign.issues.map((issue) => issue.rule).join(', ')}`,
      draft,
      requestKey: `klaviyo-send-guard:${campaign.campaign_id}:${campaign.send_at ?? ''}:${fingerprintOf(campaign.issues)}`,
    });
    approvals.push({ campaign_id: campaign.campaign_id, approval_id: approval.id, created });
    const blocking = campaign.issues.filter((issue) => issue.blocking);
    if (blocking.length > 0 && campaign.hours_to_send !== null && campaign.hours_to_send < settings.KLAVIYO_SEND_BLOCK_HOURS) {
      const emitted = await context.signals.emit(
        'klaviyo_issue',
        {
          kind: 'send_blocked',
          object_id: campaign.campaign_id,
          name: campaign.campaign,
          metric: blocking.map((issue) => issue.rule).join(','),
          value: `${campaign.hours_to_send} h to send`,
          benchmark: null,
          detail: blocking.map((issue) => issue.detail).join('; '),
        },
        { severity: 'warning', dedupeKey: `send_blocked:${campaign.campaign_id}:${campaign.send_at ?? ''}`, dedupeWindowMs: 24 * HOUR_MS },
      );
      if (!emitted.deduplicated) signals += 1;
    }
  }
  context.log.info({ held: held.length, approvals, signals }, `klaviyo send guard: ${held.length} campaign(s) held`);
  return { outcome, result: { held, approvals, signals } };
}

/** mktgbot's klaviyo-send-guard: daily 14:00 (fleet time zone), pre-send QA for the next 24 hours. */
export const klaviyoSendGuard = defineJob({
  id: 'klaviyo-send-guard',
  schedule: '0 14 * * *',
  description: 'Pre-send QA of every email and SMS scheduled in the next 24 h → fix_or_unschedule_campaign; klaviyo_issue send_blocked',
  timeoutMs: 120_000,
  // A daily check before the evening sends: a missed run catches up once.
  missed: 'once',
  settings: sendGuardSettings,
  async run(context) {
    const { outcome, result } = await runSendGuard(context, context.config);
    const fresh = result.approvals.filter((approval) => approval.created).length;
    const asked = result.approvals.length === 0 ? '' : `; fix_or_unschedule_campaign asked for ${fresh} (${result.approvals.length - fresh} already asked)`;
    return jobOutcome(`${outcome.outcome}${asked}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvals: result.approvals, signals: result.signals },
    });
  },
});
