-- The shared brain: LLM spend. Every model call is priced and recorded; daily budgets are hard
-- caps checked BEFORE a call by reserving its estimated cost under a lock, so two processes of
-- the fleet cannot both squeeze through the last few cents. The reservation is settled with
-- the real usage when the call returns (or released when it fails).

create table llm_usage (
  id uuid primary key default gen_random_uuid(),
  bot text not null,
  job text,
  run_id text,
  model text not null,
  input_tokens integer not null default 0,
  output_tokens integer not null default 0,
  cache_write_tokens integer not null default 0,
  cache_read_tokens integer not null default 0,
  cost_usd numeric(12, 6) not null default 0,
  -- reserved: counted against the budget while the call is in flight; settled: the real cost.
  status text not null default 'settled' check (status in ('reserved', 'settled', 'released')),
  reserved_usd numeric(12, 6) not null default 0,
  day date not null,
  created_at timestamptz not null default clock_timestamp()
);
create index llm_usage_day on llm_usage (day, bot);
create index llm_usage_created on llm_usage (created_at);

-- Fleet-wide switches an operator flips from the CLI. Values are JSON objects (the LLM kill
-- switch is {"enabled": true}).
create table fleet_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default clock_timestamp(),
  updated_by text
);

create function set_fleet_setting(p_key text, p_value jsonb, p_updated_by text default null)
returns table (key text, value jsonb, updated_at timestamptz)
language sql as $$
  insert into fleet_settings as s (key, value, updated_at, updated_by) values (p_key, p_value, clock_timestamp(), p_updated_by)
  on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
  returning s.key, s.value, s.updated_at;
$$;

create function get_fleet_setting(p_key text)
returns table (key text, value jsonb, updated_at timestamptz)
language sql stable as $$
  select s.key, s.value, s.updated_at from fleet_settings s where s.key = p_key;
$$;

-- Reserve a call's estimated cost against today's bot and fleet caps (UTC day of p_now).
-- Spend counts settled costs plus reservations still in flight. Refused → no row written.
create function reserve_llm_budget(
  p_bot text, p_job text, p_run_id text, p_model text, p_estimate_usd numeric,
  p_bot_cap_usd numeric, p_fleet_cap_usd numeric, p_now timestamptz default null
) returns table (allowed boolean, scope text, reservation_id uuid, bot_spent_usd double precision, fleet_spent_usd double precision, day date)
language plpgsql as $$
declare
  v_day date := ((coalesce(p_now, clock_timestamp())) at time zone 'UTC')::date;
  v_bot numeric; v_fleet numeric; v_id uuid;
begin
  -- One budget decision at a time per day across every process.
  perform pg_advisory_xact_lock(hashtext('llm_budget'), (v_day - date '2000-01-01'));
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
  insert into llm_usage (bot, job, run_id, model, status, reserved_usd, day)
  values (p_bot, p_job, p_run_id, p_model, 'reserved', p_estimate_usd, v_day) returning id into v_id;
  return query select true, null::text, v_id, v_bot::double precision, v_fleet::double precision, v_day;
end $$;

-- Settle a reservation with what the call really used (one ledger row per logical call).
create function record_llm_usage(
  p_reservation_id uuid, p_model text, p_input_tokens integer, p_output_tokens integer,
  p_cache_write_tokens integer, p_cache_read_tokens integer, p_cost_usd numeric
) returns table (usage_id uuid)
language sql as $$
  update llm_usage set model = p_model, input_tokens = p_input_tokens, output_tokens = p_output_tokens,
         cache_write_tokens = p_cache_write_tokens, cache_read_tokens = p_cache_read_tokens,
         cost_usd = p_cost_usd, status = 'settled'
   where id = p_reservation_id
  returning id;
$$;

-- A call that never reached the model (error before a response) gives its reservation back.
create function release_llm_budget(p_reservation_id uuid)
returns table (usage_id uuid)
language sql as $$
  update llm_usage set status = 'released' where id = p_reservation_id and status = 'reserved' returning id;
$$;

-- Today's spend per bot (UTC day of p_now), for the cost watchdog and `fleet status`.
create function llm_spend_today(p_now timestamptz default null)
returns table (bot text, calls bigint, cost_usd double precision, day date)
language sql stable as $$
  select u.bot, count(*) filter (where u.status = 'settled'),
         coalesce(sum(case when u.status = 'reserved' then u.reserved_usd else u.cost_usd end), 0)::double precision,
         ((coalesce(p_now, clock_timestamp())) at time zone 'UTC')::date
    from llm_usage u
   where u.day = ((coalesce(p_now, clock_timestamp())) at time zone 'UTC')::date and u.status <> 'released'
   group by u.bot order by u.bot;
$$;

-- `fleet costs`: settled spend since a time, grouped by bot, job or model.
create function list_llm_costs(p_since timestamptz, p_by text default 'bot')
returns table (grp text, calls bigint, input_tokens bigint, output_tokens bigint, cache_write_tokens bigint, cache_read_tokens bigint, cost_usd double precision)
language sql stable as $$
  select case p_by when 'job' then u.bot || '/' || coalesce(u.job, '-') when 'model' then u.model else u.bot end,
         count(*), sum(u.input_tokens)::bigint, sum(u.output_tokens)::bigint, sum(u.cache_write_tokens)::bigint,
         sum(u.cache_read_tokens)::bigint, coalesce(sum(u.cost_usd), 0)::double precision
    from llm_usage u
   where u.status = 'settled' and u.created_at >= p_since
   group by 1 order by 7 desc, 1;
$$;
