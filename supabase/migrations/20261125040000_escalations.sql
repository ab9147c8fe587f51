-- The Telegram executive layer: escalations (one per signal that needs the operator), the
-- Telegram outbox (every line any bot wants the operator to see; only jbot talks to Telegram),
-- per-chat pacing so Telegram's ~1 message/s per chat is met by batching, never by dropping,
-- and the inbound side: operator messages recorded once per update, then routed as an
-- `operator_instruction` signal to the bot that should act.

-- One row per signal that reached the operator layer (warning and above).
create table escalations (
  signal_id uuid primary key references bot_signals (id) on delete cascade,
  source_bot text not null,
  signal_type text not null,
  severity signal_severity not null,
  -- The synthesised line without its repeat count (the count is rendered at send/edit time).
  line text not null,
  -- held: inside quiet hours, waiting for the morning brief; open: shown, awaiting the operator;
  -- answered: the operator replied to it.
  status text not null check (status in ('held', 'open', 'answered')),
  created_at timestamptz not null default now(),
  briefed_at timestamptz,
  answered_at timestamptz
);
create index escalations_open on escalations (status, created_at) where status in ('held', 'open');

-- Per-chat pacing: the earliest moment the next message may go to this chat.
create table telegram_chats (
  chat_id text primary key,
  next_send_at timestamptz not null default '-infinity'
);

