-- sysbot/cron-gap-watch: each scheduled job's run history in one read. Manual runs (`fleet run`)
-- are left out: they prove the code works, not that the schedule fires.
create function cron_job_history(p_since timestamptz, p_now timestamptz default null)
returns table (
  bot text, job text, last_success_for timestamptz, last_success_at timestamptz,
  succeeded_runs integer, p95_duration_ms double precision, last_status text, last_error text
)
language sql stable as $$
  with scheduled as (
    select r.* from cron_runs r where not r.manual and r.scheduled_for <= coalesce(p_now, clock_timestamp())
  ), success as (
    select distinct on (s.bot, s.job) s.bot, s.job, s.scheduled_for, s.finished_at
      from scheduled s where s.status = 'succeeded' order by s.bot, s.job, s.scheduled_for desc
  ), durations as (
    select d.bot, d.job, count(*)::integer as runs,
           percentile_cont(0.95) within group (order by extract(epoch from (d.finished_at - d.started_at)) * 1000) as p95
      from scheduled d
     where d.status = 'succeeded' and d.scheduled_for >= p_since and d.started_at is not null and d.finished_at is not null
     group by d.bot, d.job
  ), latest as (
    select distinct on (l.bot, l.job) l.bot, l.job, l.status, l.error
      from scheduled l where l.status <> 'requested' order by l.bot, l.job, l.scheduled_for desc
  )
  select l.bot, l.job, s.scheduled_for, s.finished_at, coalesce(d.runs, 0), d.p95, l.status, l.error
    from latest l
    left join success s on s.bot = l.bot and s.job = l.job
    left join durations d on d.bot = l.bot and d.job = l.job
   order by l.bot, l.job;
$$;
