-- sysbot/host-health: each run copies every live heartbeat's host metrics into a sample row, so
-- "memory ≥ 90% for 10 minutes" and "a bot's RSS > 2 × its 7-day median" have a history to read.
create table host_health_samples (
  id bigint generated always as identity primary key,
  sampled_at timestamptz not null,
  host text not null,
  bot text not null,
  rss_mb double precision,
  disk_used_pct double precision,
  mem_used_pct double precision,
  load1 double precision,
  cpus integer,
  clock_skew_ms double precision
);
create index host_health_samples_host on host_health_samples (host, sampled_at);

-- One sample per running, fresh heartbeat at p_sampled_at (once per tick: a retried run of the
-- same tick does not double the history). Samples older than p_keep_days go.
create function record_host_health_samples(p_sampled_at timestamptz, p_fresh_seconds integer default 120, p_keep_days integer default 8)
returns integer
language plpgsql as $$
declare
  v_count integer;
begin
  delete from host_health_samples where sampled_at < p_sampled_at - make_interval(days => p_keep_days);
  if exists (select 1 from host_health_samples s where s.sampled_at = p_sampled_at) then
    return 0;
  end if;
  insert into host_health_samples (sampled_at, host, bot, rss_mb, disk_used_pct, mem_used_pct, load1, cpus, clock_skew_ms)
  select p_sampled_at, h.host, h.bot,
         (h.detail ->> 'rss_mb')::double precision,
         (h.detail #>> '{host_metrics,disk_used_pct}')::double precision,
         (h.detail #>> '{host_metrics,mem_used_pct}')::double precision,
         (h.detail #>> '{host_metrics,load1}')::double precision,
         (h.detail #>> '{host_metrics,cpus}')::integer,
         (h.detail ->> 'clock_skew_ms')::double precision
    from bot_heartbeats h
   where h.status = 'running' and h.last_seen > clock_timestamp() - make_interval(secs => p_fresh_seconds);
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

-- Per host and bot at p_now: the latest sample, the host's memory over the last p_memory_minutes
-- (lowest reading and the span the samples cover) and the bot's median RSS over p_rss_days
-- before this sample.
create function host_health_report(p_now timestamptz, p_memory_minutes integer default 10, p_rss_days integer default 7)
returns table (
  host text, bot text, rss_mb double precision, disk_used_pct double precision, mem_used_pct double precision,
  load1 double precision, cpus integer, clock_skew_ms double precision,
  mem_low_pct double precision, mem_span_seconds double precision, rss_median_mb double precision, rss_samples integer
)
language sql stable as $$
  select s.host, s.bot, s.rss_mb, s.disk_used_pct, s.mem_used_pct, s.load1, s.cpus, s.clock_skew_ms,
         (select min(m.mem_used_pct) from host_health_samples m
           where m.host = s.host and m.sampled_at > p_now - make_interval(mins => p_memory_minutes) - interval '3 minutes' and m.sampled_at <= p_now),
         (select extract(epoch from max(m.sampled_at) - min(m.sampled_at))::double precision from host_health_samples m
           where m.host = s.host and m.sampled_at > p_now - make_interval(mins => p_memory_minutes) - interval '3 minutes' and m.sampled_at <= p_now),
         (select percentile_cont(0.5) within group (order by r.rss_mb)::double precision from host_health_samples r
           where r.host = s.host and r.bot = s.bot and r.sampled_at < s.sampled_at and r.sampled_at > p_now - make_interval(days => p_rss_days)),
         (select count(*)::integer from host_health_samples r
           where r.host = s.host and r.bot = s.bot and r.sampled_at < s.sampled_at and r.sampled_at > p_now - make_interval(days => p_rss_days))
    from host_health_samples s
   where s.sampled_at = (select max(l.sampled_at) from host_health_samples l where l.sampled_at <= p_now)
   order by s.host, s.bot;
$$;
