import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { sendCreatorReminders, type CreatorRemindersDraft } from '../actions/send-creator-reminders.js';
import { listCollaborations, recordCollaborationPost, type Collaboration } from '../brain/creator-book.js';
import { brandOf } from '../brands.js';
import { daysBetween, localDay } from '../text-rules.js';

/** The job's settings (catalogue defaults): no post 21 days after delivery; setup checked 3 days before due; $1k fee → warning. */
export const creatorPipelineSettings = envSettings({
  STUDIO_POST_AFTER_DELIVERY_DAYS: envInteger(21, 1, 120),
  STUDIO_SETUP_CHECK_DAYS: envInteger(3, 0, 30),
  STUDIO_LATE_WARNING_FEE_USD: envInteger(1000, 0, 1_000_000),
  FLEET_TZ: timeZone('UTC'),
});

/** What is wrong with a collaboration. */
export type PipelineIssue = 'no_post_after_delivery' | 'past_due' | 'missing_contract' | 'missing_code' | 'missing_utm';

/** One collaboration that needs a nudge. */
export interface PipelineFinding {
  collab_id: string;
  creator: string;
  brand: string;
  fee: number;
  due_date: string | null;
  issues: PipelineIssue[];
  detail: string;
  late: boolean;
}

/**
 * Walk every active collaboration without a recorded post: first look for the post (a creator
 * post tagging the brand since the collaboration started is recorded in the brain), then apply
 * the rules — delivered ≥ 21 days ago and no post; due date passed; contract, code or UTM link
 * missing within 3 days of the due date.
 */
export async function findPipelineIssues(
  context: Pick<BotContext, 'db' | 'connectors'>,
  today: string,
  settings: { STUDIO_POST_AFTER_DELIVERY_DAYS: number; STUDIO_SETUP_CHECK_DAYS: number },
): Promise<{ findings: PipelineFinding[]; postsRecorded: number }> {
  const open = (await listCollaborations(context.db)).filter((collab) => collab.status === 'active' && collab.postedMediaId === null);
  if (open.length === 0) return { findings: [], postsRecorded: 0 };
  const since = new Date(Math.min(...open.map((collab) => Date.parse(collab.startedAt))));
  const posts = await context.connectors.creators.listCreatorPosts({ usernames: [...new Set(open.map((collab) => collab.creator))], since });
  let postsRecorded = 0;
  const stillOpen: Collaboration[] = [];
  for (const collab of open) {
    const tags = collab.requiredTags.length > 0 ? collab.requiredTags : [`@${brandOf(collab.brand).handle}`];
    const post = posts.find(
      (candidate) =>
        candidate.username === collab.creator &&
        Date.parse(candidate.timestamp) >= Date.parse(collab.startedAt) &&
        tags.some((tag) => candidate.caption.toLowerCase().includes(tag.toLowerCase())),
    );
    if (post !== undefined) {
      if (await recordCollaborationPost(context.db, { collabId: collab.collabId, mediaId: post.id, url: post.permalink ?? '', postedAt: post.timestamp }))
        postsRecorded += 1;
    } else stillOpen.push(collab);
  }
  const parcels = stillOpen.flatMap((collab) => (collab.trackingCode === null ? [] : [{ trackingCode: collab.trackingCode, carrier: collab.carrier }]));
  const trackers = parcels.length === 0 ? [] : await context.connectors.seeding.listTrackers(parcels);
  const findings: PipelineFinding[] = [];
  for (const collab of stillOpen) {
    const tracker = trackers.find((candidate) => candidate.trackingCode === collab.trackingCode);
    const issues: PipelineIssue[] = [];
    const details: string[] = [];
    const deliveredDay = tracker?.deliveredAt === null || tracker?.deliveredAt === undefined ? null : tracker.deliveredAt.slice(0, 10);
    if (deliveredDay !== null && daysBetween(deliveredDay, today) >= settings.STUDIO_POST_AFTER_DELIVERY_DAYS) {
      issues.push('no_post_after_delivery');
      details.push(`delivered ${daysBetween(deliveredDay, today)} days ago, no post yet`);
    }
    if (collab.postDue !== null && collab.postDue < today) {
      issues.push('past_due');
      details.push(`post was due ${collab.postDue} (${daysBetween(collab.postDue, today)} days ago)`);
    }
    if (collab.postDue !== null && collab.postDue >= today && daysBetween(today, collab.postDue) <= settings.STUDIO_SETUP_CHECK_DAYS) {
      const missing: Array<[PipelineIssue, boolean, string]> = [
        ['missing_contract', !collab.contractSigned, 'contract not signed'],
        ['missing_code', collab.discountCode === null, 'no discount code'],
        ['missing_utm', collab.utmLink === null, 'no UTM link'],
      ];
      for (const [issue, isMissing, text] of missing) {
        if (!isMissing) continue;
        issues.push(issue);
        details.push(`${text}, post due ${collab.postDue}`);
      }
    }
    if (issues.length === 0) continue;
    findings.push({
      collab_id: collab.collabId,
      creator: collab.creator,
      brand: collab.brand,
      fee: collab.feeUsd,
      due_date: collab.postDue,
      issues,
      detail: details.join('; '),
      late: issues.includes('no_post_after_delivery') || issues.includes('past_due'),
    });
  }
  return { findings, postsRecorded };
}

