-- Two integrity fixes in the brain (issue: "a brain that keeps its bots apart").
--
-- 1. What is approved is what executes. An approval stores the hash of its draft when it is
--    requested (a trigger, so no requester can supply its own). Deciding refuses a draft that no
--    longer matches — the person was shown something else — and so does claiming it for
--    execution. Either way the approval ends `failed` with the reason, visibly, and nothing runs.
-- 2. A dedupe key belongs to its bot and signal type. The lookup used to match the key alone, so
--    one bot's key swallowed another bot's signal (and its consumers never got a receipt).

create function approval_draft_hash(p_draft jsonb) returns text
language sql immutable as $$
  -- jsonb's text form is canonical (keys sorted, whitespace normalised): equal drafts hash equal.
  select encode(sha256(convert_to(coalesce(p_draft, '{}'::jsonb)::text, 'UTF8')), 'hex');
$$;

alter table approvals add column draft_hash text;
update approvals set draft_hash = approval_draft_hash(draft);

create function approvals_bind_draft() returns trigger
language plpgsql as $$
begin
  new.draft_hash := approval_draft_hash(new.draft);
  return new;
end
$$;
create trigger approvals_bind_draft before insert on approvals for each row execute function approvals_bind_draft();
alter table approvals alter column draft_hash set not null;

-- The reason an approval whose draft changed is failed with (also what `fleet approvals` shows).
create function approval_draft_changed_error(a approvals) returns text
language sql immutable as $$
  select 'the draft was changed after it was requested (hash ' || left(a.draft_hash, 12) || ' at request, '
         || left(approval_draft_hash(a.draft), 12) || ' now); refused: what was shown is not what would run';
$$;

-- Fail, visibly, every approval of p_bot (or the one given) whose draft no longer matches.
create function fail_changed_drafts(p_bot text default null, p_approval_id uuid default null)
returns integer
language plpgsql as $$
declare
  v_row approvals;
  v_count integer := 0;
begin
  for v_row in
    update approvals a
       set status = 'failed', error = approval_draft_changed_error(a), lease_until = null, execution_token = null
     where (p_bot is null or a.bot = p_bot)
       and (p_approval_id is null or a.id = p_approval_id)
       and a.status in ('pending', 'approved', 'executing')
       and a.draft_hash <> approval_draft_hash(a.draft)
    returning a.*
  loop
    v_count := v_count + 1;
    perform pg_notify('approvals', json_build_object('id', v_row.id, 'bot', v_row.bot, 'status', v_row.status)::text);
  end loop;
  return v_count;
end
$$;

create or replace function decide_approval(p_approval_id uuid, p_decision text, p_decided_by text, p_decided_via text default null)
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
  -- A pending approval whose draft was rewritten since it was shown is not decided: it fails.
  perform fail_changed_drafts(null, p_approval_id);
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

-- As in 20261201100000, plus: a draft rewritten after its decision fails instead of being claimed.
create or replace function claim_approval_execution(
  p_bot text, p_worker text, p_lease_seconds numeric default 60, p_limit integer default 10,
  p_max_attempts integer default 3, p_approval_id uuid default null
) returns setof approval_row
language plpgsql as $$
declare v_failed approvals;
begin
  perform fail_changed_drafts(p_bot, p_approval_id);
  for v_failed in
    update approvals a
       set status = 'failed', lease_until = null, execution_token = null,
           error = 'the executor''s lease expired on attempt ' || a.attempts || ' of ' || p_max_attempts
                   || ' (the process died or hung); retry with `fleet approvals retry ' || a.id || '` or the Retry button'
     where a.bot = p_bot and a.status = 'executing' and a.lease_until <= now() and a.attempts >= p_max_attempts
    returning a.*
  loop
    perform pg_notify('approvals', json_build_object('id', v_failed.id, 'bot', v_failed.bot, 'status', v_failed.status)::text);
  end loop;

  return query
  with due as (
    select a.id from approvals a
     where a.bot = p_bot
       and (p_approval_id is null or a.id = p_approval_id)
       and ((a.status = 'approved' and (a.lease_until is null or a.lease_until <= now()))
            or (a.status = 'executing' and a.lease_until <= now()))
     order by a.decided_at
     limit p_limit
       for update skip locked
  ), claimed as (
    update approvals a
       set status = 'executing', claimed_by = p_worker, attempts = a.attempts + 1,
           execution_token = gen_random_uuid(),
           lease_until = clock_timestamp() + make_interval(secs => p_lease_seconds::double precision)
      from due where a.id = due.id
    returning a.*
  )
  select (approval_as_row(claimed)).* from claimed;
end
$$;

-- Dedupe within (source bot, signal type, key); the rest as in 20261125000000.
create index bot_signals_scoped_dedupe on bot_signals (source_bot, signal_type, dedupe_key, created_at desc) where dedupe_key is not null;

create or replace function emit_signal(
  p_source_bot text,
  p_signal_type text,
  p_severity signal_severity,
  p_payload jsonb,
  p_dedupe_key text default null,
  p_dedupe_window_seconds integer default 3600,
  p_expires_at timestamptz default null
) returns table (signal_id uuid, deduplicated boolean, repeat_count integer, created_at timestamptz)
language plpgsql as $$
#variable_conflict use_column
declare
  v_id uuid;
  v_count integer;
  v_created timestamptz;
begin
  if p_dedupe_key is not null then
    -- Serialise emits of one (bot, type, key) so two hosts cannot both insert "the first" one.
    perform pg_advisory_xact_lock(hashtextextended('bot_signals:' || p_source_bot || ':' || p_signal_type || ':' || p_dedupe_key, 0));
    update bot_signals s
       set repeat_count = s.repeat_count + 1, last_repeated_at = now()
     where s.id = (
       select b.id from bot_signals b
        where b.source_bot = p_source_bot
          and b.signal_type = p_signal_type
          and b.dedupe_key = p_dedupe_key
          and b.created_at > now() - make_interval(secs => p_dedupe_window_seconds)
        order by b.created_at desc
        limit 1)
    returning s.id, s.repeat_count, s.created_at into v_id, v_count, v_created;
    if found then
      return query select v_id, true, v_count, v_created;
      return;
    end if;
  end if;

  insert into bot_signals (source_bot, signal_type, severity, payload, dedupe_key, expires_at)
  values (p_source_bot, p_signal_type, p_severity, coalesce(p_payload, '{}'::jsonb), p_dedupe_key, p_expires_at)
  returning id, created_at into v_id, v_created;

  insert into signal_receipts (signal_id, consumer_bot)
  select v_id, sub.consumer_bot from signal_subscriptions sub where sub.signal_type = p_signal_type;

  perform pg_notify('bot_signals', json_build_object('id', v_id, 'type', p_signal_type)::text);
  return query select v_id, false, 1, v_created;
end
$$;
