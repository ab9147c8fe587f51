import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import type { CrmEngagement } from '@jbot/connectors';
import { localDay } from './deal-hygiene.js';
import { addDays, startOfDay, weekdayBefore } from '../sales-days.js';

/** The job's settings: touches a rep should log per weekday (catalogue 15) and the "well under" line (50%). */
export const repActivitySettings = envSettings({
  SALES_REP_DAILY_TOUCH_TARGET: envInteger(15, 1, 1000),
  SALES_REP_LOW_ACTIVITY_PCT: envInteger(50, 1, 100),
  FLEET_TZ: timeZone('UTC'),
});

/** One rep's logged selling activity on the previous business day. */
export interface RepActivityRow {
  owner_id: string;
  owner: string;
  day: string;
  calls: number;
  emails: number;
  meetings: number;
  total: number;
  pct_of_target: number;
  /** Touches on the business day before (the "two weekdays running" check). */
  previous_total: number;
  /** Under the low line on both business days: a note to the sales manager. */
  low_two_days: boolean;
}

/** Count one kind of touch: a buyer's reply is not the rep's touch, so only outgoing emails count. */
function touches(engagements: readonly CrmEngagement[], ownerId: string, from: Date, until: Date) {
  const mine = engagements.filter(
    (engagement) =>
      engagement.ownerId === ownerId &&
      engagement.direction !== 'incoming' &&
      Date.parse(engagement.occurredAt) >= from.getTime() &&
      Date.parse(engagement.occurredAt) < until.getTime(),
  );
  const count = (type: CrmEngagement['type']) => mine.filter((engagement) => engagement.type === type).length;
  return { calls: count('call'), emails: count('email'), meetings: count('meeting'), total: mine.length };
}

/**
 * Yesterday's selling activity per rep (the previous business day in the company's zone), against
 * the daily target; a rep under the low line on that day and the business day before is flagged.
 */
export async function findRepActivity(
  context: Pick<BotContext, 'connectors'>,
  now: Date,
  settings: ReturnType<typeof repActivitySettings.load>,
): Promise<RepActivityRow[]> {
  const zone = settings.FLEET_TZ;
  const today = localDay(now, zone);
  const yesterday = weekdayBefore(today, 1);
  const dayBefore = weekdayBefore(today, 2);
  // Each business day runs midnight to midnight in the company's zone (a weekend between them is neither).
  const day = { from: startOfDay(yesterday, zone), until: startOfDay(addDays(yesterday, 1), zone) };
  const before = { from: startOfDay(dayBefore, zone), until: startOfDay(addDays(dayBefore, 1), zone) };
  const { crm } = context.connectors;
  const engagements = await crm.listEngagements({ since: before.from, until: day.until });
  const owners = await crm.listOwners();
  const target = settings.SALES_REP_DAILY_TOUCH_TARGET;
  const low = (total: number) => total * 100 < target * settings.SALES_REP_LOW_ACTIVITY_PCT;
  return owners
    .map((owner) => {
      const counted = touches(engagements, owner.id, day.from, day.until);
      const previous = touches(engagements, owner.id, before.from, before.until);
      return {
        owner_id: owner.id,
        owner: `${owner.firstName} ${owner.lastName}`.trim(),
        day: yesterday,
        ...counted,
        pct_of_target: Math.round((counted.total * 100) / target),
        previous_total: previous.total,
        low_two_days: low(counted.total) && low(previous.total),
      };
    })
    .sort((left, right) => left.total - right.total || left.owner.localeCompare(right.owner));
}

/** The #sales-bot table: one row per rep, lowest first. */
export function repActivityMessage(rows: readonly RepActivityRow[], target: number): string {
  const lines = [
    `Target ${target} touches a day.`,
    '```',
    `${'rep'.padEnd(20)} calls emails meetings total   vs target`,
    ...rows.map(
      (row) =>
        `${row.owner.padEnd(20)} ${String(row.calls).padStart(5)} ${String(row.emails).padStart(6)} ${String(row.meetings).padStart(8)} ${String(row.total).padStart(5)}   ${String(row.pct_of_target).padStart(4)}%${row.low_two_days ? '  ⚠ low 2 days' : ''}`,
    ),
    '```',
  ];
  const flagged = rows.filter((row) => row.low_two_days);
  if (flagged.length > 0)
    lines.push(
      `Sales manager: ${flagged.map((row) => `${row.owner} (${row.previous_total} then ${row.total})`).join(', ')} under half the target two weekdays running.`,
    );
  return lines.join('\n');
}

/** Run rep-activity once: the table, and a bot_note (info) for the sales manager when a rep is low two days running. */
export async function runRepActivity(
  context: BotContext & JobRunInfo,
  settings = repActivitySettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; rows: RepActivityRow[]; noteId: string | null }> {
  const rows = await findRepActivity(context, now, settings);
  const day = rows[0]?.day ?? weekdayBefore(localDay(now, settings.FLEET_TZ), 1);
  const outcome = await reportFindings(context, {
    findings: rows.filter((row) => row.total > 0 || row.previous_total > 0),
    noun: 'active rep',
    message: () => ({ title: `Rep activity on ${day}`, text: repActivityMessage(rows, settings.SALES_REP_DAILY_TOUCH_TARGET), kind: 'note' }),
    nothingLine: `No calls, emails or meetings logged on ${day}.`,
  });
  const flagged = rows.filter((row) => row.low_two_days);
  let noteId: string | null = null;
  if (flagged.length > 0) {
    const emitted = await context.signals.emit(
      'bot_note',
      {
        text: `${flagged.map((row) => row.owner).join(', ')} logged under ${settings.SALES_REP_LOW_ACTIVITY_PCT}% of the ${settings.SALES_REP_DAILY_TOUCH_TARGET}-touch target two weekdays running`,
        detail: {
          kind: 'rep_activity',
          day,
          target: settings.SALES_REP_DAILY_TOUCH_TARGET,
          reps: flagged.map((row) => ({ owner_id: row.owner_id, owner: row.owner, total: row.total, previous_total: row.previous_total })),
        },
      },
      { severity: 'info', dedupeKey: `rep_activity:${day}:${flagged.map((row) => row.owner_id).join(',')}`, dedupeWindowMs: 86_400_000 },
    );
    noteId = emitted.id;
  }
  return { outcome, rows, noteId };
}

/** salesbot's rep-activity: weekdays 08:45 (fleet time zone). */
export const repActivity = defineJob({
  id: 'rep-activity',
  schedule: '45 8 * * 1-5',
  description: "Yesterday's calls, emails and meetings per rep vs the 15-touch target; under 50% two weekdays running → bot_note to the sales manager",
  timeoutMs: 120_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: repActivitySettings,
  async run(context) {
    const { outcome, noteId } = await runRepActivity(context, context.config);
    return jobOutcome(`${outcome.outcome}${noteId === null ? '' : '; bot_note to the sales manager'}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, noteId },
    });
  },
});
