-- A deliberate stop is recorded, so the ticks a bot misses while it is stopped on purpose
-- (Ctrl-C of the local fleet, systemctl stop: the bot marks its heartbeat 'stopping', then
-- 'stopped') show in `fleet runs` as one quiet row per job and gap, and page nobody. A crash or a
-- host that died writes no 'stopped' heartbeat: its missed ticks still raise job_missed.

-- One row per stopped process (bot, host, the process's started_at). stopping_at: when it began
-- to stop (its triggers go quiet from here); stopped_at: set once it finished cleanly.
create table bot_stops (
  bot text not null,
  host text not null,
  started_at timestamptz not null,
  pid integer not null,
  stopping_at timestamptz not null,
  stopped_at timestamptz,
  primary key (bot, host, started_at)
);

-- A trigger, not a change to beat_heartbeat, so any later version of that function keeps
-- recording stops.
create function record_bot_stop() returns trigger
language plpgsql as $$
begin
  insert into bot_stops (bot, host, started_at, pid, stopping_at, stopped_at)
  values (new.bot, new.host, new.started_at, new.pid, new.last_seen,
          case when new.status = 'stopped' then new.last_seen end)
  on conflict (bot, host, started_at) do update
     set stopped_at = coalesce(bot_stops.stopped_at, excluded.stopped_at);
  return new;
end
$$;

create trigger bot_heartbeats_record_stop
  after insert or update on bot_heartbeats
  for each row when (new.status in ('stopping', 'stopped'))
  execute function record_bot_stop();

-- A bot's starts and completed deliberate stops since p_since, oldest first, plus each host's
-- last event before p_since (so a stop long before the window still counts). The scheduler
-- decides from these whether the bot was down on purpose at a given tick.
create function bot_lifecycle(p_bot text, p_since timestamptz)
returns table (host text, event text, at timestamptz)
language sql stable as $$
  with events as (
    select s.host, 'start'::text as event, s.started_at as at from bot_starts s where s.bot = p_bot
    union all
    select t.host, 'stop'::text, t.stopping_at from bot_stops t where t.bot = p_bot and t.stopped_at is not null
  ),
  before_window as (
    select distinct on (e.host) e.host, e.event, e.at from events e where e.at < p_since order by e.host, e.at desc
  )
  select * from before_window
  union all
  select e.host, e.event, e.at from events e where e.at >= p_since
  order by 3, 2;
$$;

-- A quiet gap row covers the ticks from its scheduled_for to covers_until (covers_ticks of them).
alter table cron_runs add column if not exists covers_until timestamptz;
alter table cron_runs add column if not exists covers_ticks integer;

-- Record ticks missed while the bot was stopped on purpose: one `missed` row per job and gap.
-- When the gap already recorded ends at p_previous_tick (the job's tick just before p_first),
-- it is extended instead, so the sweeps after a restart keep one row. No signal is raised.
create function record_quiet_gap(
  p_bot text, p_job text, p_first timestamptz, p_last timestamptz, p_ticks integer, p_previous_tick timestamptz, p_host text
) returns table (run_id uuid, extended boolean)
language plpgsql as $$
#variable_conflict use_column
declare
  v_id uuid;
  v_first timestamptz;
  v_ticks integer;
  v_extended boolean := true;
begin
  perform pg_advisory_xact_lock(hashtextextended('cron_runs:' || p_bot || '/' || p_job, 0));
  update cron_runs r
     set covers_until = greatest(r.covers_until, p_last), covers_ticks = r.covers_ticks + p_ticks, finished_at = clock_timestamp()
   where r.bot = p_bot and r.job = p_job and r.covers_until = p_previous_tick and r.covers_until < p_last
  returning r.id, r.scheduled_for, r.covers_ticks into v_id, v_first, v_ticks;
  if v_id is null then
    v_extended := false;
    -- Two copies may sweep the same gap with different ends: the wider one wins.
    insert into cron_runs as r (bot, job, scheduled_for, status, host, finished_at, idempotency_key, covers_until, covers_ticks)
    values (p_bot, p_job, p_first, 'missed', p_host, clock_timestamp(),
            p_bot || '/' || p_job || '/' || to_char(p_first at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p_last, p_ticks)
    on conflict (bot, job, scheduled_for) do update
       set covers_until = greatest(r.covers_until, excluded.covers_until), covers_ticks = greatest(r.covers_ticks, excluded.covers_ticks)
     where r.covers_until is not null
    returning r.id, r.scheduled_for, r.covers_ticks into v_id, v_first, v_ticks;
    if v_id is null then
      return; -- a real run holds that tick: nothing to record
    end if;
  end if;
  update cron_runs r
     set error = format('stopped on purpose: %s tick%s not run, %s to %s', v_ticks, case when v_ticks = 1 then '' else 's' end,
                        to_char(v_first at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS"Z"'),
                        to_char(r.covers_until at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS"Z"'))
   where r.id = v_id;
  return query select v_id, v_extended;
end
$$;

-- The quiet gaps of a job overlapping [p_from, p_to]: the sweep counts the ticks they cover as seen.
create function cron_gaps_between(p_bot text, p_job text, p_from timestamptz, p_to timestamptz)
returns table (scheduled_for timestamptz, covers_until timestamptz)
language sql stable as $$
  select r.scheduled_for, r.covers_until from cron_runs r
   where r.bot = p_bot and r.job = p_job and r.covers_until is not null
     and r.covers_until >= p_from and r.scheduled_for <= p_to;
$$;

-- Same contract as before; a quiet gap counts up to the last tick it covers, so a restart's
-- sweep resumes after it.
create or replace function last_cron_tick(p_bot text, p_job text)
returns table (scheduled_for timestamptz)
language sql stable as $$
  select max(coalesce(r.covers_until, r.scheduled_for)) from cron_runs r where r.bot = p_bot and r.job = p_job and not r.manual;
$$;
