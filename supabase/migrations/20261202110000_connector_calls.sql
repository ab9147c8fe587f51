-- Every connector call the fleet makes (live vendor and sample company alike), written in one
-- place in @jbot/connectors and read by sysbot/connector-health. Outcome and timing only: no
-- arguments, no payloads, no error messages (they can carry secrets or customer data).
create table connector_calls (
  id bigint generated always as identity primary key,
  called_at timestamptz not null default clock_timestamp(),
  bot text,
  job text,
  run_id text,
  -- The ctx.connectors key ("crm", "commerce") and the adapter's source ("sample", "hubspot").
  connector text not null,
  source text not null,
  operation text not null,
  outcome text not null check (outcome in ('ok', 'error', 'timeout', 'auth', 'rate_limited', 'server_error')),
  http_status integer,
  error_code text,
  latency_ms integer not null check (latency_ms >= 0),
  -- Share of the vendor's rate limit still available after the call (0–100), where the adapter reports it.
  rate_limit_remaining_pct numeric(5, 2) check (rate_limit_remaining_pct between 0 and 100)
);
create index connector_calls_recent on connector_calls (called_at, connector);

-- Record one call. The outcome follows from the HTTP status where there is one, so every adapter
-- classifies the same way: 401/403 auth, 429 rate limited (no headroom left), 5xx server error.
create function record_connector_call(
  p_connector text, p_source text, p_operation text, p_ok boolean, p_latency_ms integer,
  p_bot text default null, p_job text default null, p_run_id text default null,
  p_http_status integer default null, p_error_code text default null, p_timed_out boolean default false,
  p_rate_limit_remaining_pct numeric default null, p_called_at timestamptz default null
) returns bigint
language sql as $$
  insert into connector_calls (called_at, bot, job, run_id, connector, source, operation, outcome, http_status,
                               error_code, latency_ms, rate_limit_remaining_pct)
  values (coalesce(p_called_at, clock_timestamp()), p_bot, p_job, p_run_id, p_connector, p_source, p_operation,
          case
            when p_ok then 'ok'
            when p_timed_out then 'timeout'
            when p_http_status in (401, 403) then 'auth'
            when p_http_status = 429 then 'rate_limited'
            when p_http_status >= 500 then 'server_error'
            else 'error'
          end,
          p_http_status, left(p_error_code, 80), greatest(p_latency_ms, 0),
          case when p_http_status = 429 then 0 else p_rate_limit_remaining_pct end)
  returning id;
$$;

-- Per connector and source: the last window's calls, auth failures, server errors and timeouts,
-- p95 latency against the baseline days' p95 (before the window), and how many of the last
-- p_windows windows ran with less than p_headroom_pct of the rate limit left (a 429 counts as 0).
create function connector_call_summary(
  p_now timestamptz default now(), p_window_minutes integer default 15, p_windows integer default 3,
  p_headroom_pct numeric default 10, p_baseline_days integer default 7
) returns table (
  connector text, source text, calls integer, auth_failures integer, last_auth_status integer,
  failures integer, failure_rate double precision, first_failure_at timestamptz,
  low_headroom_windows integer, min_headroom_pct double precision,
  p95_latency_ms double precision, baseline_p95_latency_ms double precision, baseline_calls integer
)
language sql stable as $$
  with recent as (
    select c.*, floor(extract(epoch from (p_now - c.called_at)) / (p_window_minutes * 60))::integer as window_index
      from connector_calls c
     where c.called_at > p_now - make_interval(mins => p_window_minutes * greatest(p_windows, 1)) and c.called_at <= p_now
  ),
  keys as (
    select distinct c.connector, c.source from connector_calls c
     where c.called_at > p_now - make_interval(mins => p_window_minutes * greatest(p_windows, 1)) and c.called_at <= p_now
  ),
  headroom as (
    select r.connector, r.source, r.window_index, min(r.rate_limit_remaining_pct) as low
      from recent r where r.rate_limit_remaining_pct is not null group by 1, 2, 3
  )
  select k.connector, k.source,
         (select count(*)::integer from recent r where r.connector = k.connector and r.source = k.source and r.window_index = 0),
         (select count(*)::integer from recent r where r.connector = k.connector and r.source = k.source and r.window_index = 0 and r.outcome = 'auth'),
         (select r.http_status from recent r where r.connector = k.connector and r.source = k.source and r.window_index = 0 and r.outcome = 'auth'
           order by r.called_at desc limit 1),
         (select count(*)::integer from recent r where r.connector = k.connector and r.source = k.source and r.window_index = 0
             and r.outcome in ('server_error', 'timeout')),
         coalesce((select avg(case when r.outcome in ('server_error', 'timeout') then 1.0 else 0.0 end)::double precision
                     from recent r where r.connector = k.connector and r.source = k.source and r.window_index = 0), 0),
         (select min(r.called_at) from recent r where r.connector = k.connector and r.source = k.source and r.window_index = 0
             and r.outcome in ('server_error', 'timeout', 'auth', 'rate_limited')),
         (select count(*)::integer from headroom h where h.connector = k.connector and h.source = k.source and h.low < p_headroom_pct),
         (select min(h.low)::double precision from headroom h where h.connector = k.connector and h.source = k.source),
         (select percentile_cont(0.95) within group (order by r.latency_ms)::double precision
            from recent r where r.connector = k.connector and r.source = k.source and r.window_index = 0),
         (select percentile_cont(0.95) within group (order by b.latency_ms)::double precision
            from connector_calls b
           where b.connector = k.connector and b.source = k.source and b.outcome = 'ok'
             and b.called_at > p_now - make_interval(days => p_baseline_days)
             and b.called_at <= p_now - make_interval(mins => p_window_minutes)),
         (select count(*)::integer from connector_calls b
           where b.connector = k.connector and b.source = k.source and b.outcome = 'ok'
             and b.called_at > p_now - make_interval(days => p_baseline_days)
             and b.called_at <= p_now - make_interval(mins => p_window_minutes))
    from keys k
   order by k.connector, k.source;
$$;

-- Calls older than the baseline are history; sysbot prunes them so the log stays small.
create function prune_connector_calls(p_before timestamptz) returns integer
language sql as $$
  with gone as (delete from connector_calls where called_at < p_before returning 1)
  select count(*)::integer from gone;
$$;
