import type { z } from 'zod';
import type { Approval } from './approval.js';
import type { ApprovalExecutionContext } from './approval-worker.js';

/**
 * An approval action: its name, the schema of its draft, and what runs once a person approves.
 * The request (`ctx.approvals.request({ action, draft })`) and the executor share the schema,
 * so a draft is checked when it is asked for, and the executor gets it parsed.
 */
export interface ActionDefinition<Draft extends z.ZodType = z.ZodType, Result = unknown> {
  name: string;
  /** What the approver sees and the executor trusts; JSON in the brain between the two. */
  draft: Draft;
  /** Runs once per approval, under the approval's idempotency key; its return value is the stored result. */
  execute(draft: z.output<Draft>, context: ApprovalExecutionContext, approval: Approval): Promise<Result> | Result;
}

/** Declare an approval action (names are snake_case, like `send_followups`). */
export function defineAction<Draft extends z.ZodType, Result>(definition: ActionDefinition<Draft, Result>): ActionDefinition<Draft, Result> {
  if (!/^[a-z][a-z0-9_]*$/.test(definition.name)) throw new Error(`Approval action "${definition.name}" must be snake_case`);
  return definition;
}
