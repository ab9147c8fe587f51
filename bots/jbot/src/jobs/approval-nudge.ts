import {
  defineJob,
  envNumber,
  envSettings,
  fingerprintOf,
  jobOutcome,
  NOTHING_TO_REPORT,
  type BotContext,
  type JobRunInfo,
  type Settings,
  type SettingsOf,
} from '@jbot/core';
import type { JbotConfig } from '../jbot-config.js';
import { businessMsBetween, envBusinessHours } from '../business-hours.js';
import { approvalOffer } from '../offer-approval.js';
import { chatsFor, isQuietTime } from '../routing.js';

const HOUR_MS = 3_600_000;

/** The nudge's thresholds (catalogue defaults: expires within 2 h, pending 4 business hours, once per 2 h). */
export const approvalNudgeSettings = envSettings({
  APPROVAL_NUDGE_EXPIRING_HOURS: envNumber(2, 0),
  APPROVAL_NUDGE_PENDING_BUSINESS_HOURS: envNumber(4, 0),
  APPROVAL_NUDGE_REPEAT_HOURS: envNumber(2, 0),
  JBOT_BUSINESS_HOURS: envBusinessHours('08:00-18:00'),
});

type NudgeConfig = JbotConfig & SettingsOf<typeof approvalNudgeSettings>;

/** A pending approval as approvals_to_nudge returns it. */
interface NudgeCandidate {
  [column: string]: unknown;
  approval_id: string;
  bot: string;
  action: string;
  title: string;
  draft: unknown;
  signal_id: string | null;
  requested_at: string | Date;
  expires_at: string | Date;
  last_offered_at: string | Date | null;
  db_now: string | Date;
}

/** Why an approval is chased: about to expire, or it has blocked work for half a day. */
export interface NudgeFinding {
  approvalId: string;
  bot: string;
  title: string;
  chat: string;
  reason: 'expiring' | 'waiting';
  /** Minutes until it expires. */
  expiresInMinutes: number;
  /** Business hours it has been pending. */
  pendingBusinessHours: number;
}

/**
 * The catalogue's rule, per operator chat: pending and (expires within the window or pending for
 * the business hours) and not offered on Telegram to that chat within the repeat window. The
 * first offer counts as an offer, so the operator never sees one approval twice in two hours.
 */
export function chooseNudges(candidates: readonly NudgeCandidate[], chat: string, config: NudgeConfig): NudgeFinding[] {
  const findings: NudgeFinding[] = [];
  const hours = { ...config.JBOT_BUSINESS_HOURS, timeZone: config.routing.timeZone };
  const pendingNeeded = config.APPROVAL_NUDGE_PENDING_BUSINESS_HOURS * HOUR_MS;
  for (const candidate of candidates) {
    const now = new Date(candidate.db_now);
    const expiresInMs = new Date(candidate.expires_at).getTime() - now.getTime();
    const lastOffered = candidate.last_offered_at === null ? null : new Date(candidate.last_offered_at);
    if (lastOffered !== null && now.getTime() - lastOffered.getTime() < config.APPROVAL_NUDGE_REPEAT_HOURS * HOUR_MS) continue;
    const pendingMs = businessMsBetween(new Date(candidate.requested_at), now, hours, pendingNeeded);
    const expiring = expiresInMs <= config.APPROVAL_NUDGE_EXPIRING_HOURS * HOUR_MS;
    if (!expiring && pendingMs < pendingNeeded) continue;
    findings.push({
      approvalId: candidate.approval_id,
      bot: candidate.bot,
      title: candidate.title,
      chat,
      reason: expiring ? 'expiring' : 'waiting',
      expiresInMinutes: Math.max(0, Math.round(expiresInMs / 60_000)),
      pendingBusinessHours: Math.floor(pendingMs / HOUR_MS),
    });
  }
  return findings;
}

/** The header line of a nudge: how many wait, and why they are shown again. */
export function nudgeHeader(findings: readonly NudgeFinding[]): string {
  const expiring = findings.filter((finding) => finding.reason === 'expiring');
  const soonest = Math.min(...expiring.map((finding) => finding.expiresInMinutes));
  const reasons = [
    ...(expiring.length === 0 ? [] : [`${expiring.length} expire${expiring.length === 1 ? 's' : ''} within ${formatMinutes(soonest)}`]),
    ...(findings.length > expiring.length
      ? [`${findings.length - expiring.length} waiting ${findings.length - expiring.length === 1 ? 'since' : 'for'} half a day or more`]
      : []),
  ];
  return `⏰ ${findings.length} approval${findings.length === 1 ? '' : 's'} still waiting on you (${reasons.join('; ')}):`;
}

