import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { dealStageLabel } from '@jbot/connectors';
import { localDay } from './deal-hygiene.js';
import { isWeekday, addDays } from '../sales-days.js';

/** The job's settings: business days past due before a task is listed (catalogue: more than 2). */
export const overdueTasksSettings = envSettings({ SALES_TASK_OVERDUE_BUSINESS_DAYS: envInteger(2, 0, 60), FLEET_TZ: timeZone('UTC') });

/** Stages where a slipped task costs the most: listed first. */
export const LATE_STAGES = new Set(['decisionmakerboughtin', 'contractsent']);

/** One overdue task in the per-rep list. */
export interface OverdueTask {
  task_id: string;
  subject: string;
  owner_id: string | null;
  owner: string;
  deal_id: string | null;
  deal: string | null;
  stage: string | null;
  late_stage: boolean;
  due_day: string;
  business_days_overdue: number;
}

/** Business days wholly elapsed between the due day and today (both excluded): the same count on a Saturday as on the Friday. */
export function businessDaysOverdue(dueDay: string, today: string): number {
  let count = 0;
  for (let cursor = addDays(dueDay, 1); cursor < today; cursor = addDays(cursor, 1)) if (isWeekday(cursor)) count += 1;
  return count;
}

/**
 * Open sales tasks more than `thresholdDays` business days past due, per rep (Unassigned last);
 * inside each rep, tasks on late-stage deals first, then the oldest.
 */
export async function findOverdueTasks(context: Pick<BotContext, 'connectors'>, now: Date, thresholdDays: number, zone: string): Promise<OverdueTask[]> {
  const { crm } = context.connectors;
  const today = localDay(now, zone);
  const [tasks, deals, owners] = await Promise.all([crm.listOpenTasks(), crm.listDeals(), crm.listOwners()]);
  const dealById = new Map(deals.map((deal) => [deal.id, deal]));
  const ownerName = new Map(owners.map((owner) => [owner.id, `${owner.firstName} ${owner.lastName}`.trim()]));
  return tasks
    .flatMap((task): OverdueTask[] => {
      if (task.dueAt === '') return [];
      const dueDay = localDay(new Date(task.dueAt), zone);
      const overdue = businessDaysOverdue(dueDay, today);
      if (overdue <= thresholdDays) return [];
      const deal = task.dealId === null ? undefined : dealById.get(task.dealId);
      return [
        {
          task_id: task.id,
          subject: task.subject,
          owner_id: task.ownerId,
          owner: task.ownerId === null ? 'Unassigned' : (ownerName.get(task.ownerId) ?? `owner ${task.ownerId}`),
          deal_id: task.dealId,
          deal: deal?.name ?? null,
          stage: deal?.stage ?? null,
          late_stage: deal !== undefined && !deal.isClosed && LATE_STAGES.has(deal.stage),
          due_day: dueDay,
          business_days_overdue: overdue,
        },
      ];
    })
    .sort(
      (left, right) =>
        Number(left.owner_id === null) - Number(right.owner_id === null) ||
        left.owner.localeCompare(right.owner) ||
        Number(right.late_stage) - Number(left.late_stage) ||
        left.due_day.localeCompare(right.due_day) ||
        left.task_id.localeCompare(right.task_id),
    );
}

/** The #sales-bot post: one mention per rep with their overdue tasks, late-stage deals first. */
export function overdueTasksMessage(tasks: readonly OverdueTask[]): string {
  const lines: string[] = [];
  let owner: string | null = null;
  for (const task of tasks) {
    if (task.owner !== owner) {
      owner = task.owner;
      const count = tasks.filter((other) => other.owner === owner).length;
      lines.push(`${lines.length === 0 ? '' : '\n'}**@${owner}** — ${count} overdue`);
    }
    const deal = task.deal === null ? '' : ` · ${task.deal}${task.stage === null ? '' : ` (${dealStageLabel(task.stage)})`}`;
    lines.push(`• ${task.late_stage ? '🔥 ' : ''}${task.subject}${deal} — due ${task.due_day}, ${task.business_days_overdue} business days overdue`);
  }
  return lines.join('\n');
}

/** Run overdue-tasks once: the per-rep list (on change), and a bot_note for the digest. */
export async function runOverdueTasks(
  context: BotContext & JobRunInfo,
  settings = overdueTasksSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; tasks: OverdueTask[]; noteId: string | null }> {
  const tasks = await findOverdueTasks(context, now, settings.SALES_TASK_OVERDUE_BUSINESS_DAYS, settings.FLEET_TZ);
  const outcome = await reportFindings(context, {
    findings: tasks.map((task) => [task.task_id, task.business_days_overdue]),
    noun: 'overdue task',
    message: () => ({
      title: `Overdue sales tasks: ${tasks.length} more than ${settings.SALES_TASK_OVERDUE_BUSINESS_DAYS} business days late`,
      text: overdueTasksMessage(tasks),
      kind: 'note',
    }),
    nothingLine: `No sales task is more than ${settings.SALES_TASK_OVERDUE_BUSINESS_DAYS} business days overdue.`,
  });
  let noteId: string | null = null;
  if (tasks.length > 0) {
    const reps = [...new Set(tasks.map((task) => task.owner))];
    const emitted = await context.signals.emit(
      'bot_note',
      {
        text: `${tasks.length} sales task${tasks.length === 1 ? '' : 's'} overdue by more than ${settings.SALES_TASK_OVERDUE_BUSINESS_DAYS} business days (${reps.join(', ')})`,
        detail: {
          kind: 'overdue_tasks',
          tasks: tasks.map((task) => ({ task_id: task.task_id, owner: task.owner, deal_id: task.deal_id, days: task.business_days_overdue })),
        },
      },
      { severity: 'info', dedupeKey: `overdue_tasks:${localDay(now, settings.FLEET_TZ)}`, dedupeWindowMs: 86_400_000 },
    );
    noteId = emitted.id;
  }
  return { outcome, tasks, noteId };
}

/** salesbot's overdue-tasks: weekdays 09:00 (fleet time zone). */
export const overdueTasks = defineJob({
  id: 'overdue-tasks',
  schedule: '0 9 * * 1-5',
  description: 'Open sales tasks more than 2 business days overdue, per rep, late-stage deals first → #sales-bot mentions, bot_note (info)',
  timeoutMs: 120_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: overdueTasksSettings,
  async run(context) {
    const { outcome, noteId } = await runOverdueTasks(context, context.config);
    return jobOutcome(outcome.outcome, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, noteId },
    });
  },
});
