-- The shared brain: work a bot must do once per key (a forecast posted once per freight_delay
-- signal, however often the signal is redelivered or however many copies of the bot run).
-- A claim carries a lease: a copy that crashed mid-way lets another take over after it expires.

create table bot_outputs (
  key text primary key,
  bot text not null,
  status text not null check (status in ('claimed', 'done')),
  worker text,
  lease_until timestamptz,
  result jsonb,
  created_at timestamptz not null default clock_timestamp(),
  done_at timestamptz
);

-- Claim the key: claimed = true when this caller should do the work now; false with the stored
-- result when it is done, or with status 'claimed' while another worker's lease is alive.
create function claim_bot_output(p_key text, p_bot text, p_worker text, p_lease_seconds numeric default 60)
returns table (claimed boolean, status text, result jsonb)
language plpgsql as $$
#variable_conflict use_column
declare v bot_outputs;
begin
  insert into bot_outputs (key, bot, status, worker, lease_until)
  values (p_key, p_bot, 'claimed', p_worker, clock_timestamp() + make_interval(secs => p_lease_seconds))
  on conflict (key) do nothing;
  if found then
    return query select true, 'claimed'::text, null::jsonb;
    return;
  end if;
  select * into v from bot_outputs o where o.key = p_key for update;
  if v.status = 'claimed' and v.lease_until < clock_timestamp() then
    update bot_outputs o set worker = p_worker, lease_until = clock_timestamp() + make_interval(secs => p_lease_seconds) where o.key = p_key;
    return query select true, 'claimed'::text, null::jsonb;
    return;
  end if;
  return query select false, v.status, v.result;
end $$;

create function finish_bot_output(p_key text, p_worker text, p_result jsonb default null)
returns table (finished boolean)
language sql as $$
  update bot_outputs o set status = 'done', result = p_result, done_at = clock_timestamp(), lease_until = null
   where o.key = p_key and o.status = 'claimed' and o.worker = p_worker
  returning true;
$$;

-- The work failed: give the key back so a redelivery can try again.
create function release_bot_output(p_key text, p_worker text)
returns table (released boolean)
language sql as $$
  delete from bot_outputs o where o.key = p_key and o.status = 'claimed' and o.worker = p_worker returning true;
$$;
