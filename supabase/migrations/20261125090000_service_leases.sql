-- The shared brain: leases for services only one copy of a bot may run at a time (jbot's
-- Telegram long polling: Telegram serves one getUpdates poller per token). The holder renews;
-- a standby on the other host takes over once a lease has expired (its holder died or stalled).

create table service_leases (
  name text primary key,
  holder text not null,
  lease_until timestamptz not null,
  acquired_at timestamptz not null default clock_timestamp()
);

-- Take or renew the lease: held = true when p_holder has it now.
create function claim_service_lease(p_name text, p_holder text, p_lease_seconds numeric)
returns table (held boolean, holder text, lease_until timestamptz)
language plpgsql as $$
#variable_conflict use_column
begin
  insert into service_leases as l (name, holder, lease_until)
  values (p_name, p_holder, clock_timestamp() + make_interval(secs => p_lease_seconds))
  on conflict (name) do update
     set holder = excluded.holder,
         lease_until = excluded.lease_until,
         acquired_at = case when l.holder = excluded.holder then l.acquired_at else clock_timestamp() end
   where l.holder = excluded.holder or l.lease_until < clock_timestamp();
  return query select l.holder = p_holder, l.holder, l.lease_until from service_leases l where l.name = p_name;
end $$;

-- Give the lease up at once (a clean stop), so the standby does not wait for it to expire.
create function release_service_lease(p_name text, p_holder text)
returns table (released boolean)
language sql as $$
  delete from service_leases l where l.name = p_name and l.holder = p_holder returning true;
$$;