function reminderText(finding: PipelineFinding): string {
  const brand = brandOf(finding.brand);
  if (!finding.late) {
    const needs = finding.issues.map(
      (issue) =>
        ({ missing_contract: 'sign the contract we sent', missing_code: 'get your discount code from us', missing_utm: 'get your tracking link from us' })[
          issue as 'missing_contract'
        ],
    );
    return `Hi @${finding.creator}! Your ${brand.name} post is due ${finding.due_date ?? 'soon'}. Before it goes live we need you to ${needs.join(' and ')}. Reply here if anything is unclear. Thank you!`;
  }
  return `Hi @${finding.creator}! Just checking in on your ${brand.name} post${finding.due_date === null ? '' : ` (due ${finding.due_date})`}. Did the package arrive in good shape? Let us know when it will go live or if you need anything from us. Thank you!`;
}

/** The reminders draft, one message per collaboration. */
export function remindersDraft(findings: readonly PipelineFinding[]): CreatorRemindersDraft {
  return { messages: findings.map((finding) => ({ recipient: finding.creator, collab_id: finding.collab_id, body: reminderText(finding) })) };
}

/** Run the pipeline check once. */
export async function runCreatorPipeline(context: BotContext & JobRunInfo, settings = creatorPipelineSettings.load({}), now = new Date()) {
  const { findings, postsRecorded } = await findPipelineIssues(context, localDay(now, settings.FLEET_TZ), settings);
  // The fingerprint is of who is behind and why, not of the day counts in the text.
  const stable = findings.map((finding) => ({ collab_id: finding.collab_id, issues: finding.issues, due_date: finding.due_date, fee: finding.fee }));
  const items = findings;
  const outcome = await reportFindings(context, {
    findings: stable,
    noun: 'late or unready collaboration',
    message: () => ({
      title: `Creator pipeline: ${items.filter((item) => item.late).length} late, ${items.filter((item) => !item.late).length} not ready`,
      text: [
        ...items.map((item) => `• @${item.creator} (${item.collab_id}, ${item.brand}, $${item.fee}): ${item.detail}`),
        '',
        'Approve to send each creator the reminder drafted below.',
      ].join('\n'),
      kind: 'note',
    }),
    nothingLine: 'Every collaboration is on schedule: posts live or not yet due, contracts, codes and links in place.',
  });
  let firstSignal: string | undefined;
  for (const finding of findings.filter((item) => item.late)) {
    const emitted = await context.signals.emit(
      'creator_deliverable_late',
      { creator: finding.creator, collab_id: finding.collab_id, due_date: finding.due_date, fee: finding.fee, reason: finding.detail },
      {
        severity: finding.fee >= settings.STUDIO_LATE_WARNING_FEE_USD ? 'warning' : 'info',
        dedupeKey: `creator_deliverable_late:${finding.collab_id}:${finding.issues.join(',')}`,
        dedupeWindowMs: 86_400_000,
      },
    );
    firstSignal ??= emitted.id;
  }
  let approvalId: string | null = null;
  if (findings.length > 0) {
    const { approval } = await context.approvals.request({
      action: sendCreatorReminders,
      title: `Send ${findings.length} creator reminder${findings.length === 1 ? '' : 's'}`,
      draft: remindersDraft(findings),
      requestKey: `creator-pipeline:${fingerprintOf(stable)}`,
      ...(firstSignal === undefined ? {} : { signalId: firstSignal }),
    });
    approvalId = approval.id;
  }
  return { outcome, findings, postsRecorded, approvalId };
}

/** studiobot's creator-pipeline: weekdays 09:30 (fleet time zone). */
export const creatorPipeline = defineJob({
  id: 'creator-pipeline',
  schedule: '30 9 * * 1-5',
  description: 'Creator collaborations: no post 21 days after delivery, past due, contract/code/UTM missing 3 days before due → send_creator_reminders',
  timeoutMs: 120_000,
  missed: 'once',
  settings: creatorPipelineSettings,
  async run(context) {
    const { outcome, approvalId, postsRecorded } = await runCreatorPipeline(context, context.config);
    return jobOutcome(
      `${outcome.outcome}${postsRecorded === 0 ? '' : `; ${postsRecorded} new post${postsRecorded === 1 ? '' : 's'} recorded`}${approvalId === null ? '' : '; send_creator_reminders asked'}`,
      {
        ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
        detail: { ...outcome.detail, approvalId, postsRecorded },
      },
    );
  },
});
