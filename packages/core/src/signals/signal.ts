import type { Severity } from './severity.js';

/** A signal as a consumer receives it. */
export interface Signal<Payload = unknown> {
  id: string;
  seq: number;
  sourceBot: string;
  type: string;
  severity: Severity;
  payload: Payload;
  dedupeKey: string | null;
  /** How many emits this row stands for (repeats inside the dedupe window bump it). */
  repeatCount: number;
  createdAt: string;
  /** 1 on first delivery; higher on redelivery after a failure or an expired lease. */
  attempt: number;
}

/** Options for one emit. */
export interface EmitOptions {
  /** Defaults to the type's defaultSeverity. */
  severity?: Severity;
  /** Repeats with the same key inside the window collapse into the first signal (its count rises). Scoped to this bot and type. */
  dedupeKey?: string;
  /**
   * The key is shared with other bots on purpose (the LLM layer's budget refusal and sysbot's
   * cost watchdog): when any bot already raised this type under this key inside the window,
   * nothing new is raised (the result is that signal, deduplicated). Needs dedupeKey.
   */
  sharedKey?: boolean;
  /** Dedupe window; default one hour. */
  dedupeWindowMs?: number;
  /** After this moment the signal is no longer delivered. */
  expiresAt?: Date;
}

/** What emit did. */
export interface EmitResult {
  id: string;
  deduplicated: boolean;
  repeatCount: number;
  createdAt: string;
}

/** Raw row from claim_signals(). */
export interface ClaimedRow {
  [column: string]: unknown;
  signal_id: string;
  seq: number;
  source_bot: string;
  signal_type: string;
  severity: Severity;
  payload: unknown;
  dedupe_key: string | null;
  repeat_count: number;
  created_at: string;
  attempt: number;
}

/** Map a claimed row to a Signal. */
export function signalFromRow(row: ClaimedRow, payload: unknown): Signal {
  return {
    id: row.signal_id,
    seq: Number(row.seq),
    sourceBot: row.source_bot,
    type: row.signal_type,
    severity: row.severity,
    payload,
    dedupeKey: row.dedupe_key,
    repeatCount: Number(row.repeat_count),
    createdAt: row.created_at,
    attempt: Number(row.attempt),
  };
}
