-- The shared brain, part 2: one heartbeat row per bot process placement (bot, host).

create table bot_heartbeats (
  bot text not null,
  host text not null,
  pid integer not null,
  version text not null default '0.0.0',
  started_at timestamptz not null default now(),
  last_seen timestamptz not null default now(),
  status text not null default 'running'
    check (status in ('starting', 'running', 'stopping', 'stopped', 'crashed')),
  detail jsonb not null default '{}'::jsonb,
  primary key (bot, host)
);

-- Upsert the heartbeat and return the database clock, so a process can measure its own skew.
create function beat_heartbeat(
  p_bot text, p_host text, p_pid integer, p_version text, p_started_at timestamptz,
  p_status text default 'running', p_detail jsonb default '{}'::jsonb
) returns table (db_now timestamptz)
language sql as $$
  insert into bot_heartbeats as h (bot, host, pid, version, started_at, last_seen, status, detail)
  values (p_bot, p_host, p_pid, p_version, p_started_at, now(), p_status, coalesce(p_detail, '{}'::jsonb))
  on conflict (bot, host) do update
     set pid = excluded.pid, version = excluded.version, started_at = excluded.started_at,
         last_seen = excluded.last_seen, status = excluded.status, detail = excluded.detail;
  select clock_timestamp();
$$;

create function fleet_heartbeats()
returns table (
  bot text, host text, pid integer, version text, started_at timestamptz, last_seen timestamptz,
  status text, detail jsonb, seconds_since_seen double precision
)
language sql stable as $$
  select h.bot, h.host, h.pid, h.version, h.started_at, h.last_seen, h.status, h.detail,
         extract(epoch from (clock_timestamp() - h.last_seen))::double precision
    from bot_heartbeats h
   order by h.bot, h.host;
$$;
