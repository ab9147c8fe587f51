import { z } from 'zod';
import { defineSignalType } from './signal-type.js';

// The signal types the runtime itself raises or carries (job failures, budgets, the operator's
// instructions, approval requests, notes). A bot's own types live in its `signals.ts` and are
// registered in every bot process through the fleet roster.

/** Any bot: a cron job failed (raised on the second consecutive failure). */
export const jobFailed = defineSignalType({
  type: 'job_failed',
  description: 'A cron job failed twice in a row',
  defaultSeverity: 'alert',
  schema: z.object({ bot: z.string(), job: z.string(), run_id: z.string().optional(), error: z.string(), consecutive_failures: z.number().int().positive() }),
});

/** Scheduler: a tick was missed or a run abandoned by a crashed process. */
export const jobMissed = defineSignalType({
  type: 'job_missed',
  description: 'A cron tick was missed or a run was abandoned',
  defaultSeverity: 'warning',
  schema: z.object({ bot: z.string(), job: z.string(), scheduled_for: z.string(), status: z.enum(['missed', 'abandoned']), run_id: z.string().optional() }),
});

/** LLM layer: a bot or the fleet hit its daily budget. */
export const budgetExceeded = defineSignalType({
  type: 'budget_exceeded',
  description: 'A daily LLM budget was reached; further calls are refused until tomorrow (UTC)',
  defaultSeverity: 'alert',
  schema: z.object({ bot: z.string(), scope: z.enum(['bot', 'fleet']), cap_usd: z.number(), spent_usd: z.number(), day: z.string() }),
});

/** A free-form note between bots or to the operator (digest material). */
export const botNote = defineSignalType({
  type: 'bot_note',
  description: 'A short note from a bot for the digest',
  defaultSeverity: 'info',
  schema: z.object({ text: z.string().min(1), detail: z.record(z.string(), z.unknown()).optional() }),
});

/**
 * jbot → one bot: the operator's instruction (a Telegram reply to that bot's escalation, a
 * message jbot routed to it, or `fleet reply`). A signal so delivery is at least once and waits
 * for a bot that is down; each bot acts only on instructions addressed to it (`to_bot`).
 */
export const operatorInstruction = defineSignalType({
  type: 'operator_instruction',
  description: "The operator's instruction to one bot, linked to the signal it answers",
  defaultSeverity: 'info',
  schema: z.object({
    to_bot: z.string().min(1),
    text: z.string().min(1),
    operator_message_id: z.string().uuid(),
    channel: z.enum(['telegram', 'discord', 'local']),
    sender_id: z.string(),
    /** The escalated signal this answers, when it is a reply. */
    signal_id: z.string().uuid().optional(),
    approval_id: z.string().uuid().optional(),
    /** Where to acknowledge: the operator's chat and the message to thread the answer under. */
    chat_id: z.string().optional(),
    reply_to_external_message_id: z.string().optional(),
  }),
});

/** Any bot: a person is asked to decide (jbot offers it on Telegram with Approve / Reject buttons). */
export const approvalRequested = defineSignalType({
  type: 'approval_requested',
  description: 'A bot asked a person to approve drafted work',
  defaultSeverity: 'warning',
  schema: z.object({
    approval_id: z.string().uuid(),
    bot: z.string(),
    action: z.string(),
    title: z.string(),
    expires_at: z.string(),
    signal_id: z.string().uuid().optional(),
  }),
});

/** The runtime's own types, registered in every process. */
export const catalogSignalTypes = [jobFailed, jobMissed, budgetExceeded, botNote, operatorInstruction, approvalRequested];

declare module './signal-type.js' {
  interface SignalPayloads {
    job_failed: z.output<typeof jobFailed.schema>;
    job_missed: z.output<typeof jobMissed.schema>;
    budget_exceeded: z.output<typeof budgetExceeded.schema>;
    bot_note: z.output<typeof botNote.schema>;
    operator_instruction: z.output<typeof operatorInstruction.schema>;
    approval_requested: z.output<typeof approvalRequested.schema>;
  }
}
