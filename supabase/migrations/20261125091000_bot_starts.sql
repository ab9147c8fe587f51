-- The shared brain: every start of a bot process, so the fleet monitor can tell a bot that keeps
-- restarting (crash loop under systemd or the local supervisor) from one that is merely up.

create table bot_starts (
  bot text not null,
  host text not null,
  started_at timestamptz not null,
  pid integer not null,
  primary key (bot, host, started_at)
);

-- Same contract as before; a heartbeat carrying a new started_at also records the start.
create or replace function beat_heartbeat(
  p_bot text, p_host text, p_pid integer, p_version text, p_started_at timestamptz,
  p_status text default 'running', p_detail jsonb default '{}'::jsonb
) returns table (db_now timestamptz)
language sql as $$
  insert into bot_starts (bot, host, started_at, pid) values (p_bot, p_host, p_started_at, p_pid)
  on conflict do nothing;
  insert into bot_heartbeats as h (bot, host, pid, version, started_at, last_seen, status, detail)
  values (p_bot, p_host, p_pid, p_version, p_started_at, now(), p_status, coalesce(p_detail, '{}'::jsonb))
  on conflict (bot, host) do update
     set pid = excluded.pid, version = excluded.version, started_at = excluded.started_at,
         last_seen = excluded.last_seen, status = excluded.status, detail = excluded.detail;
  select clock_timestamp();
$$;

-- Starts per bot and host since a time (the fleet monitor's restart check).
create function recent_bot_starts(p_since timestamptz)
returns table (bot text, host text, starts bigint, last_started_at timestamptz)
language sql stable as $$
  select s.bot, s.host, count(*), max(s.started_at) from bot_starts s
   where s.started_at >= p_since group by s.bot, s.host order by s.bot, s.host;
$$;
