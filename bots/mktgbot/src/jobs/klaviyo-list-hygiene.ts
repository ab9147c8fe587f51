import { z } from 'zod';
import { defineJob, envInteger, envSettings, jobOutcome, NOTHING_TO_REPORT, type BotContext, type JobRunInfo } from '@jbot/core';
import type { KlaviyoSegmentProfile } from '@jbot/connectors';
import { suppressUnengagedProfiles, type SuppressUnengagedDraft } from '../klaviyo/suppress-unengaged-profiles.js';

const DAY_MS = 86_400_000;

/** The job's settings, with the catalogue's values as defaults. */
export const listHygieneSettings = envSettings({
  /** The Klaviyo segment of profiles with no open or click in the window ("id:name"). */
  KLAVIYO_UNENGAGED_SEGMENT: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? 'SgUn180:Unengaged 180d' : value.trim()))
    .pipe(z.string().regex(/^[A-Za-z0-9_-]+:.+$/, 'must be <segment id>:<name>, e.g. SgUn180:Unengaged 180d')),
  /** No open or click for this many days… */
  KLAVIYO_UNENGAGED_DAYS: envInteger(180, 30, 1000),
  /** …and no order for this many… */
  KLAVIYO_NO_ORDER_DAYS: envInteger(365, 30, 2000),
  /** …and not in the sunset flow in the last this many days. */
  KLAVIYO_SUNSET_GRACE_DAYS: envInteger(30, 0, 365),
  /** Propose only when at least this many qualify (smaller sets are not worth a bulk job). */
  KLAVIYO_HYGIENE_MIN_PROFILES: envInteger(1000, 1, 10_000_000),
});

type ListHygieneSettings = ReturnType<typeof listHygieneSettings.load>;

/** What the segment holds, by rule. */
export interface HygieneVerdict {
  qualifying: KlaviyoSegmentProfile[];
  recentBuyers: KlaviyoSegmentProfile[];
  inSunsetFlow: KlaviyoSegmentProfile[];
  engagedRecently: KlaviyoSegmentProfile[];
}

/**
 * The catalogue's rule for each member: no open or click within the window, no order within the
 * order window, not entered into the sunset flow within the grace → qualifies for suppression;
 * otherwise kept, with the reason.
 */
export function judgeMembers(members: readonly KlaviyoSegmentProfile[], settings: ListHygieneSettings, now: Date): HygieneVerdict {
  const since = (days: number) => now.getTime() - days * DAY_MS;
  const verdict: HygieneVerdict = { qualifying: [], recentBuyers: [], inSunsetFlow: [], engagedRecently: [] };
  for (const member of members) {
    if (member.lastEngagedAt !== null && Date.parse(member.lastEngagedAt) >= since(settings.KLAVIYO_UNENGAGED_DAYS)) verdict.engagedRecently.push(member);
    else if (member.lastOrderAt !== null && Date.parse(member.lastOrderAt) >= since(settings.KLAVIYO_NO_ORDER_DAYS)) verdict.recentBuyers.push(member);
    else if (member.sunsetFlowAt !== null && Date.parse(member.sunsetFlowAt) >= since(settings.KLAVIYO_SUNSET_GRACE_DAYS)) verdict.inSunsetFlow.push(member);
    else verdict.qualifying.push(member);
  }
  return verdict;
}

/** Run the weekly pass: read the unengaged segment, judge every member, propose one suppression when enough qualify. */
export async function runListHygiene(
  context: BotContext & JobRunInfo,
  settings = listHygieneSettings.load({}),
  now = new Date(),
): Promise<{ outcome: string; verdict: HygieneVerdict; approval: { id: string; created: boolean } | null }> {
  const [segmentId = '', ...rest] = settings.KLAVIYO_UNENGAGED_SEGMENT.split(':');
  const segment = rest.join(':');
  const members = await context.connectors.klaviyo.segmentProfiles(segmentId);
  const verdict = judgeMembers(members, settings, now);
  const kept = [...verdict.recentBuyers, ...verdict.inSunsetFlow, ...verdict.engagedRecently];
  const count = (value: number) => value.toLocaleString('en-US');
  const summary = `${count(verdict.qualifying.length)} of ${count(members.length)} in "${segment}" qualify (kept: ${count(verdict.recentBuyers.length)} recent buyers, ${count(verdict.inSunsetFlow.length)} in the sunset flow, ${count(verdict.engagedRecently.length)} engaged since)`;
  if (verdict.qualifying.length < settings.KLAVIYO_HYGIENE_MIN_PROFILES) {
    if (context.manual)
      await context.channel.post({
        title: 'klaviyo-list-hygiene: nothing to report',
        text: `${summary}; below the ${count(settings.KLAVIYO_HYGIENE_MIN_PROFILES)} that make a suppression worth it.`,
        kind: 'note',
      });
    return { outcome: NOTHING_TO_REPORT, verdict, approval: null };
  }
  const draft: SuppressUnengagedDraft = {
    segment_id: segmentId,
    segment,
    qualifying: verdict.qualifying.length,
    exclude_profile_ids: kept.map((member) => member.id),
    kept: { recent_buyers: verdict.recentBuyers.length, in_sunset_flow: verdict.inSunsetFlow.length },
    note: 'On approval mktgbot starts Klaviyo bulk suppression for the qualifying members: they stop receiving email and stop counting as billed active profiles. Kept members are untouched.',
  };
  const { approval, created } = await context.approvals.request({
    action: suppressUnengagedProfiles,
    title: `Suppress ${count(verdict.qualifying.length)} unengaged Klaviyo profiles (no open/click ${settings.KLAVIYO_UNENGAGED_DAYS} d, no order ${settings.KLAVIYO_NO_ORDER_DAYS} d)`,
    draft,
    // Per week and segment: next Sunday's pass asks again with that week's count.
    requestKey: `klaviyo-list-hygiene:${segmentId}:${now.toISOString().slice(0, 10)}`,
  });
  if (created)
    await context.channel.post({
      title: `Klaviyo list hygiene: ${count(verdict.qualifying.length)} profiles to suppress`,
      text: `${summary}.\nApprove ${approval.id} to suppress them.`,
      kind: 'note',
    });
  context.log.info({ segment: segmentId, qualifying: verdict.qualifying.length, approvalId: approval.id, created }, 'klaviyo list hygiene');
  return { outcome: `${summary}; suppress_unengaged_profiles ${created ? 'asked' : 'already asked'}`, verdict, approval: { id: approval.id, created } };
}

/** mktgbot's klaviyo-list-hygiene: Sundays 19:00 (fleet time zone). */
export const klaviyoListHygiene = defineJob({
  id: 'klaviyo-list-hygiene',
  schedule: '0 19 * * 0',
  description: 'Sunday: profiles unengaged 180 days, no order in 365, not in the sunset flow → suppress_unengaged_profiles (≥ 1,000)',
  timeoutMs: 600_000,
  // A weekly pass: a missed Sunday catches up once.
  missed: 'once',
  settings: listHygieneSettings,
  async run(context) {
    const { outcome, verdict, approval } = await runListHygiene(context, context.config);
    return jobOutcome(outcome, {
      detail: {
        qualifying: verdict.qualifying.length,
        kept: verdict.recentBuyers.length + verdict.inSunsetFlow.length + verdict.engagedRecently.length,
        approval,
      },
    });
  },
});
