import { defineJob, envInteger, envSettings, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import { listCollaborations } from '../brain/creator-book.js';

const DAY_MS = 86_400_000;

/** The job's settings: ROI is judged once a post has been live this long (catalogue: 30 days). */
export const creatorRoiSettings = envSettings({ STUDIO_ROI_JUDGE_AFTER_DAYS: envInteger(30, 1, 365) });

/** One creator on the leaderboard. */
export interface CreatorRoiRow {
  collab_id: string;
  creator: string;
  brand: string;
  fee: number;
  revenue: number;
  new_customers: number;
  sessions: number;
  /** fee ÷ attributed new customers (null with none). */
  cpa: number | null;
  /** attributed revenue ÷ fee. */
  roi: number | null;
  engagement_rate: number | null;
  days_live: number;
  verdict: 'renew_whitelist' | 'do_not_renew' | 'keep_watching';
}

/**
 * Every posted collaboration with its attribution: CPA = fee ÷ new customers, ROI = revenue ÷
 * fee. After 30 days live, ROI < 1 → don't renew; top decile on CPA (lowest) with engagement at
 * or above the median of the board → renew / whitelist candidate.
 */
export async function creatorLeaderboard(context: Pick<BotContext, 'db' | 'connectors'>, now: Date, judgeAfterDays: number): Promise<CreatorRoiRow[]> {
  const posted = (await listCollaborations(context.db)).filter((collab) => collab.postedAt !== null);
  if (posted.length === 0) return [];
  const attribution = await context.connectors.creators.listAttribution();
  const profiles = await context.connectors.creators.lookupCreators(posted.map((collab) => collab.creator));
  const rows = posted.map((collab) => {
    const attributed = attribution.find((row) => row.collabId === collab.collabId);
    const profile = profiles.find((candidate) => candidate.username === collab.creator);
    const engagement =
      profile === undefined || profile.followersCount === 0 || profile.media.length === 0
        ? null
        : profile.media.reduce((sum, media) => sum + media.likeCount + media.commentsCount, 0) / profile.media.length / profile.followersCount;
    const newCustomers = attributed?.newCustomers ?? 0;
    const revenue = attributed?.revenueUsd ?? 0;
    return {
      collab_id: collab.collabId,
      creator: collab.creator,
      brand: collab.brand,
      fee: collab.feeUsd,
      revenue,
      new_customers: newCustomers,
      sessions: attributed?.utmSessions ?? 0,
      cpa: newCustomers === 0 ? null : Math.round((collab.feeUsd / newCustomers) * 100) / 100,
      roi: collab.feeUsd === 0 ? null : Math.round((revenue / collab.feeUsd) * 100) / 100,
      engagement_rate: engagement === null ? null : Math.round(engagement * 10000) / 10000,
      days_live: Math.floor((now.getTime() - Date.parse(collab.postedAt ?? '')) / DAY_MS),
      verdict: 'keep_watching' as CreatorRoiRow['verdict'],
    };
  });
  const cpas = rows.flatMap((row) => (row.cpa === null ? [] : [row.cpa])).sort((left, right) => left - right);
  const decileCut = cpas[Math.max(0, Math.ceil(cpas.length * 0.1) - 1)] ?? 0;
  const engagements = rows.flatMap((row) => (row.engagement_rate === null ? [] : [row.engagement_rate])).sort((left, right) => left - right);
  const medianEngagement = engagements[Math.floor(engagements.length / 2)] ?? 0;
  for (const row of rows) {
    if (row.days_live >= judgeAfterDays && row.roi !== null && row.roi < 1) row.verdict = 'do_not_renew';
    else if (row.cpa !== null && row.cpa <= decileCut && (row.engagement_rate ?? 0) >= medianEngagement) row.verdict = 'renew_whitelist';
  }
  return rows.sort((left, right) => (right.roi ?? -1) - (left.roi ?? -1) || left.creator.localeCompare(right.creator));
}

const VERDICT = { renew_whitelist: '⭐ renew / whitelist', do_not_renew: '✖ do not renew', keep_watching: '' } as const;

/** Run the leaderboard once: post on change and a digest line (bot_note, kind creator_roi). */
export async function runCreatorRoi(context: BotContext & JobRunInfo, settings = creatorRoiSettings.load({}), now = new Date()) {
  const rows = await creatorLeaderboard(context, now, settings.STUDIO_ROI_JUDGE_AFTER_DAYS);
  // Verdicts and attribution, not the day count: an unchanged board is not reposted.
  const stable = rows.map(({ days_live: _days, ...row }) => row);
  const outcome = await reportFindings(context, {
    findings: stable,
    noun: 'creator',
    message: () => ({
      title: `Creator ROI: ${rows.length} creators, ${rows.filter((row) => row.verdict === 'do_not_renew').length} not worth renewing`,
      text: rows
        .map(
          (row, index) =>
            `${index + 1}. @${row.creator} (${row.brand}): $${row.revenue.toFixed(0)} on $${row.fee} fee — ROI ${row.roi?.toFixed(2) ?? 'n/a'}, CPA ${row.cpa === null ? 'n/a' : `$${row.cpa.toFixed(2)}`}, ${row.new_customers} new customers, ${row.sessions} sessions, ${row.days_live} d live ${VERDICT[row.verdict]}`,
        )
        .join('\n'),
      kind: 'note',
    }),
    nothingLine: 'No creator post is live yet, so there is nothing to attribute.',
  });
  if (rows.length > 0 && outcome.detail?.posted === true) {
    const renew = rows.filter((row) => row.verdict === 'renew_whitelist').map((row) => row.creator);
    const drop = rows.filter((row) => row.verdict === 'do_not_renew').map((row) => row.creator);
    await context.signals.emit(
      'bot_note',
      {
        text: `Creator ROI: ${renew.length} to renew/whitelist${renew.length === 0 ? '' : ` (@${renew.join(', @')})`}, ${drop.length} not worth renewing${drop.length === 0 ? '' : ` (@${drop.join(', @')})`}`,
        detail: { kind: 'creator_roi', creators: stable },
      },
      { dedupeKey: `creator_roi:${outcome.fingerprint ?? ''}`, dedupeWindowMs: 86_400_000 },
    );
  }
  return { outcome, rows };
}

/** studiobot's creator-roi: daily 11:00 (fleet time zone). */
export const creatorRoi = defineJob({
  id: 'creator-roi',
  schedule: '0 11 * * *',
  description: 'What each creator drove (codes, UTM sessions, revenue) vs their fee: ROI < 1 after 30 days → do not renew; top CPA decile → renew / whitelist',
  timeoutMs: 120_000,
  missed: 'once',
  settings: creatorRoiSettings,
  async run(context) {
    const { outcome } = await runCreatorRoi(context, context.config);
    return outcome;
  },
});
