-- The `pnpm start` terminal is the local Telegram: a line typed there is a reply to the latest
-- answerable line jbot printed, resolved exactly like a Telegram reply. Local lines are recorded
-- with channel 'local' (no Bot API behind them) under the local chat id, which no real Telegram
-- chat can have; the newest row wins should a restarted local transport reuse a message id.

create or replace function resolve_telegram_reply(p_chat_id text, p_external_message_id text)
returns table (message_id uuid, signal_id uuid, approval_id uuid, body jsonb, source_bot text)
language sql stable as $$
  select m.id, m.signal_id, m.approval_id, m.body, s.source_bot
    from channel_messages m left join bot_signals s on s.id = m.signal_id
   where m.channel in ('telegram', 'local') and m.target = p_chat_id and m.external_message_id = p_external_message_id
   order by m.created_at desc
   limit 1;
$$;
