import { z } from 'zod';
import { defineAction } from '@jbot/core';
import { accountDeal } from './account-deal.js';

const remindersDraft = z.object({
  reminders: z
    .array(
      z.object({
        account_id: z.string().min(1),
        account: z.string().min(1),
        invoice_id: z.string().min(1),
        invoice_number: z.string().min(1),
        amount_due: z.number().positive(),
        days_past_due: z.number().int().positive(),
        bucket: z.enum(['polite', 'firm', 'hold']),
        to: z.string().email(),
        subject: z.string().min(1),
        body: z.string().min(1),
        /** The account's owner gets a task to call the buyer (31+ days past due). */
        owner_task: z.object({ owner_id: z.string().min(1).nullable(), subject: z.string().min(1), body: z.string().min(1) }).optional(),
      }),
    )
    .min(1),
  /** When the owner tasks are due (ISO instant). */
  tasks_due_at: z.iso.datetime({ offset: true }),
  note: z.string().optional(),
});

/** The approval draft: every reminder exactly as it will be sent. */
export type ArRemindersDraft = z.input<typeof remindersDraft>;

/** What sending did, stored as the approval's result. */
export interface SendArRemindersResult {
  summary: string;
  reminders: Array<{ invoice_id: string; email_id: string | null; sent_now: boolean; task_id: string | null }>;
}

/**
 * `send_ar_reminders`: one reminder per past-due invoice, sent from the AR mailbox through the
 * CRM and logged on the account's deal, plus a task for the owner on firm (31+ day) reminders.
 * Every write carries a key derived from the approval's idempotency key and the invoice, so a
 * retry or a second copy of salesbot sends nothing twice.
 */
export const sendArReminders = defineAction({
  name: 'send_ar_reminders',
  draft: remindersDraft,
  async execute({ reminders, tasks_due_at }, context): Promise<SendArRemindersResult> {
    const { crm } = context.connectors;
    const deals = await crm.listDeals();
    const results: SendArRemindersResult['reminders'] = [];
    for (const reminder of reminders) {
      const deal = accountDeal(deals, reminder.account);
      if (deal === null) {
        context.log.warn({ account: reminder.account, invoice: reminder.invoice_number }, 'no CRM deal to log the reminder on: not sent');
        results.push({ invoice_id: reminder.invoice_id, email_id: null, sent_now: false, task_id: null });
        continue;
      }
      const sent = await crm.sendEmail({
        dealId: deal.id,
        to: reminder.to,
        subject: reminder.subject,
        body: reminder.body,
        idempotencyKey: `${context.idempotencyKey}:ar-reminder:${reminder.invoice_id}`,
      });
      let taskId: string | null = null;
      if (reminder.owner_task !== undefined) {
        const task = await crm.createTask({
          dealId: deal.id,
          ownerId: reminder.owner_task.owner_id,
          subject: reminder.owner_task.subject,
          body: reminder.owner_task.body,
          dueAt: tasks_due_at,
          idempotencyKey: `${context.idempotencyKey}:ar-task:${reminder.invoice_id}`,
        });
        taskId = task.taskId;
      }
      results.push({ invoice_id: reminder.invoice_id, email_id: sent.emailId, sent_now: sent.created, task_id: taskId });
    }
    const sentCount = results.filter((result) => result.email_id !== null).length;
    const fresh = results.filter((result) => result.sent_now).length;
    const tasks = results.filter((result) => result.task_id !== null).length;
    const missing = results.length - sentCount;
    return {
      summary: `sent ${sentCount} AR reminder${sentCount === 1 ? '' : 's'}${fresh === sentCount ? '' : ` (${sentCount - fresh} already sent)`}, ${tasks} owner task${tasks === 1 ? '' : 's'}${missing === 0 ? '' : `; ${missing} not sent (no CRM deal for the account)`}`,
      reminders: results,
    };
  },
});
