-- sysbot/approval-audit: every approval did what it said, exactly once. One read over the
-- approvals and every side-effect ledger (the sample connectors' tables and the live ledger).
-- An effect belongs to the approval whose idempotency key prefixes its own
-- (approval_of_side_effect_key); the executors derive every effect key that way.
create function approval_audit(
  p_since timestamptz, p_now timestamptz default null, p_approved_grace_seconds numeric default 600
) returns table (
  kind text, approval_id uuid, bot text, action text, title text, status text, since timestamptz,
  effects integer, effect_key text, ledger text, detail text
)
language sql stable as $$
  with clock as (select coalesce(p_now, clock_timestamp()) as now),
  effects as (
    select e.idempotency_key as key, 'sample_emails'::text as ledger, 'deal ' || e.deal_id as target, e.sent_at as at from sample_emails e
    union all select u.idempotency_key, 'sample_deal_updates', 'deal ' || u.deal_id, u.applied_at from sample_deal_updates u
    union all select a.idempotency_key, 'sample_ad_actions', a.action || ' ' || a.campaign_id, a.applied_at from sample_ad_actions a
    union all select s.idempotency_key, 'connector_side_effects', s.connector || '/' || s.action, coalesce(s.completed_at, s.created_at)
      from connector_side_effects s where s.status = 'done'
  ),
  owned as (
    select f.*, approval_of_side_effect_key(f.key) as approval_id from effects f where f.at >= p_since
  ),
  -- A demo brain reloaded by `fleet seed --reset` forgets its approvals but keeps the live
  -- ledger: effects from before the last load are not the new brain's to explain.
  loaded as (select max(m.loaded_at) as at from sample_company_meta m)
  -- Approved and not picked up (not held back by a retry-later).
  select 'stuck', a.id, a.bot, a.action, a.title, a.status, a.decided_at, 0, null::text, null::text,
         'approved ' || round(extract(epoch from ((select now from clock) - a.decided_at)) / 60) || ' min ago and not executing'
    from approvals a
   where a.status = 'approved' and a.decided_at < (select now from clock) - make_interval(secs => p_approved_grace_seconds::double precision)
     and (a.lease_until is null or a.lease_until <= (select now from clock))
  union all
  -- Its executor's lease ran out: the process died or hung mid-execution.
  select 'stuck', a.id, a.bot, a.action, a.title, a.status, a.lease_until, 0, null, null,
         'executing past its lease (attempt ' || a.attempts || ', claimed by ' || coalesce(a.claimed_by, '?') || ')'
    from approvals a where a.status = 'executing' and a.lease_until < (select now from clock)
  union all
  select 'failed', a.id, a.bot, a.action, a.title, a.status, coalesce(a.executed_at, a.decided_at), 0, null, null,
         coalesce(left(a.error, 300), 'failed')
    from approvals a where a.status = 'failed' and coalesce(a.executed_at, a.decided_at, a.requested_at) >= p_since
  union all
  -- Executed but nothing in any ledger: it said it did something and left no trace.
  select 'ledger_mismatch', a.id, a.bot, a.action, a.title, a.status, a.executed_at, 0, null, null,
         'executed with no effect in any ledger'
    from approvals a
   where a.status = 'executed' and a.executed_at >= p_since
     and not exists (select 1 from owned o where o.approval_id = a.id)
  union all
  -- The same target changed more than once under one approval (under different keys).
  select 'ledger_mismatch', a.id, a.bot, a.action, a.title, a.status, max(o.at), count(*)::integer, min(o.key), o.ledger,
         count(*) || ' effects on ' || o.target || ' in ' || o.ledger || ' under one approval'
    from owned o join approvals a on a.id = o.approval_id
   where o.ledger <> 'connector_side_effects'
   group by a.id, o.ledger, o.target
  having count(*) > 1
  union all
  -- An effect no decision allowed: no approval, or one that was never approved.
  select 'unauthorised', a.id, coalesce(a.bot, 'unknown'), a.action, a.title, coalesce(a.status, 'none'), o.at, 1, o.key, o.ledger,
         o.target || ' in ' || o.ledger || case when a.id is null then ' with no approval behind it' else ' under an approval that is ' || a.status end
    from owned o left join approvals a on a.id = o.approval_id
   where (a.id is null and o.at > coalesce((select at from loaded), '-infinity'))
      or a.status in ('pending', 'rejected', 'expired')
   order by 1, 7;
$$;
