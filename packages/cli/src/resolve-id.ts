import type { Db } from '@jbot/core';
import { formatTime } from './format-table.js';
import { UsageError } from './usage-error.js';

/** What an id lookup found: the one full id, or why not (lines to print). */
export type ResolvedId = { id: string } | { problem: string[] };

interface Candidate {
  [column: string]: unknown;
  id: string;
  line: string;
}

/**
 * Resolve an id as people type it: the full uuid or any unique prefix (the 8-character short
 * form tables print). An ambiguous prefix lists the candidates, as git does for short hashes.
 */
export async function resolveId(db: Db, kind: 'signal' | 'approval', given: string, listCommand: string): Promise<ResolvedId> {
  checkIdShape(given, kind, listCommand);
  const candidates = kind === 'signal' ? await signalCandidates(db, given) : await approvalCandidates(db, given);
  const [only] = candidates;
  if (only !== undefined && candidates.length === 1) return { id: only.id };
  if (only === undefined) return { problem: [`no ${kind} with id ${given} (see \`${listCommand}\`)`] };
  return {
    problem: [`${kind} id ${given} is ambiguous; it matches:`, ...candidates.map((candidate) => `  ${candidate.line}`), 'give more characters of the id'],
  };
}

/** A usage error (before any lookup) when `given` cannot be an id or a prefix of one. */
export function checkIdShape(given: string, kind: 'signal' | 'approval', listCommand: string): void {
  const hex = given.replace(/-/g, '');
  if (!/^[0-9a-f]+$/i.test(hex) || hex.length > 32)
    throw new UsageError(
      `"${given}" is not ${kind === 'approval' ? 'an' : 'a'} ${kind} id (the hex id or its first characters, as \`${listCommand}\` prints them)`,
    );
  if (hex.length < 4) throw new UsageError(`"${given}" is too short to name a ${kind}: give at least 4 characters of its id`);
}

async function signalCandidates(db: Db, prefix: string): Promise<Candidate[]> {
  const rows = await db.rpc<{ signal_id: string; source_bot: string; signal_type: string; severity: string; created_at: string }>('find_signals_by_prefix', {
    p_prefix: prefix,
    p_limit: 10,
  });
  return rows.map((row) => ({
    id: row.signal_id,
    line: `${longEnough(
      row.signal_id,
      prefix,
      rows.map((other) => other.signal_id),
    )}  ${formatTime(row.created_at)}  ${row.source_bot}  ${row.signal_type} (${row.severity})`,
  }));
}

async function approvalCandidates(db: Db, prefix: string): Promise<Candidate[]> {
  const rows = await db.rpc<{ approval_id: string; bot: string; title: string; status: string; requested_at: string }>('find_approvals_by_prefix', {
    p_prefix: prefix,
    p_limit: 10,
  });
  return rows.map((row) => ({
    id: row.approval_id,
    line: `${longEnough(
      row.approval_id,
      prefix,
      rows.map((other) => other.approval_id),
    )}  ${formatTime(row.requested_at)}  ${row.bot}  ${row.status}  ${row.title}`,
  }));
}

// The shortest prefix (at least the usual 8 characters) that tells this candidate from the others.
function longEnough(id: string, prefix: string, all: readonly string[]): string {
  for (let length = Math.max(8, prefix.length + 1); length < id.length; length += 1) {
    const candidate = id.slice(0, length);
    if (all.filter((other) => other.startsWith(candidate)).length === 1) return candidate;
  }
  return id;
}
