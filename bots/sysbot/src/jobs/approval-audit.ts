import { defineJob, envInteger, envSettings, reportFindings } from '@jbot/core';
import type { BotContext, JobRunInfo, SettingsOf } from '@jbot/core';

/** approval-audit's thresholds (catalogue default: approved more than 10 minutes and not executing). */
export const approvalAuditSettings = envSettings({
  APPROVAL_AUDIT_APPROVED_GRACE_MINUTES: envInteger(10, 1, 1440),
  // How far back executed approvals and ledger effects are checked (open problems are checked at any age).
  APPROVAL_AUDIT_LOOKBACK_DAYS: envInteger(7, 1, 90),
});

/** The parsed settings. */
export type ApprovalAuditConfig = SettingsOf<typeof approvalAuditSettings>;

/** One approval (or effect) that did not do what it said exactly once. */
export interface ApprovalIssue {
  [column: string]: unknown;
  kind: 'stuck' | 'failed' | 'ledger_mismatch' | 'unauthorised';
  approval_id: string | null;
  bot: string;
  action: string | null;
  title: string | null;
  status: string;
  since: string | null;
  effects: number;
  effect_key: string | null;
  ledger: string | null;
  detail: string;
}

const DAY_MS = 86_400_000;

/** One #sys-bot line for an issue. */
export function approvalIssueLine(issue: ApprovalIssue): string {
  const which = issue.approval_id === null ? `effect ${issue.effect_key ?? '?'}` : `${issue.bot} ${issue.action ?? '?'} ${issue.approval_id.slice(0, 8)}`;
  const title = issue.title === null ? '' : ` "${issue.title}"`;
  return `${issue.kind === 'unauthorised' ? '🔴 ' : ''}${issue.kind}: ${which}${title} — ${issue.detail}`;
}

const issueKey = (issue: ApprovalIssue) => `${issue.kind} ${issue.approval_id ?? issue.effect_key ?? ''}`;

/** Run the audit once: read the issues, signal each (once a day while it lasts), post on change. */
export async function runApprovalAudit(context: BotContext & JobRunInfo, config: ApprovalAuditConfig) {
  const now = context.scheduledFor;
  const rows = await context.db.rpc<ApprovalIssue>('approval_audit', {
    p_since: new Date(now.getTime() - config.APPROVAL_AUDIT_LOOKBACK_DAYS * DAY_MS).toISOString(),
    p_now: now.toISOString(),
    p_approved_grace_seconds: config.APPROVAL_AUDIT_APPROVED_GRACE_MINUTES * 60,
  });
  // A stable order, so the same set has the same fingerprint.
  const issues = [...rows].sort((left, right) => issueKey(left).localeCompare(issueKey(right)));
  for (const issue of issues) {
    await context.signals.emit(
      'approval_execution_issue',
      {
        approval_id: issue.approval_id,
        bot: issue.bot,
        action: issue.action,
        kind: issue.kind,
        title: issue.title,
        status: issue.status,
        detail: issue.detail,
        effect_key: issue.effect_key,
        ledger: issue.ledger,
      },
      // Severity by rule: an effect no decision allowed is critical (it reaches the operator at once).
      {
        severity: issue.kind === 'unauthorised' ? 'critical' : 'alert',
        dedupeKey: `approval_execution_issue:${issue.kind}:${issue.approval_id ?? issue.effect_key ?? '?'}`,
        dedupeWindowMs: DAY_MS,
      },
    );
  }
  const outcome = await reportFindings(context, {
    // The set, not the growing ages: a stuck approval is posted once, not every hour.
    findings: issues.map((issue) => [issue.kind, issue.approval_id, issue.effect_key]),
    noun: 'approval issue',
    message: () => ({
      kind: 'report',
      title: `Approval audit: ${issues.length} approval${issues.length === 1 ? '' : 's'} not done exactly once`,
      text: issues.map(approvalIssueLine).join('\n'),
      severity: issues.some((issue) => issue.kind === 'unauthorised') ? 'critical' : 'alert',
    }),
    nothingLine: `Every approval of the last ${config.APPROVAL_AUDIT_LOOKBACK_DAYS} days did what it said, once.`,
  });
  return { ...outcome, detail: { ...outcome.detail, issues: issues.map((issue) => `${issue.kind} ${issue.approval_id ?? issue.effect_key}`) } };
}

/** sysbot's approval-audit: hourly at :20, every approval did what it said, exactly once. */
export const approvalAudit = defineJob({
  id: 'approval-audit',
  schedule: '20 * * * *',
  description: 'Approvals stuck, failed, with a ledger that disagrees, or effects without an approval → approval_execution_issue',
  timeoutMs: 60_000,
  // Hourly: a missed tick is covered by the next one, which reads the same state.
  overlap: 'skip',
  missed: 'skip',
  settings: approvalAuditSettings,
  run: (context) => runApprovalAudit(context, context.config),
});
