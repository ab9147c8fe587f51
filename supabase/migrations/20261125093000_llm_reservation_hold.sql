-- LLM budget reservations hold money only while their call can still be in flight. A process
-- killed mid-call never settles or releases its reservation; before this, that estimate counted
-- against the bot's cap for the rest of the UTC day (with a $0.05 cap, one crash could block a
-- bot until midnight). Each reservation now carries hold_until (the caller's worst case: its
-- timeout times its attempts, plus back-off), and the next budget decision releases the ones
-- whose hold has passed. A late response still settles its row with the real cost.

alter table llm_usage add column hold_until timestamptz;
create index llm_usage_reserved on llm_usage (hold_until) where status = 'reserved';

drop function reserve_llm_budget(text, text, text, text, numeric, numeric, numeric, timestamptz);

-- Reserve a call's estimated cost against today's bot and fleet caps (UTC day of p_now).
-- Spend counts settled costs plus live reservations. Refused → no row written.
create function reserve_llm_budget(
  p_bot text, p_job text, p_run_id text, p_model text, p_estimate_usd numeric,
  p_bot_cap_usd numeric, p_fleet_cap_usd numeric, p_now timestamptz default null,
  p_hold_seconds integer default 900
) returns table (allowed boolean, scope text, reservation_id uuid, bot_spent_usd double precision, fleet_spent_usd double precision, day date)
language plpgsql as $$
declare
  v_day date := ((coalesce(p_now, clock_timestamp())) at time zone 'UTC')::date;
  v_bot numeric; v_fleet numeric; v_id uuid;
begin
  -- One budget decision at a time per day across every process.
  perform pg_advisory_xact_lock(hashtext('llm_budget'), (v_day - date '2000-01-01'));
  -- Liveness is judged by the database's real clock, not the simulated budget day.
  update llm_usage u set status = 'released'
   where u.status = 'reserved' and coalesce(u.hold_until, u.created_at + interval '15 minutes') <= clock_timestamp();
  select coalesce(sum(case when u.status = 'reserved' then u.reserved_usd else u.cost_usd end), 0)
    into v_fleet from llm_usage u where u.day = v_day and u.status <> 'released';
  select coalesce(sum(case when u.status = 'reserved' then u.reserved_usd else u.cost_usd end), 0)
    into v_bot from llm_usage u where u.day = v_day and u.bot = p_bot and u.status <> 'released';
  if v_bot + p_estimate_usd > p_bot_cap_usd then
    return query select false, 'bot'::text, null::uuid, v_bot::double precision, v_fleet::double precision, v_day; return;
  end if;
  if v_fleet + p_estimate_usd > p_fleet_cap_usd then
    return query select false, 'fleet'::text, null::uuid, v_bot::double precision, v_fleet::double precision, v_day; return;
  end if;
  insert into llm_usage (bot, job, run_id, model, status, reserved_usd, day, hold_until)
  values (p_bot, p_job, p_run_id, p_model, 'reserved', p_estimate_usd, v_day,
          clock_timestamp() + make_interval(secs => greatest(p_hold_seconds, 0)))
  returning id into v_id;
  return query select true, null::text, v_id, v_bot::double precision, v_fleet::double precision, v_day;
end $$;

-- Today's spend per bot (UTC day of p_now): settled costs plus reservations still on hold.
create or replace function llm_spend_today(p_now timestamptz default null)
returns table (bot text, calls bigint, cost_usd double precision, day date)
language sql stable as $$
  select u.bot, count(*) filter (where u.status = 'settled'),
         coalesce(sum(case when u.status = 'reserved' then u.reserved_usd else u.cost_usd end), 0)::double precision,
         ((coalesce(p_now, clock_timestamp())) at time zone 'UTC')::date
    from llm_usage u
   where u.day = ((coalesce(p_now, clock_timestamp())) at time zone 'UTC')::date
     and (u.status = 'settled'
          or (u.status = 'reserved' and coalesce(u.hold_until, u.created_at + interval '15 minutes') > clock_timestamp()))
   group by u.bot order by u.bot;
$$;