-- Outbound lines for the operator. Any bot enqueues; jbot's dispatcher claims a chat's due rows,
-- sends them as one message (one line, or a numbered batch) and records it in channel_messages.
create table telegram_outbox (
  id bigint generated always as identity primary key,
  chat_id text not null references telegram_chats (chat_id),
  bot text not null,
  text text not null,
  -- kind (escalation | brief | ack | note), items of a brief, inline keyboard, …
  body jsonb not null default '{}'::jsonb,
  signal_id uuid references bot_signals (id) on delete set null,
  approval_id uuid,
  -- Thread the message under this Telegram message (an ack under the operator's instruction).
  reply_to_external_message_id text,
  idempotency_key text unique,
  status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed')),
  attempts integer not null default 0,
  -- queued: when it may be sent (retry backoff); sending: the lease end.
  available_at timestamptz not null default now(),
  error text,
  channel_message_id uuid references channel_messages (id) on delete set null,
  external_message_id text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index telegram_outbox_due on telegram_outbox (chat_id, available_at) where status in ('queued', 'sending');

-- Queue one message for a chat. A repeated idempotency key returns the first row (inserted=false).
create function enqueue_telegram_message(
  p_chat_id text, p_bot text, p_text text,
  p_body jsonb default '{}'::jsonb,
  p_signal_id uuid default null, p_approval_id uuid default null,
  p_reply_to_external_message_id text default null,
  p_idempotency_key text default null
) returns table (outbox_id bigint, inserted boolean)
language plpgsql as $$
#variable_conflict use_column
declare v_id bigint;
begin
  insert into telegram_chats (chat_id) values (p_chat_id) on conflict do nothing;
  insert into telegram_outbox (chat_id, bot, text, body, signal_id, approval_id, reply_to_external_message_id, idempotency_key)
  values (p_chat_id, p_bot, p_text, coalesce(p_body, '{}'::jsonb), p_signal_id, p_approval_id, p_reply_to_external_message_id, p_idempotency_key)
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  if v_id is null then
    return query select o.id, false from telegram_outbox o where o.idempotency_key = p_idempotency_key;
    return;
  end if;
  perform pg_notify('telegram_outbox', p_chat_id);
  return query select v_id, true;
end
$$;

-- Claim what is due, chat by chat: every due row of a chat whose pacing allows a send now (up to
-- p_max_per_chat), and push that chat's next_send_at forward. The caller sends each chat's rows
-- as ONE message. repeat_count is the signal's count now, so a line sent late shows the total.
create function claim_telegram_outbox(
  p_min_interval_ms integer default 1000,
  p_lease_seconds numeric default 30,
  p_max_per_chat integer default 20,
  p_chat_limit integer default 100
) returns table (
  outbox_id bigint, chat_id text, bot text, text text, body jsonb, signal_id uuid, approval_id uuid,
  reply_to_external_message_id text, attempts integer, repeat_count integer, severity signal_severity
)
language plpgsql as $$
#variable_conflict use_column
begin
  return query
  with chats as (
    select c.chat_id from telegram_chats c
     where c.next_send_at <= now()
       and exists (select 1 from telegram_outbox o
                    where o.chat_id = c.chat_id and o.status in ('queued', 'sending') and o.available_at <= now())
     order by c.next_send_at
     limit p_chat_limit
       for update skip locked
  ),
  paced as (
    update telegram_chats c
       set next_send_at = clock_timestamp() + make_interval(secs => p_min_interval_ms::double precision / 1000)
      from chats where c.chat_id = chats.chat_id
    returning c.chat_id
  ),
  picked as (
    select ranked.id, ranked.signal_id from (
      select o.id, o.signal_id, row_number() over (partition by o.chat_id order by o.id) as position
        from telegram_outbox o join paced p on p.chat_id = o.chat_id
       where o.status in ('queued', 'sending') and o.available_at <= now()) ranked
     where ranked.position <= p_max_per_chat
  )
  update telegram_outbox o
     set status = 'sending', attempts = o.attempts + 1,
         available_at = clock_timestamp() + make_interval(secs => p_lease_seconds::double precision)
    from picked left join bot_signals s on s.id = picked.signal_id
   where o.id = picked.id
  returning o.id, o.chat_id, o.bot, o.text, o.body, o.signal_id, o.approval_id, o.reply_to_external_message_id,
            o.attempts, coalesce(s.repeat_count, 1), s.severity;
end
$$;

-- When the dispatcher should look again: the earliest moment a queued row becomes sendable.
create function next_telegram_send_at()
returns table (next_at timestamptz)
language sql stable as $$
  select min(greatest(o.available_at, c.next_send_at))
    from telegram_outbox o join telegram_chats c on c.chat_id = o.chat_id
   where o.status in ('queued', 'sending');
$$;

-- One Telegram message went out for these outbox rows: record it in channel_messages (the audit
-- log and the reply-routing index) and mark the rows sent, in one transaction.
create function record_telegram_send(
  p_outbox_ids jsonb, p_chat_id text, p_bot text, p_text text, p_body jsonb,
  p_signal_id uuid, p_approval_id uuid, p_external_message_id text, p_channel text default 'telegram'
) returns table (channel_message_id uuid)
language plpgsql as $$
#variable_conflict use_column
declare v_message uuid;
begin
  select r.message_id into v_message
    from record_channel_message(p_channel, p_chat_id, p_bot, p_text, p_body, p_signal_id, p_approval_id, p_external_message_id) r;
  update telegram_outbox o
     set status = 'sent', sent_at = now(), channel_message_id = v_message, external_message_id = p_external_message_id, error = null
   where o.id in (select (jsonb_array_elements_text(p_outbox_ids))::bigint);
  return query select v_message;
end
$$;

-- A send failed after the client's own retries: back to queued with backoff, or failed for good.
create function fail_telegram_outbox(
  p_outbox_ids jsonb, p_error text, p_max_attempts integer default 10, p_backoff_base_ms integer default 2000
) returns table (outbox_id bigint, status text)
language sql as $$
  update telegram_outbox o
     set status = case when o.attempts >= p_max_attempts then 'failed' else 'queued' end,
         error = left(p_error, 2000),
         available_at = now() + make_interval(secs => least(300000, p_backoff_base_ms * power(2, greatest(o.attempts - 1, 0)))::double precision / 1000)
   where o.id in (select (jsonb_array_elements_text(p_outbox_ids))::bigint) and o.status = 'sending'
  returning o.id, o.status;
$$;

-- Escalate a signal once (redelivery is a no-op). Outside quiet hours (p_hold=false) its line is
-- queued for every chat at once; inside, it is held for the morning brief.
create function escalate_signal(p_signal_id uuid, p_line text, p_hold boolean, p_chat_ids jsonb)
returns table (escalated boolean, status text)
language plpgsql as $$
#variable_conflict use_column
declare
  v_status text;
  v_chat text;
begin
  insert into escalations (signal_id, source_bot, signal_type, severity, line, status)
  select s.id, s.source_bot, s.signal_type, s.severity, p_line, case when p_hold then 'held' else 'open' end
    from bot_signals s where s.id = p_signal_id
  on conflict (signal_id) do nothing
  returning escalations.status into v_status;
  if v_status is null then
    return query select false, e.status from escalations e where e.signal_id = p_signal_id;
    return;
  end if;
  if not p_hold then
    for v_chat in select jsonb_array_elements_text(p_chat_ids) loop
      perform enqueue_telegram_message(v_chat, 'jbot', p_line, jsonb_build_object('kind', 'escalation'), p_signal_id, null, null,
                                       'escalation:' || p_signal_id || ':' || v_chat);
    end loop;
  end if;
  return query select true, v_status;
end
$$;

-- "What needs you now": held or open escalations, most severe first, then oldest first.
create function open_escalations(p_limit integer default 5, p_since timestamptz default null)
returns table (signal_id uuid, source_bot text, signal_type text, severity signal_severity, line text, status text,
               repeat_count integer, created_at timestamptz, total bigint)
language sql stable as $$
  select e.signal_id, e.source_bot, e.signal_type, e.severity, e.line, e.status, s.repeat_count, e.created_at,
         count(*) over ()
    from escalations e join bot_signals s on s.id = e.signal_id
   where e.status in ('held', 'open') and (p_since is null or e.created_at >= p_since)
     and (s.expires_at is null or s.expires_at > now())
   order by e.severity desc, e.created_at asc
   limit p_limit;
$$;

-- The brief showed these: held ones are now open (shown, awaiting the operator).
create function mark_escalations_briefed(p_signal_ids jsonb)
returns table (signal_id uuid)
language sql as $$
  update escalations e
     set status = case when e.status = 'held' then 'open' else e.status end, briefed_at = now()
   where e.signal_id in (select (jsonb_array_elements_text(p_signal_ids))::uuid)
  returning e.signal_id;
$$;

-- Sent Telegram lines whose signal repeated since they were rendered: jbot edits them in place
-- so ten same-key warnings stay one line with a count. counts = {signal_id: repeat_count}.
create function telegram_lines_to_recount(p_since timestamptz)
returns table (channel_message_id uuid, chat_id text, external_message_id text, body jsonb, counts jsonb)
language sql stable as $$
  select m.id, m.target, m.external_message_id, m.body,
         (select jsonb_object_agg(s.id::text, s.repeat_count)
            from jsonb_array_elements(m.body -> 'items') item join bot_signals s on s.id = (item ->> 'signal_id')::uuid)
    from channel_messages m
   where m.channel = 'telegram' and m.created_at >= p_since and m.external_message_id is not null
     and jsonb_typeof(m.body -> 'items') = 'array'
     and exists (select 1 from jsonb_array_elements(m.body -> 'items') item
                   join bot_signals s on s.id = (item ->> 'signal_id')::uuid
                  where s.repeat_count > coalesce((item ->> 'count')::integer, 1));
$$;

-- Post a signal's full detail to its bot's work-floor channel once, however often the signal is
-- redelivered. Returns the existing row when already posted.
create function record_signal_post(p_signal_id uuid, p_channel text, p_target text, p_bot text, p_text text, p_body jsonb default '{}'::jsonb)
returns table (message_id uuid, inserted boolean)
language plpgsql as $$
#variable_conflict use_column
declare v_id uuid;
begin
  perform pg_advisory_xact_lock(hashtextextended('signal_post:' || p_signal_id || ':' || p_target, 0));
  select m.id into v_id from channel_messages m
   where m.signal_id = p_signal_id and m.channel = p_channel and m.target = p_target and m.bot = p_bot limit 1;
  if v_id is not null then
    return query select v_id, false;
    return;
  end if;
  select r.message_id into v_id from record_channel_message(p_channel, p_target, p_bot, p_text, p_body, p_signal_id) r;
  return query select v_id, true;
end
$$;

-- Inbound, step 1: store an operator message once per channel update id. A repeat returns the
-- first row's status, so the caller routes only a message that is still `received` (a crash
-- between steps 1 and 2 is finished on redelivery; a handled one is never routed twice).
create function receive_operator_message(
  p_channel text, p_sender_id text, p_text text,
  p_external_update_id text default null,
  p_reply_to_message_id uuid default null, p_reply_to_signal_id uuid default null, p_reply_to_approval_id uuid default null
) returns table (operator_message_id uuid, inserted boolean, status text)
language plpgsql as $$
#variable_conflict use_column
declare
  v_id uuid;
  v_inserted boolean;
begin
  select r.operator_message_id, r.inserted into v_id, v_inserted
    from record_operator_message(p_channel, p_sender_id, p_text, p_external_update_id,
                                 p_reply_to_message_id, p_reply_to_signal_id, p_reply_to_approval_id, null) r;
  return query select v_id, v_inserted, o.status from operator_messages o where o.id = v_id;
end
$$;

-- Inbound, step 2: route a received message to a bot, atomically with the instruction signal
-- (operator_instruction, emitted as jbot) that delivers it at least once, even to a bot that is
-- down. A reply to an escalation marks it answered. routed=false: someone already routed it.
create function route_operator_message(p_operator_message_id uuid, p_routed_to text, p_instruction jsonb default null)
returns table (routed boolean, instruction_signal_id uuid)
language plpgsql as $$
#variable_conflict use_column
declare
  v_signal uuid;
  v_reply_signal uuid;
begin
  update operator_messages o
     set status = 'routed', routed_to = p_routed_to
   where o.id = p_operator_message_id and o.status = 'received'
  returning o.reply_to_signal_id into v_reply_signal;
  if not found then
    return query select false, null::uuid;
    return;
  end if;
  if v_reply_signal is not null then
    update escalations e set status = 'answered', answered_at = now() where e.signal_id = v_reply_signal;
  end if;
  if p_instruction is not null then
    select e.signal_id into v_signal
      from emit_signal('jbot', 'operator_instruction', 'info',
                       p_instruction || jsonb_build_object('operator_message_id', p_operator_message_id::text),
                       'operator_instruction:' || p_operator_message_id, 86400, null) e;
  end if;
  return query select true, v_signal;
end
$$;

-- What an operator's Telegram reply answers: the sent message, its items, and for a single
-- signal the bot that raised it.
create function resolve_telegram_reply(p_chat_id text, p_external_message_id text)
returns table (message_id uuid, signal_id uuid, approval_id uuid, body jsonb, source_bot text)
language sql stable as $$
  select m.id, m.signal_id, m.approval_id, m.body, s.source_bot
    from channel_messages m left join bot_signals s on s.id = m.signal_id
   where m.channel = 'telegram' and m.target = p_chat_id and m.external_message_id = p_external_message_id;
$$;
