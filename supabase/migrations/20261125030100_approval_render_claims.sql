-- Rendering an approval's channel message is claimed per status, so the requester, the owning
-- bot's worker and a second copy of the bot never post the same approval twice or edit it
-- out of order: whoever moves rendered_status to the current status shows it; a failed
-- post/edit releases the claim so the next pass retries.

create function claim_approval_render(p_approval_id uuid, p_status text)
returns table (claimed boolean)
language sql as $$
  with updated as (
    update approvals a set rendered_status = p_status
     where a.id = p_approval_id and a.status = p_status and a.rendered_status is distinct from p_status
    returning 1)
  select exists (select 1 from updated);
$$;

create function release_approval_render(p_approval_id uuid, p_status text)
returns table (released boolean)
language sql as $$
  with updated as (
    update approvals a set rendered_status = null
     where a.id = p_approval_id and a.rendered_status = p_status
    returning 1)
  select exists (select 1 from updated);
$$;

-- The requester shows its own new approval: the row is born claimed for 'pending', so the
-- owning bot's worker (woken by the same NOTIFY) does not race it to post. If the post fails the
-- requester releases the claim and the worker posts it on its next pass.
create or replace function request_approval(
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
  insert into approvals (id, bot, action, title, draft, signal_id, request_key, expires_at, idempotency_key, rendered_status)
  values (v_id, p_bot, p_action, p_title, coalesce(p_draft, '{}'::jsonb), p_signal_id, p_request_key,
          now() + make_interval(secs => p_expires_in_seconds), 'approval:' || v_id, 'pending')
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
