-- The shared brain, part 4: cron runs. unique (bot, job, scheduled_for) is the exactly-once claim:
-- every copy of a bot (one per host) tries to insert the same tick and only one insert wins.
-- A retry reuses its tick's row (attempt + 1) so the key, and the idempotency key derived from it,
-- stay the same across retries; a retry can only start once the row is finished.

create table cron_runs (
  id uuid primary key default gen_random_uuid(),
  bot text not null,
  job text not null,
  scheduled_for timestamptz not null,
  status text not null check (status in ('requested', 'running', 'succeeded', 'failed', 'timed_out', 'skipped', 'missed', 'abandoned')),
  manual boolean not null default false,
  host text,
  pid integer,
  attempt integer not null default 1,
  lease_until timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  error text,
  cost_usd numeric(12, 6) not null default 0,
  idempotency_key text not null,
  requested_by text,
  created_at timestamptz not null default now(),
  unique (bot, job, scheduled_for)
);
create index cron_runs_job_time on cron_runs (bot, job, scheduled_for desc);
create index cron_runs_running on cron_runs (bot, lease_until) where status = 'running';
create index cron_runs_requested on cron_runs (bot) where status = 'requested';

-- Claim one tick. The database clock decides: a tick more than p_tolerance_seconds in the future
-- is refused ('not_due'), so a host whose clock runs fast cannot fire early. Overlap policy:
-- 'skip' records a skipped row while the job's previous run is alive; 'queue' answers 'busy'.
create function claim_cron_run(
  p_bot text, p_job text, p_scheduled_for timestamptz, p_host text, p_pid integer,
  p_lease_seconds numeric default 30, p_overlap text default 'skip', p_tolerance_seconds numeric default 1,
  p_manual boolean default false
) returns table (run_id uuid, claimed boolean, reason text, idempotency_key text, db_now timestamptz)
language plpgsql as $$
#variable_conflict use_column
declare
  v_now timestamptz := clock_timestamp();
  v_key text := p_bot || '/' || p_job || '/' || to_char(p_scheduled_for at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
  v_id uuid;
begin
  if p_scheduled_for > v_now + make_interval(secs => p_tolerance_seconds::double precision) then
    return query select null::uuid, false, 'not_due'::text, v_key, v_now;
    return;
  end if;
  -- Serialise claims of one job so the overlap check and the insert are one decision.
  perform pg_advisory_xact_lock(hashtextextended('cron_runs:' || p_bot || '/' || p_job, 0));
  if exists (select 1 from cron_runs r where r.bot = p_bot and r.job = p_job and r.status = 'running'
                and r.lease_until > v_now and r.scheduled_for <> p_scheduled_for) then
    if p_overlap = 'queue' then
      return query select null::uuid, false, 'busy'::text, v_key, v_now;
      return;
    end if;
    insert into cron_runs (bot, job, scheduled_for, status, host, pid, finished_at, error, idempotency_key, manual)
    values (p_bot, p_job, p_scheduled_for, 'skipped', p_host, p_pid, v_now, 'previous run still going (overlap: skip)', v_key, p_manual)
    on conflict (bot, job, scheduled_for) do nothing
    returning id into v_id;
    return query select v_id, false, (case when v_id is null then 'taken' else 'overlap' end)::text, v_key, v_now;
    return;
  end if;
  insert into cron_runs (bot, job, scheduled_for, status, host, pid, lease_until, started_at, idempotency_key, manual)
  values (p_bot, p_job, p_scheduled_for, 'running', p_host, p_pid,
          v_now + make_interval(secs => p_lease_seconds::double precision), v_now, v_key, p_manual)
  on conflict (bot, job, scheduled_for) do nothing
  returning id into v_id;
  return query select v_id, v_id is not null, (case when v_id is null then 'taken' else 'claimed' end)::text, v_key, v_now;
end
$$;

-- Keep a running run's lease alive; false when it is no longer ours to run.
create function renew_cron_lease(p_run_id uuid, p_lease_seconds numeric default 30)
returns table (renewed boolean)
language sql as $$
  with updated as (
    update cron_runs r set lease_until = clock_timestamp() + make_interval(secs => p_lease_seconds::double precision)
     where r.id = p_run_id and r.status = 'running'
    returning 1)
  select exists (select 1 from updated);
$$;

-- Finish a run; returns how many runs of this job have failed in a row (for the job_failed signal).
create function finish_cron_run(p_run_id uuid, p_status text, p_error text default null, p_cost_usd numeric default 0)
returns table (finished boolean, consecutive_failures integer)
language plpgsql as $$
#variable_conflict use_column
declare v_bot text; v_job text; v_failures integer;
begin
  update cron_runs r
     set status = p_status, error = left(p_error, 4000), finished_at = clock_timestamp(), lease_until = null,
         cost_usd = r.cost_usd + coalesce(p_cost_usd, 0)
   where r.id = p_run_id and r.status = 'running'
  returning r.bot, r.job into v_bot, v_job;
  if v_bot is null then
    return query select false, 0;
    return;
  end if;
  -- Count failures since the last success.
  select count(*) into v_failures from cron_runs r
   where r.bot = v_bot and r.job = v_job and r.status in ('failed', 'timed_out', 'abandoned')
     and r.finished_at > coalesce((select max(s.finished_at) from cron_runs s
                                    where s.bot = v_bot and s.job = v_job and s.status = 'succeeded'), '-infinity');
  return query select true, v_failures;
end
$$;

-- Runs whose process died (lease expired while running) become abandoned. Each row is returned
-- to exactly one caller, which reports it and decides the retry.
create function reap_abandoned_runs(p_bot text)
returns table (run_id uuid, job text, scheduled_for timestamptz, attempt integer, host text)
language sql as $$
  update cron_runs r
     set status = 'abandoned', finished_at = clock_timestamp(), error = 'lease expired: the process running it stopped (crash or kill)',
         lease_until = null
   where r.id in (select c.id from cron_runs c where c.bot = p_bot and c.status = 'running' and c.lease_until < clock_timestamp()
                   for update skip locked)
  returning r.id, r.job, r.scheduled_for, r.attempt, r.host;
$$;

-- Start the next attempt of a finished failed/timed-out/abandoned run (same row, same key).
create function retry_cron_run(p_run_id uuid, p_host text, p_pid integer, p_lease_seconds numeric default 30, p_max_attempts integer default 1)
returns table (run_id uuid, attempt integer, idempotency_key text, scheduled_for timestamptz, manual boolean)
language sql as $$
  update cron_runs r
     set status = 'running', attempt = r.attempt + 1, host = p_host, pid = p_pid, error = null, finished_at = null,
         started_at = clock_timestamp(), lease_until = clock_timestamp() + make_interval(secs => p_lease_seconds::double precision)
   where r.id = p_run_id and r.status in ('failed', 'timed_out', 'abandoned') and r.attempt < p_max_attempts
  returning r.id, r.attempt, r.idempotency_key, r.scheduled_for, r.manual;
$$;

-- Leave a visible row for a tick nobody ran. inserted=false: some process did claim it.
create function record_missed_run(p_bot text, p_job text, p_scheduled_for timestamptz, p_host text, p_reason text default null)
returns table (run_id uuid, inserted boolean)
language plpgsql as $$
declare v_id uuid;
begin
  insert into cron_runs (bot, job, scheduled_for, status, host, finished_at, error, idempotency_key)
  values (p_bot, p_job, p_scheduled_for, 'missed', p_host, clock_timestamp(), coalesce(p_reason, 'no process claimed this tick'),
          p_bot || '/' || p_job || '/' || to_char(p_scheduled_for at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
  on conflict (bot, job, scheduled_for) do nothing
  returning id into v_id;
  return query select v_id, v_id is not null;
end
$$;

-- The latest scheduled (non-manual) tick recorded for a job: where the missed-tick sweep resumes.
create function last_cron_tick(p_bot text, p_job text)
returns table (scheduled_for timestamptz)
language sql stable as $$
  select max(r.scheduled_for) from cron_runs r where r.bot = p_bot and r.job = p_job and not r.manual;
$$;

-- Ticks already recorded in a window (the sweep compares them with the cron expression).
create function cron_ticks_between(p_bot text, p_job text, p_from timestamptz, p_to timestamptz)
returns table (scheduled_for timestamptz)
language sql stable as $$
  select r.scheduled_for from cron_runs r
   where r.bot = p_bot and r.job = p_job and not r.manual and r.scheduled_for >= p_from and r.scheduled_for <= p_to;
$$;

-- `fleet run <bot>/<job>`: ask the bot to run a job now; its scheduler claims it like a tick.
create function request_manual_run(p_bot text, p_job text, p_requested_by text default 'cli')
returns table (run_id uuid, scheduled_for timestamptz)
language plpgsql as $$
declare v_id uuid; v_at timestamptz := date_trunc('milliseconds', clock_timestamp());
begin
  insert into cron_runs (bot, job, scheduled_for, status, manual, requested_by, idempotency_key)
  values (p_bot, p_job, v_at, 'requested', true, p_requested_by,
          p_bot || '/' || p_job || '/manual/' || to_char(v_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
  returning id into v_id;
  perform pg_notify('cron_requests', p_bot);
  return query select v_id, v_at;
end
$$;

-- A bot's scheduler takes its requested manual runs (each exactly once).
create function claim_manual_runs(p_bot text, p_host text, p_pid integer, p_lease_seconds numeric default 30)
returns table (run_id uuid, job text, scheduled_for timestamptz, idempotency_key text, attempt integer)
language sql as $$
  update cron_runs r
     set status = 'running', host = p_host, pid = p_pid, started_at = clock_timestamp(),
         lease_until = clock_timestamp() + make_interval(secs => p_lease_seconds::double precision)
   where r.id in (select c.id from cron_runs c where c.bot = p_bot and c.status = 'requested' for update skip locked)
  returning r.id, r.job, r.scheduled_for, r.idempotency_key, r.attempt;
$$;

create function list_cron_runs(
  p_bot text default null, p_job text default null, p_status text default null, p_since timestamptz default null, p_limit integer default 50
) returns table (run_id uuid, bot text, job text, scheduled_for timestamptz, status text, manual boolean, host text, attempt integer,
                 started_at timestamptz, finished_at timestamptz, error text, cost_usd numeric)
language sql stable as $$
  select r.id, r.bot, r.job, r.scheduled_for, r.status, r.manual, r.host, r.attempt, r.started_at, r.finished_at, r.error, r.cost_usd
    from cron_runs r
   where (p_bot is null or r.bot = p_bot) and (p_job is null or r.job = p_job)
     and (p_status is null or r.status = p_status) and (p_since is null or r.scheduled_for >= p_since)
   order by r.scheduled_for desc
   limit p_limit;
$$;

-- Latest status per job (for `fleet crons`).
create function last_cron_statuses()
returns table (bot text, job text, scheduled_for timestamptz, status text)
language sql stable as $$
  select distinct on (r.bot, r.job) r.bot, r.job, r.scheduled_for, r.status
    from cron_runs r order by r.bot, r.job, r.scheduled_for desc;
$$;
