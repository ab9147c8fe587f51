// The brain as it grows: the per-run paths every bot takes (claim and finish a cron run, emit and
// deliver a signal, `fleet crons`, jbot's once-a-second recount, a job's lastRun) timed on an
// empty brain and again with a year of history planted (1M signals, 2M receipts, 525k runs of a
// per-minute job, 200k channel posts), then the retention pass and the rows it removes. "Empty"
// is a fresh fleet whose 101 jobs have each run once.
// `pnpm bench growth [--signals N] [--runs N]`. Goal: no path slower than 1.5× empty.
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createTestDatabase, startTestPostgres } from '@jbot/testkit';
import { percentiles } from './_percentiles.js';

const SAMPLES = 300;

function option(argv: string[], name: string, fallback: number): number {
  const index = argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(argv[index + 1]);
  return value === undefined || !Number.isFinite(value) ? fallback : value;
}

async function time(samples: number, body: (index: number) => Promise<unknown>): Promise<ReturnType<typeof percentiles>> {
  for (let index = 0; index < 20; index += 1) await body(-1 - index); // warm statements and caches
  const durations: number[] = [];
  for (let index = 0; index < samples; index += 1) {
    const start = performance.now();
    await body(index);
    durations.push(performance.now() - start);
  }
  return percentiles(durations);
}

let tick = 0;
/** Every path a bot takes per run or per second, each timed alone. */
async function measurePaths(db: Db) {
  await db.rpc('register_subscriptions', { p_consumer_bot: 'jbot', p_signal_types: ['bench_ping'] });
  await db.rpc('register_subscriptions', { p_consumer_bot: 'sysbot', p_signal_types: ['bench_ping'] });
  const base = Date.now() - 3600_000;
  return {
    // sysbot/fleet-monitor's minute: claim the tick, finish it (counts failures in a row).
    cronTick: await time(SAMPLES, async () => {
      tick += 1;
      const [claim] = await db.rpc<{ run_id: string }>('claim_cron_run', {
        p_bot: 'sysbot',
        p_job: 'fleet-monitor',
        p_scheduled_for: new Date(base + tick * 7).toISOString(),
        p_host: 'bench',
        p_pid: 1,
      });
      await db.rpc('finish_cron_run', { p_run_id: claim?.run_id, p_status: 'succeeded' });
    }),
    lastRun: await time(SAMPLES, () => db.rpc('last_successful_run', { p_bot: 'sysbot', p_job: 'fleet-monitor', p_before: new Date().toISOString() })),
    fleetCrons: await time(SAMPLES, () => db.rpc('last_cron_statuses')),
    telegramRecount: await time(SAMPLES, () => db.rpc('telegram_lines_to_recount', { p_since: new Date(Date.now() - 2 * 86400_000).toISOString() })),
    // A signal with a dedupe key, delivered to two consumers and acknowledged.
    emitDeliverAck: await time(SAMPLES, async (index) => {
      const [emitted] = await db.rpc<{ signal_id: string }>('emit_signal', {
        p_source_bot: 'bench',
        p_signal_type: 'bench_ping',
        p_severity: 'info',
        p_payload: { index },
        p_dedupe_key: `bench:${index}:${tick}`,
      });
      for (const consumer of ['jbot', 'sysbot']) {
        await db.rpc('claim_signals', { p_consumer_bot: consumer, p_limit: 10, p_worker: 'bench' });
        await db.rpc('ack_signal', { p_signal_id: emitted?.signal_id, p_consumer_bot: consumer });
      }
    }),
  };
}

