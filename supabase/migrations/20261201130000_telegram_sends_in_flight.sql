-- A reply can reach jbot before the message it answers is recorded: Telegram shows a message the
-- moment it accepts it, and the dispatcher records its message id (record_telegram_send) only
-- after the send call returns. While a send to the chat is in flight (claimed, lease not run out)
-- the operator inbox waits for that record instead of treating the reply as free-form text.
create function telegram_sends_in_flight(p_chat_id text)
returns table (sends integer)
language sql stable as $$
  select count(*)::integer
    from telegram_outbox o
   where o.chat_id = p_chat_id and o.status = 'sending' and o.available_at > now();
$$;
