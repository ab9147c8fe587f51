-- The brain as it grows. Two parts:
--
-- 1. Per-run work that no longer depends on history. finish_cron_run counted a job's failures
--    since its last success by scanning the job's whole history; `fleet crons` (last_cron_statuses)
--    read every run ever; jbot's once-a-second recount filtered all Telegram posts by date. Each
--    gets the index (or the loose index scan) that makes it proportional to what it returns.
-- 2. Retention: prune_brain() deletes what is old and no longer needed, in bounded batches, with a
--    window per table. It keeps what is escalated, still undelivered, linked to an approval or an
--    operator's reply, the latest successful run of every job (lastRun and `fleet crons` read it)
--    and failures since it (the failure streak). The side-effect ledger, approvals, operator
--    messages and LLM usage (the cost history) are never pruned.

-- 1. Indexes for the per-run paths.
create index cron_runs_last_success on cron_runs (bot, job, finished_at desc) where status = 'succeeded';
create index cron_runs_failures on cron_runs (bot, job, finished_at) where status in ('failed', 'timed_out', 'abandoned');
create index channel_messages_telegram_recent on channel_messages (created_at) where channel = 'telegram' and external_message_id is not null;
create index cron_runs_time on cron_runs (scheduled_for);
create index approvals_signal on approvals (signal_id) where signal_id is not null;
-- Foreign keys that pruning deletes through (ON DELETE SET NULL) or checks: without these, every
-- deleted signal or post would scan the referencing table.
create index telegram_outbox_signal on telegram_outbox (signal_id) where signal_id is not null;
create index telegram_outbox_channel_message on telegram_outbox (channel_message_id) where channel_message_id is not null;
create index operator_messages_reply_to_message on operator_messages (reply_to_message_id) where reply_to_message_id is not null;

-- The last run of each job: a loose index scan over (bot, job) on cron_runs_job_time, so the cost
-- is jobs × log(runs), not runs.
create or replace function last_cron_statuses()
returns table (bot text, job text, scheduled_for timestamptz, status text)
language sql stable as $$
  with recursive jobs(bot, job) as (
    (select r.bot, r.job from cron_runs r order by r.bot, r.job limit 1)
    union all
    select n.bot, n.job
      from jobs j,
           lateral (select r.bot, r.job from cron_runs r where (r.bot, r.job) > (j.bot, j.job) order by r.bot, r.job limit 1) n
  )
  select j.bot, j.job, l.scheduled_for, l.status
    from jobs j,
         lateral (select r.scheduled_for, r.status from cron_runs r
                   where r.bot = j.bot and r.job = j.job order by r.scheduled_for desc limit 1) l
   order by j.bot, j.job;
$$;

-- 2. Retention.
create table brain_retention_runs (
  id bigint generated always as identity primary key,
  ran_at timestamptz not null default clock_timestamp(),
  deleted jsonb not null,
  complete boolean not null
);

-- Delete, per table, up to p_batch rows older than its window (days). Returns what it deleted per
-- table and whether everything due is gone (complete = false: call again). Serialised: a second
-- caller (two sysbots) waits and then finds nothing to do.
create function prune_brain(
  p_signal_days integer default 90,
  p_receipt_days integer default 30,
  p_run_days integer default 30,
  p_failed_run_days integer default 90,
  p_message_days integer default 90,
  p_outbox_days integer default 30,
  p_output_days integer default 90,
  p_batch integer default 50000
) returns table (signals bigint, receipts bigint, runs bigint, channel_messages bigint, telegram_outbox bigint,
                 bot_outputs bigint, bot_starts bigint, complete boolean)
language plpgsql as $$
declare
  v_signals bigint; v_receipts bigint; v_runs bigint; v_messages bigint; v_outbox bigint; v_outputs bigint; v_starts bigint;
  v_now timestamptz := now();
