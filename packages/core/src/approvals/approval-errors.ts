import { FleetError } from '../errors/fleet-error.js';

/** A bot asked for approval of an action it has no executor for: it could never run. */
export class UnknownApprovalActionError extends FleetError {
  constructor(bot: string, action: string, known: readonly string[]) {
    super(
      'approval_action_unknown',
      `${bot} requested approval for action "${action}" but declares no such action (actions: ${known.join(', ') || 'none'}); add it to the bot's actions`,
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

/** A drafted approval does not match its action's schema: it is refused before anyone is asked. */
export class ApprovalDraftError extends FleetError {
  readonly issues: readonly { path: readonly PropertyKey[]; message: string }[];

  constructor(bot: string, action: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
    const detail = issues.map((issue) => `${issue.path.map(String).join('.') || '(draft)'}: ${issue.message}`).join('; ');
    super('approval_draft_invalid', `${bot} drafted a "${action}" approval that does not match its schema: ${detail}`, { facts: { bot, action } });
    this.issues = issues;
  }
}
