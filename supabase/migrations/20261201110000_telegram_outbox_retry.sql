-- Telegram outbox retries that never drop an operator line (issue 13, point 4).
--
-- Before: a line failed for good after 10 sends (2 s doubling to 300 s, ~13.5 minutes of Telegram
-- errors) and a 429's retry_after was ignored. Now a failed send goes back to the queue with a
-- capped backoff, for as long as it takes, or exactly after Telegram's retry_after (the chat
-- waits too); a line still undelivered after a while is raised once, whichever host sees it first.
-- Every function takes an optional p_now so tests run hours of outage on an injected clock;
-- without it the database clock decides, as before.

-- When a line undelivered for too long was raised on the work floor (once per line).
alter table telegram_outbox add column raised_at timestamptz;

-- claim_telegram_outbox as before, plus p_now (the moment "due" is judged at).
drop function claim_telegram_outbox(integer, numeric, integer, integer);
create function claim_telegram_outbox(
  p_min_interval_ms integer default 1000,
  p_lease_seconds numeric default 30,
  p_max_per_chat integer default 20,
  p_chat_limit integer default 100,
  p_now timestamptz default null
) returns table (
  outbox_id bigint, chat_id text, bot text, text text, body jsonb, signal_id uuid, approval_id uuid,
  reply_to_external_message_id text, attempts integer, repeat_count integer, severity signal_severity
)
language plpgsql as $$
#variable_conflict use_column
declare
  v_now timestamptz := coalesce(p_now, now());
begin
  return query
  with chats as (
    select c.chat_id from telegram_chats c
     where c.next_send_at <= v_now
       and exists (select 1 from telegram_outbox o
                    where o.chat_id = c.chat_id and o.status in ('queued', 'sending') and o.available_at <= v_now)
     order by c.next_send_at
     limit p_chat_limit
       for update skip locked
  ),
  paced as (
    update telegram_chats c
       set next_send_at = coalesce(p_now, clock_timestamp()) + make_interval(secs => p_min_interval_ms::double precision / 1000)
      from chats where c.chat_id = chats.chat_id
    returning c.chat_id
  ),
  picked as (
    select ranked.id, ranked.signal_id from (
      select o.id, o.signal_id, row_number() over (partition by o.chat_id order by o.id) as position
        from telegram_outbox o join paced p on p.chat_id = o.chat_id
       where o.status in ('queued', 'sending') and o.available_at <= v_now) ranked
     where ranked.position <= p_max_per_chat
  )
  update telegram_outbox o
     set status = 'sending', attempts = o.attempts + 1,
         available_at = coalesce(p_now, clock_timestamp()) + make_interval(secs => p_lease_seconds::double precision)
    from picked left join bot_signals s on s.id = picked.signal_id
   where o.id = picked.id
  returning o.id, o.chat_id, o.bot, o.text, o.body, o.signal_id, o.approval_id, o.reply_to_external_message_id,
            o.attempts, coalesce(s.repeat_count, 1), s.severity;
end
$$;

-- A send failed: back to the queue, never failed for good. With p_retry_after_ms (Telegram's 429
-- retry_after) the rows and their chat wait exactly that long; otherwise the rows back off from
-- p_backoff_base_ms doubling per attempt, capped at p_backoff_max_ms.
create function retry_telegram_outbox(
  p_outbox_ids jsonb, p_error text,
  p_retry_after_ms integer default null,
  p_backoff_base_ms integer default 2000,
  p_backoff_max_ms integer default 300000,
  p_now timestamptz default null
) returns table (outbox_id bigint, attempts integer, available_at timestamptz)
language plpgsql as $$
#variable_conflict use_column
declare
  v_now timestamptz := coalesce(p_now, now());
begin
  if p_retry_after_ms is not null then
    update telegram_chats c
       set next_send_at = greatest(c.next_send_at, v_now + make_interval(secs => p_retry_after_ms::double precision / 1000))
     where c.chat_id in (select o.chat_id from telegram_outbox o
                          where o.id in (select (jsonb_array_elements_text(p_outbox_ids))::bigint));
  end if;
  return query
  update telegram_outbox o
     set status = 'queued', error = left(p_error, 2000),
         available_at = v_now + make_interval(secs => (case
           when p_retry_after_ms is not null then p_retry_after_ms::double precision
           else least(p_backoff_max_ms::double precision,
                      p_backoff_base_ms * power(2::double precision, least(greatest(o.attempts - 1, 0), 30)))
         end) / 1000)
   where o.id in (select (jsonb_array_elements_text(p_outbox_ids))::bigint) and o.status = 'sending'
  returning o.id, o.attempts, o.available_at;
end
$$;

-- The old failure path, which gave a line up after p_max_attempts, is gone with it.
drop function fail_telegram_outbox(jsonb, text, integer, integer);

-- Lines still undelivered p_older_than_ms after they were queued, each returned once (marked
-- raised_at): the dispatcher raises them on the work floor; they stay queued and keep retrying.
create function raise_undelivered_telegram_lines(p_older_than_ms integer, p_now timestamptz default null)
returns table (outbox_id bigint, chat_id text, bot text, text text, signal_id uuid, approval_id uuid,
               attempts integer, error text, created_at timestamptz)
language sql as $$
  update telegram_outbox o
     set raised_at = coalesce(p_now, now())
   where o.status in ('queued', 'sending') and o.raised_at is null
     and o.created_at <= coalesce(p_now, now()) - make_interval(secs => p_older_than_ms::double precision / 1000)
  returning o.id, o.chat_id, o.bot, o.text, o.signal_id, o.approval_id, o.attempts, o.error, o.created_at;
$$;
