-- Approvals: a bot drafts an action, a person approves or rejects it on a channel (Discord
-- buttons, Telegram inline buttons, `fleet approve`), the owning bot executes it exactly once.
--
-- Lifecycle: pending → approved | rejected | expired;  approved → executing → executed | failed.
-- Every transition is one conditional UPDATE here, so two processes (two copies of a bot on two
-- hosts, a Discord click racing a Telegram tap) can never both win. NOTIFY 'approvals' wakes the
-- owning bot; its poll is the guarantee.

create table approvals (
  id uuid primary key default gen_random_uuid(),
  bot text not null check (bot ~ '^[a-z][a-z0-9_-]*$'),
  action text not null check (action ~ '^[a-z][a-z0-9_.-]*$'),
  title text not null,
  draft jsonb not null default '{}'::jsonb,
  signal_id uuid references bot_signals (id) on delete set null,
  status text not null default 'pending'
    check (status in ('pending', 'approved', 'rejected', 'expired', 'executing', 'executed', 'failed')),
  -- The requester's own key (job run + item): asking twice returns the first approval.
  request_key text unique,
  requested_at timestamptz not null default now(),
  expires_at timestamptz not null,
  decided_by text,
  decided_via text,
  decided_at timestamptz,
  -- Executors pass this to every external side effect, so a re-run after a crash repeats nothing.
  idempotency_key text not null unique,
  claimed_by text,
  lease_until timestamptz,
  attempts integer not null default 0,
  executed_at timestamptz,
  result jsonb,
  error text,
  -- The status the channel message last showed; the owning bot re-renders until it matches.
  rendered_status text
);
create index approvals_pending_expiry on approvals (expires_at) where status = 'pending';
create index approvals_bot_work on approvals (bot, status) where status in ('approved', 'executing');
create index approvals_unrendered on approvals (bot) where rendered_status is distinct from status;
create index approvals_time on approvals (requested_at desc);

-- The row shape every approval function returns.
create type approval_row as (
  approval_id uuid, bot text, action text, title text, draft jsonb, signal_id uuid, status text,
  requested_at timestamptz, expires_at timestamptz, decided_by text, decided_via text, decided_at timestamptz,
  idempotency_key text, claimed_by text, lease_until timestamptz, attempts integer,
  executed_at timestamptz, result jsonb, error text, rendered_status text
);

create function approval_as_row(a approvals) returns approval_row
language sql immutable as $$
  select row(a.id, a.bot, a.action, a.title, a.draft, a.signal_id, a.status, a.requested_at, a.expires_at,
             a.decided_by, a.decided_via, a.decided_at, a.idempotency_key, a.claimed_by, a.lease_until, a.attempts,
             a.executed_at, a.result, a.error, a.rendered_status)::approval_row;
$$;

-- Ask for a decision. A repeated p_request_key returns the first approval (inserted = false).
create function request_approval(
  p_bot text, p_action text, p_title text, p_draft jsonb default '{}'::jsonb,
  p_expires_in_seconds integer default 86400,
  p_signal_id uuid default null, p_request_key text default null
) returns table (approval_id uuid, inserted boolean, status text, idempotency_key text, expires_at timestamptz)
language plpgsql as $$
#variable_conflict use_column
declare
  v_id uuid := gen_random_uuid();
  v_row approvals;
begin
  if p_expires_in_seconds is null or p_expires_in_seconds < 1 then
    raise exception 'p_expires_in_seconds must be at least 1, got %', p_expires_in_seconds;
  end if;
  insert into approvals (id, bot, action, title, draft, signal_id, request_key, expires_at, idempotency_key)
  values (v_id, p_bot, p_action, p_title, coalesce(p_draft, '{}'::jsonb), p_signal_id, p_request_key,
          now() + make_interval(secs => p_expires_in_seconds), 'approval:' || v_id)
  on conflict (request_key) do nothing
  returning * into v_row;
  if v_row.id is null then
    select * into v_row from approvals a where a.request_key = p_request_key;
    return query select v_row.id, false, v_row.status, v_row.idempotency_key, v_row.expires_at;
    return;
  end if;
  perform pg_notify('approvals', json_build_object('id', v_row.id, 'bot', v_row.bot, 'status', v_row.status)::text);
  return query select v_row.id, true, v_row.status, v_row.idempotency_key, v_row.expires_at;
end
$$;

-- Record a person's decision: first decision wins, only while pending and not expired (by the
-- database clock). decided = false means nothing changed; the row shows why (its status,
-- decided_by). An expired-but-unswept approval is marked expired here, so a late click both
-- fails and tells the owning bot to update the message. No row: no such approval.
create function decide_approval(p_approval_id uuid, p_decision text, p_decided_by text, p_decided_via text default null)
returns table (
  decided boolean, approval_id uuid, bot text, action text, title text, draft jsonb, signal_id uuid, status text,
  requested_at timestamptz, expires_at timestamptz, decided_by text, decided_via text, decided_at timestamptz,
  idempotency_key text, claimed_by text, lease_until timestamptz, attempts integer,
  executed_at timestamptz, result jsonb, error text, rendered_status text
)
language plpgsql as $$
#variable_conflict use_column
declare v_row approvals;
begin
  if p_decision not in ('approved', 'rejected') then
    raise exception 'p_decision must be approved or rejected, got %', p_decision;
  end if;
  update approvals a
     set status = case when a.expires_at <= now() then 'expired' else p_decision end,
         decided_by = case when a.expires_at <= now() then null else p_decided_by end,
         decided_via = case when a.expires_at <= now() then null else p_decided_via end,
         decided_at = case when a.expires_at <= now() then null else now() end
   where a.id = p_approval_id and a.status = 'pending'
  returning * into v_row;
  if v_row.id is not null then
    perform pg_notify('approvals', json_build_object('id', v_row.id, 'bot', v_row.bot, 'status', v_row.status)::text);
    return query select v_row.status = p_decision, (approval_as_row(v_row)).*;
    return;
  end if;
  select * into v_row from approvals a where a.id = p_approval_id;
  if v_row.id is null then return; end if;
  return query select false, (approval_as_row(v_row)).*;
