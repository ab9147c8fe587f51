-- The shared brain, part 3: every message the fleet sends (any channel) and every message an
-- operator sends in. Replies are routed by looking up what an inbound message answers.

create table channel_messages (
  id uuid primary key default gen_random_uuid(),
  channel text not null check (channel in ('discord', 'telegram', 'local')),
  -- Discord channel id, Telegram chat id, or the local channel's name (#sales-bot).
  target text not null,
  bot text not null,
  text text not null,
  -- Structured rendering (embed fields, buttons) as sent, for audit and for the local console.
  body jsonb not null default '{}'::jsonb,
  signal_id uuid references bot_signals (id) on delete set null,
  approval_id uuid,
  external_message_id text,
  status text not null default 'sent' check (status in ('queued', 'sent', 'failed', 'edited')),
  error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  edited_at timestamptz
);
create index channel_messages_target_time on channel_messages (channel, target, created_at desc);
create index channel_messages_signal on channel_messages (signal_id) where signal_id is not null;
create index channel_messages_approval on channel_messages (approval_id) where approval_id is not null;
create unique index channel_messages_external on channel_messages (channel, target, external_message_id)
  where external_message_id is not null;

-- Record one outbound message (status sent unless given); returns its row id.
create function record_channel_message(
  p_channel text, p_target text, p_bot text, p_text text,
  p_body jsonb default '{}'::jsonb,
  p_signal_id uuid default null, p_approval_id uuid default null,
  p_external_message_id text default null, p_status text default 'sent', p_error text default null
) returns table (message_id uuid, created_at timestamptz)
language sql as $$
  insert into channel_messages (channel, target, bot, text, body, signal_id, approval_id, external_message_id, status, error, sent_at)
  values (p_channel, p_target, p_bot, p_text, coalesce(p_body, '{}'::jsonb), p_signal_id, p_approval_id,
          p_external_message_id, p_status, p_error, case when p_status = 'sent' then now() end)
  returning id, created_at;
$$;

-- Mark a recorded message edited (Discord approval messages show the decision, then the result).
create function mark_channel_message_edited(p_message_id uuid, p_text text, p_body jsonb default null)
returns table (edited boolean)
language sql as $$
  with updated as (
    update channel_messages m
       set text = p_text, body = coalesce(p_body, m.body), status = 'edited', edited_at = now()
     where m.id = p_message_id
    returning 1)
  select exists (select 1 from updated);
$$;

-- Find the outbound message an inbound reply answers (Telegram reply_to_message → our signal).
create function find_channel_message(p_channel text, p_target text, p_external_message_id text)
returns table (message_id uuid, bot text, signal_id uuid, approval_id uuid, text text)
language sql stable as $$
  select m.id, m.bot, m.signal_id, m.approval_id, m.text from channel_messages m
   where m.channel = p_channel and m.target = p_target and m.external_message_id = p_external_message_id;
$$;

create function list_channel_messages(p_channel text default null, p_bot text default null, p_since timestamptz default null, p_limit integer default 50)
returns table (message_id uuid, channel text, target text, bot text, text text, body jsonb, signal_id uuid, approval_id uuid,
               external_message_id text, status text, created_at timestamptz)
language sql stable as $$
  select m.id, m.channel, m.target, m.bot, m.text, m.body, m.signal_id, m.approval_id, m.external_message_id, m.status, m.created_at
    from channel_messages m
   where (p_channel is null or m.channel = p_channel) and (p_bot is null or m.bot = p_bot)
     and (p_since is null or m.created_at >= p_since)
   order by m.created_at desc
   limit p_limit;
$$;

create table operator_messages (
  id uuid primary key default gen_random_uuid(),
  channel text not null check (channel in ('discord', 'telegram', 'local')),
  sender_id text not null,
  -- The channel's own id for the update (Telegram update_id): a redelivered update is stored once.
  external_update_id text,
  text text not null,
  reply_to_message_id uuid references channel_messages (id) on delete set null,
  reply_to_signal_id uuid references bot_signals (id) on delete set null,
  reply_to_approval_id uuid,
  routed_to text,
  status text not null default 'received' check (status in ('received', 'routed', 'handled', 'ignored', 'failed')),
  error text,
  created_at timestamptz not null default now(),
  handled_at timestamptz
);
create unique index operator_messages_update on operator_messages (channel, external_update_id) where external_update_id is not null;
create index operator_messages_signal on operator_messages (reply_to_signal_id) where reply_to_signal_id is not null;

-- Store an inbound operator message once per channel update id. inserted=false means a repeat.
create function record_operator_message(
  p_channel text, p_sender_id text, p_text text,
  p_external_update_id text default null,
  p_reply_to_message_id uuid default null, p_reply_to_signal_id uuid default null, p_reply_to_approval_id uuid default null,
  p_routed_to text default null
) returns table (operator_message_id uuid, inserted boolean)
language plpgsql as $$
#variable_conflict use_column
declare v_id uuid;
begin
  insert into operator_messages (channel, sender_id, text, external_update_id, reply_to_message_id, reply_to_signal_id, reply_to_approval_id, routed_to,
                                 status)
  values (p_channel, p_sender_id, p_text, p_external_update_id, p_reply_to_message_id, p_reply_to_signal_id, p_reply_to_approval_id, p_routed_to,
          case when p_routed_to is null then 'received' else 'routed' end)
  on conflict (channel, external_update_id) where external_update_id is not null do nothing
  returning id into v_id;
  if v_id is null then
    select o.id into v_id from operator_messages o where o.channel = p_channel and o.external_update_id = p_external_update_id;
    return query select v_id, false;
  else
    return query select v_id, true;
  end if;
end
$$;

-- Mark an operator message routed/handled/failed.
create function update_operator_message(p_operator_message_id uuid, p_status text, p_routed_to text default null, p_error text default null)
returns table (updated boolean)
language sql as $$
  with updated as (
    update operator_messages o
       set status = p_status, routed_to = coalesce(p_routed_to, o.routed_to), error = p_error,
           handled_at = case when p_status in ('handled', 'failed', 'ignored') then now() else o.handled_at end
     where o.id = p_operator_message_id
    returning 1)
  select exists (select 1 from updated);
$$;
