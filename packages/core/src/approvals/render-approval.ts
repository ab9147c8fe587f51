import type { ChannelField, ChannelMessage } from '../channels/channel.js';
import type { Approval } from './approval.js';

const HEADLINE: Record<Approval['status'], string> = {
  pending: 'Approval needed',
  approved: 'Approved',
  executing: 'Approved · running',
  executed: 'Done',
  failed: 'Failed',
  rejected: 'Rejected',
  expired: 'Expired',
};

/**
 * An approval as a channel message: the draft in full, a status line saying who decided and
 * what came of it, and Approve / Reject buttons only while it is pending.
 */
export function approvalMessage(approval: Approval): ChannelMessage {
  const { text, fields } = describeDraft(approval.draft);
  return {
    kind: 'approval',
    title: `${HEADLINE[approval.status]} · ${approval.title}`,
    text,
    fields: [{ name: 'Status', value: statusLine(approval), inline: false }, ...fields],
    severity: approval.status === 'failed' ? 'alert' : approval.status === 'pending' ? 'warning' : 'info',
    approvalId: approval.id,
    ...(approval.signalId === null ? {} : { signalId: approval.signalId }),
    ...(approval.status === 'pending'
      ? {
          buttons: [
            { id: 'approve', label: 'Approve', style: 'success' as const },
            { id: 'reject', label: 'Reject', style: 'danger' as const },
          ],
        }
      : {}),
    // A failed action can be run again by a person; the ledger repeats nothing already done.
    ...(approval.status === 'failed' ? { buttons: [{ id: 'retry', label: 'Retry', style: 'primary' as const }] } : {}),
    footer: `${approval.bot} · ${approval.action} · approval ${approval.id}`,
  };
}

/** One line: where the approval stands, who decided, and the outcome. */
export function statusLine(approval: Approval): string {
  const decided =
    approval.decidedBy === null
      ? ''
      : `${approval.status === 'rejected' ? 'Rejected' : 'Approved'} by ${approval.decidedBy}${approval.decidedAt === null ? '' : ` at ${readableTime(approval.decidedAt)}`}`;
  switch (approval.status) {
    case 'pending':
      return `Waiting for a decision · expires ${readableTime(approval.expiresAt)}`;
    case 'approved':
      if (approval.retryAt !== null && approval.error !== null) return `${decided} · ${approval.error} · ${approval.bot} retries it after ${approval.retryAt}`;
      return `${decided} · queued for ${approval.bot}`;
    case 'executing':
      return `${decided} · ${approval.bot} is running it`;
    case 'executed':
      return `${decided} · done at ${approval.executedAt === null ? '?' : readableTime(approval.executedAt)}: ${summariseResult(approval.result)}`;
    case 'failed':
      return `${decided || 'Approved'} · execution failed: ${approval.error ?? 'unknown error'} · retry with Retry or \`fleet approvals retry ${approval.id}\` (nothing done is repeated)`;
    case 'rejected':
      return `${decided} · nothing was done`;
    case 'expired':
      return `Expired at ${readableTime(approval.expiresAt)} with no decision · nothing was done`;
  }
}

// People read these lines: UTC to the second, without the milliseconds of an ISO string.
function readableTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A short, readable account of an executor's result. */
export function summariseResult(result: unknown): string {
  if (result === null || result === undefined) return 'ok';
  if (typeof result === 'string') return result;
  if (typeof result === 'object' && typeof (result as { summary?: unknown }).summary === 'string') return (result as { summary: string }).summary;
  const json = JSON.stringify(result);
  return json.length > 300 ? `${json.slice(0, 299)}…` : json;
}

// Long prose (an email body) goes in the text; short values become fields.
function describeDraft(draft: unknown): { text: string; fields: ChannelField[] } {
  if (typeof draft === 'string') return { text: draft, fields: [] };
  if (draft === null || typeof draft !== 'object') return { text: draft === undefined || draft === null ? '' : String(draft), fields: [] };
  const sections: string[] = [];
  const fields: ChannelField[] = [];
  for (const [key, value] of Object.entries(draft as Record<string, unknown>)) {
    const label = key.replace(/[_.]+/g, ' ');
    if (typeof value === 'string' && (value.length > 120 || value.includes('\n'))) sections.push(`**${label}**\n${value}`);
    else if (value !== null && typeof value === 'object') sections.push(`**${label}**\n${describeNested(value)}`);
    else if (value !== undefined && value !== null) fields.push({ name: label, value: String(value), inline: true });
  }
  return { text: sections.join('\n\n'), fields };
}

function describeNested(value: object): string {
  if (Array.isArray(value))
    return value.map((item, index) => `${index + 1}. ${typeof item === 'object' && item !== null ? describeObject(item) : String(item)}`).join('\n');
  return describeObject(value);
}

function describeObject(value: object): string {
  return Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => `${key.replace(/[_.]+/g, ' ')}: ${typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item)}`)
    .join('\n');
}