/**
 * Run the nudge once: per operator chat, one batched Telegram message (a header and each approval
 * as jbot's approval offer shows it, with its buttons), queued in one transaction by
 * enqueue_approval_nudges, which re-checks the repeat window under a lock. Nothing in quiet hours.
 */
export async function runApprovalNudge(context: Pick<BotContext, 'db' | 'log'> & Pick<JobRunInfo, 'idempotencyKey' | 'scheduledFor'>, config: NudgeConfig) {
  if (isQuietTime(context.scheduledFor, config.routing.quietHours, config.routing.timeZone)) return { quiet: true, nudged: [] as NudgeFinding[] };
  const nudged: NudgeFinding[] = [];
  for (const chat of config.chats) {
    const candidates = await context.db.rpc<NudgeCandidate>('approvals_to_nudge', { p_chat_id: chat, p_limit: 50 });
    // An approval goes to the chats its bot's escalations go to (TELEGRAM_ROUTES).
    const findings = chooseNudges(
      candidates.filter((candidate) => chatsFor(candidate.bot, config.routing).includes(chat)),
      chat,
      config,
    );
    if (findings.length === 0) continue;
    const byId = new Map(candidates.map((candidate) => [candidate.approval_id, candidate]));
    const items = findings.map((finding) => {
      const candidate = byId.get(finding.approvalId);
      const offer = approvalOffer({ id: finding.approvalId, bot: finding.bot, title: finding.title, draft: candidate?.draft ?? {} });
      return { approval_id: finding.approvalId, bot: finding.bot, text: offer.text, buttons: offer.buttons, signal_id: candidate?.signal_id ?? null };
    });
    const queued = await context.db.rpc<{ approval_id: string }>('enqueue_approval_nudges', {
      p_chat_id: chat,
      p_header: nudgeHeader(findings),
      p_items: items,
      p_repeat_after_seconds: Math.round(config.APPROVAL_NUDGE_REPEAT_HOURS * 3600),
      p_key: context.idempotencyKey,
    });
    const queuedIds = new Set(queued.map((row) => row.approval_id));
    nudged.push(...findings.filter((finding) => queuedIds.has(finding.approvalId)));
  }
  return { quiet: false, nudged };
}

/** jbot's approval nudge: every 30 minutes of the working day, re-offer approvals about to expire or long pending. */
export const approvalNudge = defineJob<NudgeConfig>({
  id: 'approval-nudge',
  schedule: '*/30 8-18 * * 1-5',
  description: 'Pending approvals about to expire or blocking work for half a day → one batched Telegram re-offer with the buttons',
  timeoutMs: 60_000,
  // A half-hourly chase: a missed tick is covered by the next one.
  missed: 'skip',
  overlap: 'skip',
  // The runtime lays these over jbot's own settings, so the run sees both (NudgeConfig).
  settings: approvalNudgeSettings as unknown as Settings<NudgeConfig>,
  async run(context) {
    const result = await runApprovalNudge(context, context.config);
    const detail = {
      quiet: result.quiet,
      nudged: result.nudged.map((finding) => ({ approval: finding.approvalId, chat: finding.chat, reason: finding.reason })),
    };
    const fingerprint = fingerprintOf(detail.nudged);
    if (result.quiet || result.nudged.length === 0) {
      const line = result.quiet ? 'quiet hours: no approval offered' : NOTHING_TO_REPORT;
      if (context.manual)
        await context.channel.post({
          kind: 'note',
          title: 'approval-nudge: nothing to report',
          text: result.quiet
            ? 'Quiet hours: approvals wait for the working day.'
            : 'No pending approval is about to expire or has waited half a day (or each was offered within the repeat window).',
        });
      return jobOutcome(line, { fingerprint, detail });
    }
    const approvals = new Set(result.nudged.map((finding) => finding.approvalId)).size;
    const outcome = `${approvals} approval${approvals === 1 ? '' : 's'} re-offered on Telegram`;
    context.log.info(detail, `approval nudge: ${outcome}`);
    if (context.manual)
      await context.channel.post({
        kind: 'note',
        title: `approval-nudge: ${outcome}`,
        text: result.nudged
          .map(
            (finding) =>
              `• ${finding.bot}: ${finding.title} (${finding.reason === 'expiring' ? `expires in ${formatMinutes(finding.expiresInMinutes)}` : `${finding.pendingBusinessHours} business hours pending`})`,
          )
          .join('\n'),
      });
    return jobOutcome(outcome, { fingerprint, detail });
  },
});

function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
