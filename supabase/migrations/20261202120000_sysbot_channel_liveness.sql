-- sysbot/channel-liveness: operator lines that have not gone out, judged on the brain's clock (the
-- rows' own). Telegram: outbox lines still queued (or being sent) queued more than p_minutes ago;
-- Discord: posts that failed in the last p_minutes (channel_messages keeps the failed attempt).
-- One row per channel with any.
create function channel_outbound_backlog(p_minutes numeric)
returns table (channel text, pending integer, oldest_at timestamptz, last_error text)
language sql stable as $$
  select 'telegram'::text, count(*)::integer, min(o.created_at),
         (array_agg(o.error order by o.id desc) filter (where o.error is not null))[1]
    from telegram_outbox o
   where o.status in ('queued', 'sending') and o.created_at < now() - make_interval(mins => p_minutes::integer)
  having count(*) > 0
  union all
  select 'discord'::text, count(*)::integer, min(m.created_at),
         (array_agg(m.error order by m.created_at desc) filter (where m.error is not null))[1]
    from channel_messages m
   where m.channel = 'discord' and m.status = 'failed' and m.created_at >= now() - make_interval(mins => p_minutes::integer)
  having count(*) > 0;
$$;
