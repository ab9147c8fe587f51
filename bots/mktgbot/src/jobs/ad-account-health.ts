import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import type { AdAccountStatus, AdPlatform, AdReview } from '@jbot/connectors';
import { raiseSpendCap } from '../paid-media/raise-spend-cap.js';
import { usd } from '../paid-media/local-day.js';

const DAY_MS = 86_400_000;

/** The job's settings, with the catalogue's threshold as default. */
export const adAccountHealthSettings = envSettings({
  /** amount_spent ÷ spend_cap at or above this share is nearly capped (catalogue: 90%). */
  PAID_SPEND_CAP_ALERT_PCT: envInteger(90, 1, 100),
  /** The proposed cap leaves this much headroom over what is spent (share of the current cap). */
  PAID_SPEND_CAP_RAISE_PCT: envInteger(25, 1, 500),
});

type AdAccountHealthSettings = ReturnType<typeof adAccountHealthSettings.load>;

/** One platform-side problem that stops ads. */
export interface AccountProblem {
  platform: AdPlatform;
  account_id: string;
  account: string;
  kind: 'disapproved' | 'payment' | 'restricted' | 'spend_cap';
  ad_ids: string[];
  detail: string;
  /** For spend_cap: the cap, the spend and the proposed cap. */
  cap?: { current: number; spent: number; proposed: number };
}

/**
 * The catalogue's rules: a disapproved (or flagged) ad in an ad set that would deliver; an account
 * whose status is not active (payment failure separately); amount spent ≥ 90% of the spend cap.
 * One problem per account and kind. Pure.
 */
export function findAccountProblems(accounts: readonly AdAccountStatus[], reviews: readonly AdReview[], settings: AdAccountHealthSettings): AccountProblem[] {
  const problems: AccountProblem[] = [];
  for (const account of accounts) {
    const base = { platform: account.platform, account_id: account.accountId, account: account.name };
    if (account.paymentFailed || account.status === 'unsettled')
      problems.push({
        ...base,
        kind: 'payment',
        ad_ids: [],
        detail: `payment failed (account ${account.rawStatus}): every campaign stops until the balance is settled`,
      });
    else if (account.status !== 'active')
      problems.push({
        ...base,
        kind: 'restricted',
        ad_ids: [],
        detail: `account ${account.rawStatus}${account.disableReason === null ? '' : ` (${account.disableReason})`}: ads are not delivering`,
      });
    if (account.spendCap !== null && account.amountSpent !== null && account.amountSpent / account.spendCap >= settings.PAID_SPEND_CAP_ALERT_PCT / 100) {
      const proposed = Math.ceil((account.amountSpent + (account.spendCap * settings.PAID_SPEND_CAP_RAISE_PCT) / 100) / 1000) * 1000;
      problems.push({
        ...base,
        kind: 'spend_cap',
        ad_ids: [],
        detail: `${Math.round((account.amountSpent / account.spendCap) * 100)}% of the ${usd(account.spendCap)} spend cap used (${usd(account.amountSpent)}): delivery stops at the cap`,
        cap: { current: account.spendCap, spent: account.amountSpent, proposed },
      });
    }
    const rejected = reviews.filter(
      (review) => review.platform === account.platform && review.adSetActive && /DISAPPROVED|WITH_ISSUES/i.test(review.effectiveStatus),
    );
    if (rejected.length > 0)
      problems.push({
        ...base,
        kind: 'disapproved',
        ad_ids: rejected.map((review) => review.adId),
        detail: rejected
          .map(
            (review) =>
              `"${review.name}" ${review.effectiveStatus.toLowerCase().replace(/_/g, ' ')}${
                Object.keys(review.feedback).length === 0
                  ? ''
                  : ` — ${Object.entries(review.feedback)
                      .map(([policy, text]) => `${policy}: ${text}`)
                      .join('; ')}`
              }`,
          )
          .join(' · '),
      });
  }
  return problems;
}

