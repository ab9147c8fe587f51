-- jbot sends only to the operator's chats. A line queued for any other chat (an
-- operator_instruction payload naming a chat, a bug) is refused by the dispatcher: the row ends
-- failed with the reason, so `fleet` shows it and it is never retried or sent.
create function refuse_telegram_outbox(p_outbox_ids bigint[], p_error text)
returns integer
language sql as $$
  with refused as (
    update telegram_outbox o
       set status = 'failed', error = p_error, available_at = now()
     where o.id = any(p_outbox_ids) and o.status in ('queued', 'sending')
    returning o.id
  )
  select count(*)::integer from refused;
$$;
