-- Exactly-once across crashes, retry-later and a person's retry (issue 13, point 2).
--
-- 1. Every claim of an approval's execution gets a fresh execution_token (a fencing token).
-- 2. A side effect whose idempotency key is an approval's key (or starts with it and ':') is
--    governed by that approval's claim: while the approval is `executing`, the ledger row is
--    in flight only for the claim that took it (same token) and only while that claim's lease
--    holds. So the ledger lease follows the approval's lease (extended with it), and a new
--    claimer of the approval (the old one crashed, hung past its deadline, or a person retried)
--    takes the row over as `recover`: it looks at the vendor before it calls again.
-- 3. An executor that says "retry later" (another attempt holds a side effect, a vendor timed
--    out, the deadline passed) hands the approval back as `approved` with a hold: while an
--    approved approval has lease_until in the future, nobody claims it.
-- 4. A `failed` approval can be retried by a person (`fleet approvals retry`, the Retry button):
--    back to `approved` with a fresh set of attempts; the ledger repeats nothing already done.

alter table approvals
  add column execution_token uuid,
  add column retried_by text,
  add column retried_at timestamptz;

alter table connector_side_effects
  add column approval_id uuid references approvals (id) on delete set null,
  add column approval_token uuid;
create index connector_side_effects_approval on connector_side_effects (approval_id) where approval_id is not null;

-- The approval an idempotency key belongs to: `approval:<uuid>` or `approval:<uuid>:…`, checked
-- against the approval's own key (so a look-alike key of another shape governs nothing).
create function approval_of_side_effect_key(p_idempotency_key text)
returns uuid
language sql stable as $$
  select a.id from approvals a
   where a.id = (substring(p_idempotency_key from '^approval:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(:|$)'))::uuid
     and (p_idempotency_key = a.idempotency_key or starts_with(p_idempotency_key, a.idempotency_key || ':'));
$$;

-- As before, plus: an approved approval held back by a retry-later (lease_until in the future)
-- is not claimed yet; each claim carries a fresh execution_token; the lease-expired message says
-- how to go on.
create or replace function claim_approval_execution(
  p_bot text, p_worker text, p_lease_seconds numeric default 60, p_limit integer default 10,
  p_max_attempts integer default 3, p_approval_id uuid default null
) returns setof approval_row
language plpgsql as $$
declare v_failed approvals;
begin
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

-- The executor said "retry later" (or its deadline passed with attempts left): hand the
-- approval back as approved, held until now + p_retry_after_seconds, with the reason shown.
-- Accepted only from the worker holding the claim.
create function defer_approval_execution(p_approval_id uuid, p_worker text, p_retry_after_seconds numeric, p_error text)
returns table (deferred boolean, status text, retry_at timestamptz)
language plpgsql as $$
#variable_conflict use_column
declare v_row approvals;
begin
  update approvals a
     set status = 'approved', claimed_by = null, execution_token = null, error = left(p_error, 4000),
         lease_until = clock_timestamp() + make_interval(secs => greatest(0, p_retry_after_seconds)::double precision)
   where a.id = p_approval_id and a.status = 'executing' and a.claimed_by = p_worker
  returning * into v_row;
  if v_row.id is null then
    return query select false, a.status, null::timestamptz from approvals a where a.id = p_approval_id;
    return;
  end if;
  perform pg_notify('approvals', json_build_object('id', v_row.id, 'bot', v_row.bot, 'status', v_row.status)::text);
  return query select true, v_row.status, v_row.lease_until;
end
$$;

-- A person retries a failed approval: back to approved with a fresh set of attempts. Only from
-- failed (a pending, running or finished approval changes nothing). retried = false: the row
-- (status) says why; no row: no such approval.
create function retry_approval(p_approval_id uuid, p_retried_by text)
returns table (retried boolean, status text, bot text, title text, error text)
language plpgsql as $$
#variable_conflict use_column
declare v_row approvals;
begin
  update approvals a
     set status = 'approved', attempts = 0, lease_until = null, claimed_by = null, execution_token = null,
         retried_by = p_retried_by, retried_at = now()
   where a.id = p_approval_id and a.status = 'failed'
  returning * into v_row;
  if v_row.id is not null then
    perform pg_notify('approvals', json_build_object('id', v_row.id, 'bot', v_row.bot, 'status', v_row.status)::text);
    return query select true, v_row.status, v_row.bot, v_row.title, v_row.error;
    return;
  end if;
  return query select false, a.status, a.bot, a.title, a.error from approvals a where a.id = p_approval_id;
end
$$;

-- Same contract as before; for a key governed by an executing approval (see the top of this
-- file) in-flight means "the approval's current claim holds it and its lease is alive", and any
-- other pending row is taken over by the current claim as `recover`.
create or replace function claim_side_effect(p_idempotency_key text, p_connector text, p_action text, p_request jsonb default '{}'::jsonb, p_lease_seconds integer default 60)
returns table (state text, attempts integer, result jsonb)
language plpgsql as $$
declare
  v_row connector_side_effects;
  v_approval approvals;
  v_governed boolean;
begin
  select * into v_approval from approvals a where a.id = approval_of_side_effect_key(p_idempotency_key);
  v_governed := v_approval.id is not null and v_approval.status = 'executing' and v_approval.execution_token is not null;
  insert into connector_side_effects (idempotency_key, connector, action, request, status, lease_until, approval_id, approval_token)
  values (p_idempotency_key, p_connector, p_action, coalesce(p_request, '{}'::jsonb), 'pending',
          case when v_governed then v_approval.lease_until else now() + make_interval(secs => p_lease_seconds) end,
          v_approval.id, case when v_governed then v_approval.execution_token end)
  on conflict (idempotency_key) do nothing;
  if found then
    return query select 'claimed'::text, 1, null::jsonb;
    return;
  end if;
  select * into v_row from connector_side_effects e where e.idempotency_key = p_idempotency_key for update;
  if v_row.connector <> p_connector or v_row.action <> p_action then
    raise exception 'idempotency key % already used for %/%', p_idempotency_key, v_row.connector, v_row.action using errcode = 'unique_violation';
  end if;
  if v_row.status = 'done' then
    return query select 'done'::text, v_row.attempts, v_row.result;
  elsif v_governed and v_row.approval_token = v_approval.execution_token and v_approval.lease_until > now() then
    return query select 'in_flight'::text, v_row.attempts, null::jsonb;
  elsif not v_governed and v_row.approval_token is null and v_row.lease_until > now() then
    return query select 'in_flight'::text, v_row.attempts, null::jsonb;
  else
    update connector_side_effects e
       set attempts = e.attempts + 1, approval_id = coalesce(v_approval.id, e.approval_id),
           approval_token = case when v_governed then v_approval.execution_token end,
           lease_until = case when v_governed then v_approval.lease_until else now() + make_interval(secs => p_lease_seconds) end
     where e.idempotency_key = p_idempotency_key;
    return query select 'recover'::text, v_row.attempts + 1, null::jsonb;
  end if;
end;
$$;

-- An attempt failed: end its hold now (its lease, and its approval claim's hold) so the next
-- attempt recovers (checks the vendor first).
create or replace function release_side_effect(p_idempotency_key text, p_error text)
returns table (released boolean)
language sql as $$
  with updated as (
    update connector_side_effects e set lease_until = now(), approval_token = null, error = left(p_error, 2000)
     where e.idempotency_key = p_idempotency_key and e.status = 'pending'
    returning 1)
  select exists (select 1 from updated);
$$;