/** A year of a ten-bot fleet's history, planted in bulk. */
async function plantHistory(sql: postgres.Sql, size: { signals: number; runs: number }) {
  const started = performance.now();
  // fleet-monitor every minute for a year (1 in 500 failed), plus 100 daily jobs.
  await sql`
    insert into cron_runs (bot, job, scheduled_for, status, host, started_at, finished_at, idempotency_key, error)
    select 'sysbot', 'fleet-monitor', ts, case when n % 500 = 0 then 'failed' else 'succeeded' end, 'vps-1', ts, ts + interval '40 ms',
           'sysbot/fleet-monitor/' || n, case when n % 500 = 0 then 'planted failure' end
      from generate_series(1, ${size.runs}::int) n, lateral (select now() - interval '366 days' + n * interval '1 minute' as ts) t`;
  await sql`
    insert into cron_runs (bot, job, scheduled_for, status, host, started_at, finished_at, idempotency_key)
    select 'bot' || (j % 10), 'job-' || j, ts, 'succeeded', 'vps-1', ts, ts + interval '2 s', 'bot/job-' || j || '/' || d
      from generate_series(1, 100) j, generate_series(1, 365) d, lateral (select now() - interval '366 days' + d * interval '1 day' as ts) t`;
  // Signals over the year; every one delivered to two consumers and handled.
  await sql`
    insert into bot_signals (source_bot, signal_type, severity, payload, dedupe_key, created_at)
    select 'bot' || (n % 10), 'type_' || (n % 40), (array['info','info','info','warning','alert'])[1 + n % 5]::signal_severity,
           jsonb_build_object('n', n, 'detail', repeat('x', 120)), case when n % 3 = 0 then 'key:' || (n % 5000) end,
           now() - interval '366 days' + (n::double precision / ${size.signals}) * interval '365 days'
      from generate_series(1, ${size.signals}::int) n`;
  await sql`
    insert into signal_receipts (signal_id, consumer_bot, status, attempts, available_at, handled_at, created_at)
    select s.id, c.consumer, 'handled', 1, s.created_at, s.created_at + interval '1 s', s.created_at
      from bot_signals s cross join (values ('jbot'), ('sysbot')) c(consumer) where s.source_bot like 'bot%'`;
  // Work-floor posts and Telegram lines (a fifth of them carry items that point at a signal).
  await sql`
    insert into channel_messages (channel, target, bot, text, body, signal_id, external_message_id, created_at)
    select case when n % 5 = 0 then 'telegram' else 'discord' end, case when n % 5 = 0 then '1001' else '#bot' || (n % 10) end,
           'bot' || (n % 10), 'planted post ' || n,
           case when n % 5 = 0 then jsonb_build_object('items', jsonb_build_array(jsonb_build_object('signal_id', s.id, 'count', 1))) else '{}'::jsonb end,
           s.id, n::text, s.created_at
      from (select id, created_at, row_number() over () as n from bot_signals where source_bot like 'bot%' limit 200000) s`;
  await sql`vacuum analyze`;
  return Math.round(performance.now() - started);
}

async function sizes(sql: postgres.Sql) {
  const rows = await sql<{ relation: string; mb: number; rows: number }[]>`
    select c.relname as relation, round(pg_total_relation_size(c.oid) / 1048576.0)::int as mb, c.reltuples::bigint as rows
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'r' and c.relname in ('bot_signals', 'signal_receipts', 'cron_runs', 'channel_messages')
     order by c.relname`;
  return Object.fromEntries(rows.map((row) => [row.relation, { mb: row.mb, rows: Number(row.rows) }]));
}

export default async function growth(argv: string[]): Promise<Record<string, unknown>> {
  const size = { signals: option(argv, 'signals', 1_000_000), runs: option(argv, 'runs', 525_600) };
  const server = await startTestPostgres();
  const database = await createTestDatabase(server.port);
  const db = createPostgresDb({ url: database.url, poolMax: 2 });
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    // "Empty" is a fresh fleet: every job has run once (what `fleet crons` lists is per job either way).
    await sql`
      insert into cron_runs (bot, job, scheduled_for, status, host, started_at, finished_at, idempotency_key)
      select 'bot' || (j % 10), 'job-' || j, now() - interval '1 hour', 'succeeded', 'vps-1', now() - interval '1 hour', now() - interval '1 hour',
             'bot/job-' || j || '/fresh'
        from generate_series(1, 100) j`;
    const empty = await measurePaths(db);
    const plantMs = await plantHistory(sql, size);
    const planted = await sizes(sql);
    const year = await measurePaths(db);
    const ratio = Object.fromEntries(
      Object.entries(year).map(([path, figures]) => [path, Math.round((figures.p50 / Math.max(0.01, empty[path as keyof typeof empty].p50)) * 100) / 100]),
    );
    const prunedStart = performance.now();
    const [exists] = await sql<{ present: boolean }[]>`select to_regproc('prune_brain') is not null as present`;
    // Call until a pass is complete, as db-health does on the first day after an upgrade.
    const pruned: Record<string, number> = {};
    let passes = 0;
    while (exists?.present === true && passes < 200) {
      passes += 1;
      const [row] = await sql<Array<Record<string, number | boolean>>>`select * from prune_brain()`;
      for (const [key, value] of Object.entries(row ?? {})) if (typeof value !== 'boolean') pruned[key] = (pruned[key] ?? 0) + Number(value);
      if (row?.['complete'] === true) break;
    }
    const pruneMs = Math.round(performance.now() - prunedStart);
    await sql`vacuum analyze`;
    const afterPrune = await sizes(sql);
    const worst = Math.max(...Object.values(ratio));
    return { size, plantMs, empty, year, ratioP50: ratio, worstRatio: worst, goalMet: worst <= 1.5, planted, pruneMs, prunePasses: passes, pruned, afterPrune };
  } finally {
    await sql.end();
    await db.close();
    await database.drop();
    await server.stop();
  }
}
