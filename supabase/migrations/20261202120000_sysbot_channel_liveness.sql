-- sysbot/channel-liveness: operator lines that have not gone out. Telegram: outbox lines still
-- queued (or being sent) whose queue time is older than p_older_than; Discord: posts that failed
-- since then (channel_messages keeps the failed attempt). One row per channel with any.
create function channel_outbound_backlog(p_older_than timestamptz, p_failed_since timestamptz)
returns table (channel text, pending integer, oldest_at timestamptz, last_error text)
language sql stable as $$
  select 'telegram'::text, count(*)::integer, min(o.created_at),
         (array_agg(o.error order by o.id desc) filter (where o.error is not null))[1]
    from telegram_outbox o
   where o.status in ('queued', 'sending') and o.created_at < p_older_than
  having count(*) > 0
  union all
  select 'discord'::text, count(*)::integer, min(m.created_at),
         (array_agg(m.error order by m.created_at desc) filter (where m.error is not null))[1]
    from channel_messages m
   where m.channel = 'discord' and m.status = 'failed' and m.created_at >= p_failed_since
  having count(*) > 0;
$$;