/** Run once: every platform's account and ad review, the post on change, ad_account_issue per problem, raise_spend_cap for a cap nearly used. */
export async function runAdAccountHealth(
  context: BotContext & JobRunInfo,
  settings = adAccountHealthSettings.load({}),
  now = new Date(),
): Promise<{
  outcome: Awaited<ReturnType<typeof reportFindings>>;
  problems: AccountProblem[];
  approvals: Array<{ account_id: string; approval_id: string; created: boolean }>;
  signals: number;
}> {
  const { paidMedia } = context.connectors;
  const [accounts, reviews] = await Promise.all([paidMedia.accountStatus(), paidMedia.adReviews()]);
  const problems = findAccountProblems(accounts, reviews, settings);
  const outcome = await reportFindings(context, {
    findings: problems.map(({ cap: _cap, ...problem }) => ({ ...problem, detail: problem.kind === 'spend_cap' ? 'spend cap' : problem.detail })),
    noun: 'account issue',
    message: () => ({
      title: `Ad accounts: ${problems.length} issue${problems.length === 1 ? '' : 's'} stopping or about to stop ads`,
      text: problems
        .map(
          (problem) =>
            `• ${problem.kind === 'disapproved' ? '🚫' : problem.kind === 'spend_cap' ? '📈' : '⛔'} ${problem.platform} ${problem.account}: ${problem.detail}`,
        )
        .join('\n'),
      kind: 'note',
    }),
    nothingLine: `${accounts.length} ad accounts active, no disapproved ads in delivering ad sets, every spend cap under ${settings.PAID_SPEND_CAP_ALERT_PCT}%.`,
  });
  const day = now.toISOString().slice(0, 10);
  let signals = 0;
  const approvals: Array<{ account_id: string; approval_id: string; created: boolean }> = [];
  for (const problem of problems) {
    const emitted = await context.signals.emit(
      'ad_account_issue',
      { platform: problem.platform, account_id: problem.account_id, kind: problem.kind, ad_ids: problem.ad_ids, detail: problem.detail },
      { severity: 'alert', dedupeKey: `ad_account_issue:${problem.platform}:${problem.kind}:${fingerprintOf(problem.ad_ids)}:${day}`, dedupeWindowMs: DAY_MS },
    );
    if (!emitted.deduplicated) signals += 1;
    if (problem.cap === undefined) continue;
    const { approval, created } = await context.approvals.request({
      action: raiseSpendCap,
      title: `Raise the ${problem.platform} spend cap ${usd(problem.cap.current)} → ${usd(problem.cap.proposed)} (${Math.round((problem.cap.spent / problem.cap.current) * 100)}% used)`,
      draft: {
        platform: problem.platform,
        account_id: problem.account_id,
        account: problem.account,
        current_spend_cap: problem.cap.current,
        amount_spent: problem.cap.spent,
        new_spend_cap: problem.cap.proposed,
        reason: problem.detail,
      },
      signalId: emitted.id,
      // One proposal per account and cap: after a raise, a new cap nearly used is a new question.
      requestKey: `ad-account-health:spend-cap:${problem.platform}:${problem.account_id}:${problem.cap.current}`,
    });
    approvals.push({ account_id: problem.account_id, approval_id: approval.id, created });
  }
  context.log.info({ accounts: accounts.length, problems: problems.length, signals }, 'ad account health');
  return { outcome, problems, approvals, signals };
}

/** mktgbot's ad-account-health: every 2 hours at :20 (fleet time zone). */
export const adAccountHealth = defineJob({
  id: 'ad-account-health',
  schedule: '20 */2 * * *',
  description:
    'Platform-side problems that stop ads: disapproved ads in delivering ad sets, payment failures, restrictions, spend caps ≥ 90% used → ad_account_issue (alert) → adsbot, jbot; raise_spend_cap',
  timeoutMs: 120_000,
  // A two-hourly watch: a missed check is superseded by the next.
  missed: 'skip',
  overlap: 'skip',
  settings: adAccountHealthSettings,
  async run(context) {
    const { outcome, approvals, signals } = await runAdAccountHealth(context, context.config);
    const fresh = approvals.filter((approval) => approval.created).length;
    return jobOutcome(`${outcome.outcome}${approvals.length === 0 ? '' : `; raise_spend_cap asked for ${fresh} (${approvals.length - fresh} already asked)`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvals, signals },
    });
  },
});
