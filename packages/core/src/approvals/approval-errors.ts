import { FleetError } from '../errors/fleet-error.js';

/** A bot asked for approval of an action it has no executor for: it could never run. */
export class UnknownApprovalActionError extends FleetError {
  constructor(bot: string, action: string, known: readonly string[]) {
    super(
      'approval_action_unknown',
      `${bot} requested approval for action "${action}" but declares no executor for it (executors: ${known.join(', ') || 'none'}); add it to the bot's executors`,
      { facts: { bot, action } },
    );
  }
}

/** An approval function failed in a way the caller should see (bad arguments, no row back). */
export class ApprovalError extends FleetError {
  constructor(message: string, facts: Record<string, unknown>, cause?: unknown) {
    super('approval_failed', message, { facts, ...(cause === undefined ? {} : { cause }) });
  }
}
