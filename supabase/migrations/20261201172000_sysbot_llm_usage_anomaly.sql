-- sysbot/llm-usage-anomaly: each job's model use in one hour against its own hourly history.
-- tokens = input + output + cache writes + cache reads of settled calls (refused calls cost nothing).
-- baseline_tokens: the job's busiest hour in [p_since, p_from); busiest_run: the run of this hour
-- with the most model calls (a tool loop that keeps going shows up there).
create function llm_usage_by_job_hour(p_from timestamptz, p_to timestamptz, p_since timestamptz)
returns table (
  bot text, job text, tokens_hour bigint, cost_usd numeric, calls integer,
  baseline_tokens bigint, busiest_run text, busiest_run_calls integer
)
language sql stable as $$
  with settled as (
    select u.bot, coalesce(u.job, '(none)') as job, u.run_id, u.created_at, u.cost_usd,
           (u.input_tokens + u.output_tokens + u.cache_write_tokens + u.cache_read_tokens)::bigint as tokens
      from llm_usage u where u.status = 'settled' and u.created_at >= p_since and u.created_at < p_to
  ), this_hour as (
    select s.bot, s.job, sum(s.tokens)::bigint as tokens, sum(s.cost_usd) as cost, count(*)::integer as calls
      from settled s where s.created_at >= p_from group by s.bot, s.job
  ), history as (
    select h.bot, h.job, max(h.tokens)::bigint as baseline
      from (select s.bot, s.job, date_trunc('hour', s.created_at) as hour, sum(s.tokens) as tokens
              from settled s where s.created_at < p_from group by 1, 2, 3) h
     group by h.bot, h.job
  ), runs as (
    select distinct on (s.bot, s.job) s.bot, s.job, s.run_id, count(*)::integer as calls
      from settled s where s.created_at >= p_from and s.run_id is not null
     group by s.bot, s.job, s.run_id
     order by s.bot, s.job, count(*) desc, s.run_id
  )
  select t.bot, t.job, t.tokens, t.cost, t.calls, coalesce(h.baseline, 0), r.run_id, coalesce(r.calls, 0)
    from this_hour t
    left join history h on h.bot = t.bot and h.job = t.job
    left join runs r on r.bot = t.bot and r.job = t.job
   order by t.cost desc, t.bot, t.job;
$$;