begin
  if least(p_signal_days, p_receipt_days, p_run_days, p_failed_run_days, p_message_days, p_outbox_days, p_output_days) < 1 then
    raise exception 'every retention window must be at least 1 day';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('prune_brain', 0));

  -- Receipts that were delivered (handled, dead-lettered, expired) long ago.
  with doomed as (
    select r.signal_id, r.consumer_bot from signal_receipts r
     where r.status in ('handled', 'dead', 'expired') and r.created_at < v_now - make_interval(days => p_receipt_days)
     limit p_batch)
  delete from signal_receipts r using doomed d where r.signal_id = d.signal_id and r.consumer_bot = d.consumer_bot;
  get diagnostics v_receipts = row_count;

  -- Signals: old, and nothing still needs them.
  with doomed as (
    select s.id from bot_signals s
     where s.created_at < v_now - make_interval(days => p_signal_days)
       and not exists (select 1 from escalations e where e.signal_id = s.id)
       and not exists (select 1 from signal_receipts r where r.signal_id = s.id and r.status in ('pending', 'processing'))
       and not exists (select 1 from approvals a where a.signal_id = s.id)
       and not exists (select 1 from operator_messages o where o.reply_to_signal_id = s.id)
       and not exists (select 1 from telegram_outbox t where t.signal_id = s.id and t.status in ('queued', 'sending'))
     order by s.created_at
     limit p_batch)
  delete from bot_signals s using doomed d where s.id = d.id;
  get diagnostics v_signals = row_count;

  -- Runs: finished and old; the latest success of each job and the failures since it stay.
  with doomed as (
    select r.id from cron_runs r
     where r.status not in ('running', 'requested')
       and r.scheduled_for < v_now - make_interval(days => case when r.status in ('succeeded', 'skipped') then p_run_days else p_failed_run_days end)
       and exists (select 1 from cron_runs n where n.bot = r.bot and n.job = r.job and n.status = 'succeeded' and n.finished_at > r.finished_at)
     order by r.scheduled_for
     limit p_batch)
  delete from cron_runs r using doomed d where r.id = d.id;
  get diagnostics v_runs = row_count;

  with doomed as (
    select t.id from telegram_outbox t
     where t.status in ('sent', 'failed') and t.created_at < v_now - make_interval(days => p_outbox_days)
     limit p_batch)
  delete from telegram_outbox t using doomed d where t.id = d.id;
  get diagnostics v_outbox = row_count;

  -- Posts: old, not what an operator's message answered, not the message of a live approval.
  with doomed as (
    select m.id from channel_messages m
     where m.created_at < v_now - make_interval(days => p_message_days)
       and not exists (select 1 from operator_messages o where o.reply_to_message_id = m.id)
       and not exists (select 1 from telegram_outbox t where t.channel_message_id = m.id)
       and not exists (select 1 from approvals a where a.id = m.approval_id and a.status in ('pending', 'approved', 'executing'))
     order by m.created_at
     limit p_batch)
  delete from channel_messages m using doomed d where m.id = d.id;
  get diagnostics v_messages = row_count;

  with doomed as (
    select o.key from bot_outputs o where o.status = 'done' and o.created_at < v_now - make_interval(days => p_output_days) limit p_batch)
  delete from bot_outputs o using doomed d where o.key = d.key;
  get diagnostics v_outputs = row_count;

  delete from bot_starts b where b.started_at < v_now - make_interval(days => p_failed_run_days);
  get diagnostics v_starts = row_count;
  delete from bot_stops b where b.started_at < v_now - make_interval(days => p_failed_run_days);

  insert into brain_retention_runs (deleted, complete)
  values (jsonb_build_object('signals', v_signals, 'receipts', v_receipts, 'runs', v_runs, 'channel_messages', v_messages,
                             'telegram_outbox', v_outbox, 'bot_outputs', v_outputs, 'bot_starts', v_starts),
          greatest(v_signals, v_receipts, v_runs, v_messages, v_outbox, v_outputs) < p_batch);
  return query select v_signals, v_receipts, v_runs, v_messages, v_outbox, v_outputs, v_starts,
                      greatest(v_signals, v_receipts, v_runs, v_messages, v_outbox, v_outputs) < p_batch;
end
$$;

-- When retention last finished a complete pass (db-health prunes at most once a day).
create function last_brain_retention()
returns table (ran_at timestamptz, deleted jsonb, complete boolean)
language sql stable as $$
  select r.ran_at, r.deleted, r.complete from brain_retention_runs r order by r.id desc limit 1;
$$;
