import { z } from 'zod';
import { defineAction } from '@jbot/core';

// The draft: checked when requested, and again as the executor trusts it, since it crossed the brain as JSON.
const hygieneTasksDraft = z.object({
  /** When the tasks are due (ISO instant). */
  due_at: z.iso.datetime({ offset: true }),
  tasks: z
    .array(
      z.object({
        deal_id: z.string().min(1),
        deal: z.string(),
        // buyer_left: buyer-turnover's "find the new buyer" task; sample_followup: sample-requests' follow-up after delivery.
        kind: z.enum(['past_close_date', 'no_amount', 'no_next_step', 'no_owner', 'closed_lost_no_reason', 'buyer_left', 'sample_followup']),
        /** Tells two tasks of one kind on one deal apart (buyer-turnover: the departed contact's id). */
        ref: z.string().min(1).optional(),
        owner_id: z.string().min(1).nullable(),
        owner: z.string(),
        subject: z.string().min(1),
        body: z.string().min(1),
      }),
    )
    .min(1),
});

/** The approval draft: the tasks exactly as they will be created. */
export type HygieneTasksDraft = z.input<typeof hygieneTasksDraft>;

/** What creating the approved tasks did, stored as the approval's result. */
export interface CreateHygieneTasksResult {
  summary: string;
  tasks: Array<{ deal_id: string; kind: string; owner_id: string | null; task_id: string; created_now: boolean }>;
}

/**
 * `create_hygiene_tasks`: one CRM task per deal defect, for the deal's owner. Each task carries a
 * key derived from the approval's idempotency key, the deal and the defect, so a retry after a
 * crash (or a second copy of salesbot) creates nothing twice.
 */
export const createHygieneTasks = defineAction({
  name: 'create_hygiene_tasks',
  draft: hygieneTasksDraft,
  async execute({ due_at, tasks }, context): Promise<CreateHygieneTasksResult> {
    const { crm } = context.connectors;
    const results: CreateHygieneTasksResult['tasks'] = [];
    for (const task of tasks) {
      const created = await crm.createTask({
        dealId: task.deal_id,
        ownerId: task.owner_id,
        subject: task.subject,
        body: task.body,
        dueAt: due_at,
        idempotencyKey: `${context.idempotencyKey}:task:${task.deal_id}:${task.kind}${task.ref === undefined ? '' : `:${task.ref}`}`,
      });
      results.push({ deal_id: task.deal_id, kind: task.kind, owner_id: task.owner_id, task_id: created.taskId, created_now: created.created });
      context.log.info({ dealId: task.deal_id, taskId: created.taskId, createdNow: created.created }, `hygiene task for ${task.owner}`);
    }
    const fresh = results.filter((task) => task.created_now).length;
    return {
      summary: `created ${fresh} hygiene task${fresh === 1 ? '' : 's'} in ${crm.source === 'hubspot' ? 'HubSpot' : 'the sample CRM'}${fresh === results.length ? '' : ` (${results.length - fresh} already created)`}`,
      tasks: results,
    };
  },
});
