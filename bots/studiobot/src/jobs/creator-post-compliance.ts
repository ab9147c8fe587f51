import { defineJob, envList, envSettings, fingerprintOf, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import { z } from 'zod';
import { sendCreatorFixRequests, type CreatorFixRequestsDraft } from '../actions/send-creator-fix-requests.js';
import { listCollaborations } from '../brain/creator-book.js';
import { brandOf } from '../brands.js';
import { codesIn, hasDisclosure, termsIn } from '../text-rules.js';

/** The claims lexicon (shared with adsbot's creative-compliance): efficacy and health claims a creator may not make for us. */
export const DEFAULT_CLAIMS = [
  'cures',
  'cure',
  'treats acne',
  'clears acne',
  'fda approved',
  'clinically proven',
  'heals',
  'miracle',
  'anti-aging guaranteed',
  'weight loss',
];

/** The job's settings: the claims lexicon (STUDIO_CLAIMS_LEXICON, comma-separated). */
export const creatorPostComplianceSettings = envSettings({
  STUDIO_CLAIMS_LEXICON: envList.transform((terms) => (terms.length === 0 ? DEFAULT_CLAIMS : terms)).pipe(z.array(z.string().min(2)).min(1)),
});

/** One live sponsored post that breaks a rule. */
export interface ComplianceFinding {
  collab_id: string;
  creator: string;
  brand: string;
  post_url: string;
  media_id: string;
  issues: string[];
  missing_disclosure: boolean;
}

/**
 * Every live post of a paid collaboration: caption without #ad / #sponsored / "paid partnership";
 * a discount code named that is not the creator's; a claim from the lexicon; no @brand tag.
 */
export async function findComplianceIssues(context: Pick<BotContext, 'db' | 'connectors'>, claims: readonly string[]): Promise<ComplianceFinding[]> {
  const posted = (await listCollaborations(context.db)).filter((collab) => collab.postedMediaId !== null && collab.status !== 'cancelled');
  if (posted.length === 0) return [];
  const since = new Date(Math.min(...posted.map((collab) => Date.parse(collab.startedAt))));
  const posts = await context.connectors.creators.listCreatorPosts({ usernames: [...new Set(posted.map((collab) => collab.creator))], since });
  const findings: ComplianceFinding[] = [];
  for (const collab of posted) {
    const post = posts.find((candidate) => candidate.id === collab.postedMediaId);
    if (post === undefined) continue; // taken down: nothing live to check
    const issues: string[] = [];
    const paid = collab.feeUsd > 0;
    const missingDisclosure = paid && !hasDisclosure(post.caption);
    if (missingDisclosure) issues.push('no #ad / #sponsored / paid-partnership disclosure on a paid post');
    const wrongCodes = codesIn(post.caption).filter((code) => code !== collab.discountCode);
    if (wrongCodes.length > 0) issues.push(`code ${wrongCodes.join(', ')} is not theirs (${collab.discountCode ?? 'none assigned'})`);
    const claimed = termsIn(post.caption, claims);
    if (claimed.length > 0) issues.push(`prohibited claim: "${claimed.join('", "')}"`);
    const tags = collab.requiredTags.length > 0 ? collab.requiredTags : [`@${brandOf(collab.brand).handle}`];
    const missingTags = tags.filter((tag) => !post.caption.toLowerCase().includes(tag.toLowerCase()));
    if (missingTags.length > 0) issues.push(`missing ${missingTags.join(', ')}`);
    if (issues.length === 0) continue;
    findings.push({
      collab_id: collab.collabId,
      creator: collab.creator,
      brand: collab.brand,
      post_url: post.permalink ?? collab.postedUrl ?? post.id,
      media_id: post.id,
      issues,
      missing_disclosure: missingDisclosure,
    });
  }
  return findings;
}

function fixText(finding: ComplianceFinding, code: string | null): string {
  const asks = finding.issues.map((issue) =>
    issue.startsWith('no #ad')
      ? 'add #ad at the start of the caption (the FTC requires it on paid posts)'
      : issue.startsWith('code')
        ? `change the code to ${code ?? 'the one we sent you'}`
        : issue.startsWith('prohibited')
          ? `remove the claim (${issue.slice(18)})`
          : `tag ${issue.slice(8)}`,
  );
  return `Hi @${finding.creator}! Thank you for the ${brandOf(finding.brand).name} post (${finding.post_url}). Could you edit the caption to ${asks.join('; ')}? Editing keeps your likes and comments. Thank you!`;
}

/** Run the compliance check once: post on change, a warning per missing disclosure, one fix-request approval. */
export async function runCreatorPostCompliance(context: BotContext & JobRunInfo, settings = creatorPostComplianceSettings.load({})) {
  const findings = await findComplianceIssues(context, settings.STUDIO_CLAIMS_LEXICON);
  const outcome = await reportFindings(context, {
    findings,
    noun: 'non-compliant creator post',
    message: (items) => ({
      title: `Creator posts: ${items.length} need fixing`,
      text: [
        ...items.map((item) => `• @${item.creator} (${item.collab_id}) ${item.post_url}: ${item.issues.join('; ')}`),
        '',
        'Approve to send each creator the fix request drafted below.',
      ].join('\n'),
      kind: 'note',
    }),
    nothingLine: 'Every live sponsored post carries its disclosure, the right code and the brand tag, with no prohibited claims.',
  });
  let firstSignal: string | undefined;
  for (const finding of findings.filter((item) => item.missing_disclosure)) {
    const emitted = await context.signals.emit(
      'creator_compliance_issue',
      {
        creator: finding.creator,
        post_url: finding.post_url,
        issue: 'paid post without #ad / #sponsored / paid-partnership disclosure',
        collab_id: finding.collab_id,
      },
      { severity: 'warning', dedupeKey: `creator_compliance_issue:${finding.media_id}:disclosure`, dedupeWindowMs: 86_400_000 },
    );
    firstSignal ??= emitted.id;
  }
  let approvalId: string | null = null;
  if (findings.length > 0) {
    const codes = new Map((await listCollaborations(context.db)).map((collab) => [collab.collabId, collab.discountCode]));
    const draft: CreatorFixRequestsDraft = {
      messages: findings.map((finding) => ({
        recipient: finding.creator,
        collab_id: finding.collab_id,
        post_url: finding.post_url,
        issues: finding.issues,
        body: fixText(finding, codes.get(finding.collab_id) ?? null),
      })),
    };
    const { approval } = await context.approvals.request({
      action: sendCreatorFixRequests,
      title: `Ask ${findings.length} creator${findings.length === 1 ? '' : 's'} to fix live sponsored posts`,
      draft,
      requestKey: `creator-post-compliance:${fingerprintOf(findings)}`,
      ...(firstSignal === undefined ? {} : { signalId: firstSignal }),
    });
    approvalId = approval.id;
  }
  return { outcome, findings, approvalId };
}

/** studiobot's creator-post-compliance: daily 12:00 (fleet time zone). */
export const creatorPostCompliance = defineJob({
  id: 'creator-post-compliance',
  schedule: '0 12 * * *',
  description: 'Live sponsored creator posts: FTC disclosure, right code, brand tag, no prohibited claims → send_creator_fix_requests',
  timeoutMs: 120_000,
  missed: 'once',
  settings: creatorPostComplianceSettings,
  async run(context) {
    const { outcome, approvalId } = await runCreatorPostCompliance(context, context.config);
    return jobOutcome(`${outcome.outcome}${approvalId === null ? '' : '; send_creator_fix_requests asked'}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvalId },
    });
  },
});