end
$$;

-- The owning bot claims approved work (or executing work whose claimer's lease ran out: it
-- died mid-run). approved → executing is one conditional UPDATE with SKIP LOCKED, so of two
-- copies of the bot exactly one gets each approval. An approval that has used p_max_attempts
-- leases goes to failed instead of running again.
create function claim_approval_execution(
  p_bot text, p_worker text, p_lease_seconds numeric default 60, p_limit integer default 10,
  p_max_attempts integer default 3, p_approval_id uuid default null
) returns setof approval_row
language plpgsql as $$
begin
  update approvals a
     set status = 'failed', error = 'the executor''s lease expired on attempt ' || a.attempts || ' of ' || p_max_attempts,
         lease_until = null
   where a.bot = p_bot and a.status = 'executing' and a.lease_until <= now() and a.attempts >= p_max_attempts;

  return query
  with due as (
    select a.id from approvals a
     where a.bot = p_bot
       and (p_approval_id is null or a.id = p_approval_id)
       and (a.status = 'approved' or (a.status = 'executing' and a.lease_until <= now()))
     order by a.decided_at
     limit p_limit
       for update skip locked
  ), claimed as (
    update approvals a
       set status = 'executing', claimed_by = p_worker, attempts = a.attempts + 1,
           lease_until = clock_timestamp() + make_interval(secs => p_lease_seconds::double precision)
      from due where a.id = due.id
    returning a.*
  )
  select (approval_as_row(claimed)).* from claimed;
end
$$;

-- The executor finished. Accepted only from the worker holding the claim, so a worker whose
-- lease was taken over cannot overwrite the new run's outcome.
create function finish_approval_execution(
  p_approval_id uuid, p_worker text, p_succeeded boolean, p_result jsonb default null, p_error text default null
) returns table (finished boolean, status text)
language plpgsql as $$
#variable_conflict use_column
declare v_row approvals;
begin
  update approvals a
     set status = case when p_succeeded then 'executed' else 'failed' end,
         result = p_result, error = left(p_error, 4000), executed_at = now(), lease_until = null
   where a.id = p_approval_id and a.status = 'executing' and a.claimed_by = p_worker
  returning * into v_row;
  if v_row.id is null then
    return query select false, a.status from approvals a where a.id = p_approval_id;
    return;
  end if;
  perform pg_notify('approvals', json_build_object('id', v_row.id, 'bot', v_row.bot, 'status', v_row.status)::text);
  return query select true, v_row.status;
end
$$;

-- Keep a long executor's claim alive. false: the claim was lost.
create function extend_approval_lease(p_approval_id uuid, p_worker text, p_lease_seconds numeric default 60)
returns table (extended boolean)
language sql as $$
  with updated as (
    update approvals a set lease_until = clock_timestamp() + make_interval(secs => p_lease_seconds::double precision)
     where a.id = p_approval_id and a.status = 'executing' and a.claimed_by = p_worker
    returning 1)
  select exists (select 1 from updated);
$$;

-- Pending approvals past their time become expired (one bot's, or all). Returns those changed.
create function expire_approvals(p_bot text default null)
returns setof approval_row
language plpgsql as $$
begin
  return query
  with expired as (
    update approvals a set status = 'expired'
     where a.status = 'pending' and a.expires_at <= now() and (p_bot is null or a.bot = p_bot)
    returning a.*
  )
  select (approval_as_row(expired)).* from expired;
end
$$;

-- Approvals whose channel message is behind their status (the owning bot edits those messages).
create function approvals_to_render(p_bot text, p_limit integer default 20)
returns setof approval_row
language sql stable as $$
  select (approval_as_row(a)).* from approvals a
   where a.bot = p_bot and a.rendered_status is distinct from a.status
   order by a.requested_at
   limit p_limit;
$$;

-- The channel message now shows p_status.
create function mark_approval_rendered(p_approval_id uuid, p_status text)
returns table (marked boolean)
language sql as $$
  with updated as (update approvals a set rendered_status = p_status where a.id = p_approval_id returning 1)
  select exists (select 1 from updated);
$$;

create function get_approval(p_approval_id uuid)
returns setof approval_row
language sql stable as $$
  select (approval_as_row(a)).* from approvals a where a.id = p_approval_id;
$$;

-- Read side for the CLI: newest first, optionally one status or one bot.
create function list_approvals(p_status text default null, p_bot text default null, p_limit integer default 50)
returns setof approval_row
language sql stable as $$
  select (approval_as_row(a)).* from approvals a
   where (p_status is null or a.status = p_status) and (p_bot is null or a.bot = p_bot)
   order by a.requested_at desc
   limit p_limit;
$$;

-- The outbound messages that show an approval (the channel edits them as it moves on).
create function approval_messages(p_approval_id uuid)
returns table (message_id uuid, channel text, target text, bot text, external_message_id text, status text, created_at timestamptz)
language sql stable as $$
  select m.id, m.channel, m.target, m.bot, m.external_message_id, m.status, m.created_at
    from channel_messages m
   where m.approval_id = p_approval_id
   order by m.created_at;
$$;
