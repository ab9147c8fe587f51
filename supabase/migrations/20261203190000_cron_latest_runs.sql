-- `fleet crons` and the dashboard's runs panel read each job's last run. A loose index scan over
-- cron_runs still cost jobs × log(runs) and grew with history (1.35 ms empty, 2.12 ms with 500k
-- runs: 1.57×, over the issue's 1.5× goal). The last run per job is now kept in a row of its own,
-- written by the runs themselves, so reading it does not depend on history at all.
create table cron_latest_runs (
  bot text not null,
  job text not null,
  scheduled_for timestamptz not null,
  status text not null,
  primary key (bot, job)
);

-- Every write of a run offers itself as its job's latest; an older run finishing late does not
-- replace a newer one (scheduled_for decides, as the scan did).
create function cron_latest_runs_track() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  insert into cron_latest_runs as l (bot, job, scheduled_for, status)
  values (new.bot, new.job, new.scheduled_for, new.status)
  on conflict (bot, job) do update set scheduled_for = excluded.scheduled_for, status = excluded.status
   where l.scheduled_for <= excluded.scheduled_for;
  return null;
end;
$$;

-- Deleting a job's latest run (retention keeps it, but a person may delete runs) falls back to the
-- newest run left, or forgets the job.
create function cron_latest_runs_forget() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  delete from cron_latest_runs l where l.bot = old.bot and l.job = old.job and l.scheduled_for = old.scheduled_for;
  if found then
    insert into cron_latest_runs (bot, job, scheduled_for, status)
    select r.bot, r.job, r.scheduled_for, r.status from cron_runs r
     where r.bot = old.bot and r.job = old.job order by r.scheduled_for desc limit 1
    on conflict (bot, job) do nothing;
  end if;
  return null;
end;
$$;

create function cron_latest_runs_clear() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  truncate cron_latest_runs;
  return null;
end;
$$;

create trigger cron_runs_latest_write after insert or update of status, scheduled_for on cron_runs
  for each row execute function cron_latest_runs_track();
create trigger cron_runs_latest_delete after delete on cron_runs
  for each row execute function cron_latest_runs_forget();
create trigger cron_runs_latest_truncate after truncate on cron_runs
  for each statement execute function cron_latest_runs_clear();

insert into cron_latest_runs (bot, job, scheduled_for, status)
select distinct on (r.bot, r.job) r.bot, r.job, r.scheduled_for, r.status
  from cron_runs r order by r.bot, r.job, r.scheduled_for desc;

create or replace function last_cron_statuses()
returns table (bot text, job text, scheduled_for timestamptz, status text)
language sql stable as $$
  select l.bot, l.job, l.scheduled_for, l.status from cron_latest_runs l order by l.bot, l.job;
$$;
