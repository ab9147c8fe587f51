// The figures of one simulated day, read from the brain after the fleet settled: runs against the
// ticks the declared schedules owe that day, the LLM ledger, signals, approvals, Telegram, and
// every kind of duplicate the bench can see.
import type postgres from 'postgres';
import { ticksBetween } from '@jbot/core';

/** One pass: the simulated day [dayStart, dayEnd) and the real time it ran in. */
export interface PassWindow {
  dayStart: Date;
  dayEnd: Date;
  realStart: Date;
  realEnd: Date;
}

/** A tick a job's schedule owes on the day. */
export interface ExpectedTick {
  bot: string;
  job: string;
  at: number;
}

/** A bot's jobs with their schedules resolved from its settings (ParsedBotSettings.jobs). */
export interface ScheduledBot {
  name: string;
  jobs: ReadonlyArray<{ id: string; schedule: string; tz?: string }>;
}

/** Every tick the declared jobs owe in [dayStart, dayEnd), in their own time zones. */
export function expectedTicks(bots: readonly ScheduledBot[], defaultTimeZone: string, dayStart: Date, dayEnd: Date): ExpectedTick[] {
  const ticks: ExpectedTick[] = [];
  for (const definition of bots) {
    for (const job of definition.jobs) {
      // ticksBetween is (from, to]: start a millisecond early so a midnight tick counts, stop before the next midnight.
      for (const tick of ticksBetween(job.schedule, job.tz ?? defaultTimeZone, new Date(dayStart.getTime() - 1), new Date(dayEnd.getTime() - 1), 100_000)) {
        ticks.push({ bot: definition.name, job: job.id, at: tick.getTime() });
      }
    }
  }
  return ticks;
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;
const nested = <Row>(rows: readonly Row[], outer: (row: Row) => string, inner: (row: Row) => string, value: (row: Row) => number) => {
  const result: Record<string, Record<string, number>> = {};
  for (const row of rows) (result[outer(row)] ??= {})[inner(row)] = value(row);
  return result;
};

/** Runs per bot and job with their statuses; failed, skipped and missed against the ticks owed. */
export async function runFigures(sql: postgres.Sql, window: PassWindow, owed: readonly ExpectedTick[]) {
  const rows = await sql<Array<{ bot: string; job: string; scheduled_for: Date; status: string; attempt: number }>>`
    select bot, job, scheduled_for, status, attempt from cron_runs
     where scheduled_for >= ${window.dayStart} and scheduled_for < ${window.dayEnd} and not manual`;
  const byTick = new Map(rows.map((row) => [`${row.bot}/${row.job}/${row.scheduled_for.getTime()}`, row]));
  const perJob: Record<string, Record<string, { owed: number; succeeded: number; failed: number; skipped: number; missed: number; retried: number }>> = {};
  let failed = 0;
  let missed = 0;
  let skipped = 0;
  for (const tick of owed) {
    const entry = ((perJob[tick.bot] ??= {})[tick.job] ??= { owed: 0, succeeded: 0, failed: 0, skipped: 0, missed: 0, retried: 0 });
    entry.owed += 1;
    const row = byTick.get(`${tick.bot}/${tick.job}/${tick.at}`);
    if (row === undefined || row.status === 'missed' || row.status === 'running' || row.status === 'requested') {
      entry.missed += 1;
      missed += 1;
    } else if (row.status === 'succeeded') entry.succeeded += 1;
    else if (row.status === 'skipped') {
      entry.skipped += 1;
      skipped += 1;
    } else {
      entry.failed += 1;
      failed += 1;
    }
    if (row !== undefined && row.attempt > 1) entry.retried += 1;
  }
  // A row for a tick no schedule owes: a run at a time it should not have fired.
  const owedKeys = new Set(owed.map((tick) => `${tick.bot}/${tick.job}/${tick.at}`));
  const unowed = rows.filter((row) => !owedKeys.has(`${row.bot}/${row.job}/${row.scheduled_for.getTime()}`)).length;
  const errors = await sql<Array<{ bot: string; job: string; error: string; n: number }>>`
    select bot, job, left(coalesce(error, status), 200) as error, count(*)::int as n from cron_runs
     where scheduled_for >= ${window.dayStart} and scheduled_for < ${window.dayEnd} and status in ('failed', 'timed_out', 'abandoned')
     group by 1, 2, 3 order by n desc limit 5`;
  // What the runs reported (JobOutcome lines: "nothing to report", "unchanged, skipped the model").
  const outcomes = await sql<Array<{ job: string; outcome: string; n: number }>>`
    select bot || '/' || job as job, coalesce(outcome, '(none recorded)') as outcome, count(*)::int as n from cron_runs
     where scheduled_for >= ${window.dayStart} and scheduled_for < ${window.dayEnd} and status = 'succeeded'
     group by 1, 2 order by 1, n desc`;
  return {
    runs: rows.length,
    perJob,
    failed,
    missed,
    skipped,
    unowed,
    errors,
    outcomes: nested(
      outcomes,
      (row) => row.job,
      (row) => row.outcome,
      (row) => row.n,
    ),
  };
}

/** Model calls and dollars from the llm_usage ledger of the pass, by bot, job and model. */
export async function llmFigures(sql: postgres.Sql, window: PassWindow) {
  const rows = await sql<
    Array<{ bot: string; job: string; model: string; calls: number; usd: number; input: number; output: number; cache_read: number; cache_write: number }>
  >`
    select bot, coalesce(job, '-') as job, model, count(*)::int as calls, sum(cost_usd)::float8 as usd,
           sum(input_tokens)::int as input, sum(output_tokens)::int as output, sum(cache_read_tokens)::int as cache_read, sum(cache_write_tokens)::int as cache_write
      from llm_usage where status = 'settled' and created_at >= ${window.realStart} and created_at <= ${window.realEnd}
     group by 1, 2, 3 order by 1, 2, 3`;
  const byBot: Record<string, { calls: number; usd: number }> = {};
  const byModel: Record<string, { calls: number; usd: number; output_tokens: number }> = {};
  for (const row of rows) {
    const bot = (byBot[row.bot] ??= { calls: 0, usd: 0 });
    bot.calls += row.calls;
    bot.usd = round(bot.usd + row.usd);
    const model = (byModel[row.model] ??= { calls: 0, usd: 0, output_tokens: 0 });
    model.calls += row.calls;
    model.usd = round(model.usd + row.usd);
    model.output_tokens += row.output;
  }
  return {
    calls: rows.reduce((sum, row) => sum + row.calls, 0),
    usd: round(rows.reduce((sum, row) => sum + row.usd, 0)),
    byBot,
    byJob: nested(
      rows,
      (row) => row.bot,
      (row) => `${row.job} · ${row.model}`,
      (row) => row.calls,
    ),
    usdByJob: nested(
      rows,
      (row) => row.bot,
      (row) => `${row.job} · ${row.model}`,
      (row) => round(row.usd),
    ),
    byModel,
  };
}

/** Signals raised in the pass by type and severity (rows, and the repeats their dedupe folded in). */
export async function signalFigures(sql: postgres.Sql, window: PassWindow) {
  const rows = await sql<Array<{ signal_type: string; severity: string; n: number; repeats: number }>>`
    select signal_type, severity::text as severity, count(*)::int as n, sum(repeat_count)::int as repeats from bot_signals
     where created_at >= ${window.realStart} and created_at <= ${window.realEnd} group by 1, 2 order by 1, 2`;
  return {
    total: rows.reduce((sum, row) => sum + row.n, 0),
    byType: nested(
      rows,
      (row) => row.signal_type,
      (row) => row.severity,
      (row) => row.n,
    ),
    repeatsFolded: rows.reduce((sum, row) => sum + row.repeats - row.n, 0),
  };
}

/** Approvals requested in the pass, by action and final status. */
export async function approvalFigures(sql: postgres.Sql, window: PassWindow) {
  const rows = await sql<Array<{ action: string; status: string; n: number }>>`
    select bot || '/' || action as action, status, count(*)::int as n from approvals
     where requested_at >= ${window.realStart} and requested_at <= ${window.realEnd} group by 1, 2 order by 1, 2`;
  return {
    total: rows.reduce((sum, row) => sum + row.n, 0),
    byAction: nested(
      rows,
      (row) => row.action,
      (row) => row.status,
      (row) => row.n,
    ),
  };
}

/** What reached the operator's Telegram in the pass: messages sent, the lines (items) they carried, by kind. */
export async function telegramFigures(sql: postgres.Sql, window: PassWindow) {
  const rows = await sql<Array<{ kind: string; messages: number; lines: number }>>`
    select coalesce(body->>'kind', 'message') as kind, count(*)::int as messages,
           sum(greatest(1, coalesce(jsonb_array_length(case when jsonb_typeof(body->'items') = 'array' then body->'items' end), 0)))::int as lines
      from channel_messages where channel = 'telegram' and created_at >= ${window.realStart} and created_at <= ${window.realEnd}
     group by 1 order by 1`;
  return {
    messages: rows.reduce((sum, row) => sum + row.messages, 0),
    lines: rows.reduce((sum, row) => sum + row.lines, 0),
    byKind: Object.fromEntries(rows.map((row) => [row.kind, { messages: row.messages, lines: row.lines }])),
  };
}

/**
 * Side effects and messages that happened twice (whole brain, both passes): rows of a sample
 * effect table (any `sample_*` table keyed by `idempotency_key`) identical in everything but key
 * and time — keyed rows only: a row the sample company was loaded with (no key, e.g. a day's logged
 * calls) is data, not an effect; an escalation line queued twice for one signal; an approval posted twice.
 */
export async function duplicateFigures(sql: postgres.Sql) {
  const tables = await sql<Array<{ table_name: string; columns: string[] }>>`
    select c.table_name, array_agg(c.column_name::text order by c.ordinal_position) filter (
             where c.column_name not in ('id', 'idempotency_key') and c.data_type not like 'timestamp%') as columns
      from information_schema.columns c
     where c.table_schema = current_schema() and c.table_name like 'sample\\_%'
       and exists (select 1 from information_schema.columns k where k.table_schema = c.table_schema and k.table_name = c.table_name and k.column_name = 'idempotency_key')
     group by c.table_name order by c.table_name`;
  const sideEffects: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await sql<Array<{ extra: number }>>`
      select coalesce(sum(n - 1), 0)::int as extra from (select count(*) as n from ${sql(table.table_name)}
        where idempotency_key is not null group by ${sql(table.columns)} having count(*) > 1) repeated`;
    sideEffects[table.table_name] = row?.extra ?? 0;
  }
  const [lines] = await sql<Array<{ extra: number }>>`
    select coalesce(sum(n - 1), 0)::int as extra from (select count(*) as n from telegram_outbox
      where signal_id is not null and body->>'kind' = 'escalation' group by signal_id, chat_id having count(*) > 1) repeated`;
  const [posts] = await sql<Array<{ extra: number }>>`
    select coalesce(sum(n - 1), 0)::int as extra from (select count(*) as n from channel_messages
      where approval_id is not null and body->>'kind' = 'approval' and channel <> 'telegram' group by approval_id having count(*) > 1) repeated`;
  // Which approvals were posted more than once, where: a duplicate is investigated from this, not guessed.
  const repeatedPosts = await sql<Array<{ approval: string; posts: Array<{ target: string; channel: string; status: string; at: string }> }>>`
    select a.bot || '/' || a.action || ' ' || left(a.id::text, 8) as approval,
           jsonb_agg(jsonb_build_object('target', m.target, 'channel', m.channel, 'status', m.status, 'at', m.created_at) order by m.created_at) as posts
      from channel_messages m join approvals a on a.id = m.approval_id
     where m.body->>'kind' = 'approval' and m.channel <> 'telegram'
     group by a.id having count(*) > 1`;
  const effects = Object.values(sideEffects).reduce((sum, value) => sum + value, 0);
  return { sideEffects, sideEffectsTotal: effects, telegramLines: lines?.extra ?? 0, approvalPosts: posts?.extra ?? 0, repeatedPosts };
}
