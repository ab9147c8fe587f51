-- What a job run found, next to its status: the building blocks of the catalogue's conventions
-- (post on change, skip the model on unchanged input, a recorded "nothing to report").
--   result      the job's return value (jsonb), kept small by the job
--   outcome     one line for `fleet runs`: "nothing to report", "3 findings, posted", "unchanged, skipped the model"
--   fingerprint hash of the job's input or finding set; equal to the last success → unchanged
alter table cron_runs add column if not exists result jsonb;
alter table cron_runs add column if not exists outcome text;
alter table cron_runs add column if not exists fingerprint text;

-- Record a running run's result before it is finished (only the run's own claim may write it).
create function record_cron_run_result(p_run_id uuid, p_result jsonb, p_outcome text default null, p_fingerprint text default null)
returns table (recorded boolean)
language sql as $$
  with updated as (
    update cron_runs r set result = p_result, outcome = left(p_outcome, 500), fingerprint = left(p_fingerprint, 200)
     where r.id = p_run_id and r.status = 'running'
    returning r.id
  )
  select exists (select 1 from updated);
$$;

-- The last successful run of a job before this one: what "changed since the last run" compares with.
create function last_successful_run(p_bot text, p_job text, p_before timestamptz default null)
returns table (run_id uuid, scheduled_for timestamptz, finished_at timestamptz, result jsonb, outcome text, fingerprint text)
language sql stable as $$
  select r.id, r.scheduled_for, r.finished_at, r.result, r.outcome, r.fingerprint
    from cron_runs r
   where r.bot = p_bot and r.job = p_job and r.status = 'succeeded'
     and (p_before is null or r.scheduled_for < p_before)
   order by r.scheduled_for desc
   limit 1;
$$;

-- Outcomes of listed runs (for `fleet runs`), without changing list_cron_runs' shape.
create function cron_run_outcomes(p_run_ids uuid[])
returns table (run_id uuid, outcome text, fingerprint text)
language sql stable as $$
  select r.id, r.outcome, r.fingerprint from cron_runs r where r.id = any (p_run_ids);
$$;
