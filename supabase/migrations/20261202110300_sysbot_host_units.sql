-- sysbot/host-health: the jbot@ systemd units each host's bots report in their heartbeats
-- (HOST_SYSTEMD_UNITS), one row per host and unit from the freshest report.
create function host_unit_states(p_fresh_seconds integer default 120)
returns table (host text, unit text, active text, sub text, reported_at timestamptz)
language sql stable as $$
  select distinct on (h.host, u ->> 'unit') h.host, u ->> 'unit', u ->> 'active', u ->> 'sub', h.last_seen
    from bot_heartbeats h
   cross join lateral jsonb_array_elements(coalesce(h.detail #> '{host_metrics,units}', '[]'::jsonb)) as u
   where h.status = 'running' and h.last_seen > clock_timestamp() - make_interval(secs => p_fresh_seconds)
   order by h.host, u ->> 'unit', h.last_seen desc;
$$;
