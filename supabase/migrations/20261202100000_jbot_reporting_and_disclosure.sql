-- jbot's reporting and disclosure jobs on the sample company (sales-flash, weekly-ops-review,
-- monthly-kpi-pack, disclosure-guard): daily sales history before the sample week of orders,
-- Amazon order metrics, the plan, 13 months of KPIs, the disclosure calendar and scheduled
-- outbound content; the brain's approval holds; the weekly review's facts.

-- Shopify-shaped daily totals for the days before sample_orders' detailed week (DTC) and
-- fortnight (wholesale), so month-to-date and "same weekday last week" have data.
create table sample_order_history_daily (
  day date not null,
  channel text not null check (channel in ('dtc', 'wholesale')),
  orders integer not null,
  revenue numeric(12, 2) not null,
  units integer not null,
  -- {brand: {revenue, units}}
  brands jsonb not null,
  primary key (day, channel)
);

-- SP-API Sales getOrderMetrics(granularity: Day), one row a day.
create table sample_amazon_order_metrics (
  day date primary key,
  orders integer not null,
  revenue numeric(12, 2) not null,
  units integer not null,
  brands jsonb not null
);

-- The plan: revenue per month × channel × brand.
create table sample_plan_targets (
  month date not null,
  channel text not null,
  brand text not null,
  revenue numeric(12, 2) not null,
  primary key (month, channel, brand)
);

-- Month-end KPIs per channel × brand (13 closed months) and the company-level ones.
create table sample_monthly_kpis (
  month date not null,
  channel text not null,
  brand text not null,
  revenue numeric(12, 2) not null,
  cogs numeric(12, 2) not null,
  orders integer not null,
  units integer not null,
  primary key (month, channel, brand)
);
create table sample_monthly_ops (
  month date primary key,
  ad_spend numeric(12, 2) not null,
  new_customers integer not null,
  otif_pct numeric(5, 1) not null,
  weeks_of_supply numeric(5, 1) not null,
  open_pipeline numeric(14, 2) not null
);

-- Quarter ends, earnings releases and (unreleased) product launches.
create table sample_disclosure_calendar (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('quarter_end', 'earnings_release', 'product_launch')),
  label text not null,
  name text,
  on_date date not null
);

-- Outward content already scheduled outside the approval flow: Klaviyo campaigns and social posts.
create table sample_scheduled_outbound (
  id text primary key,
  source text not null check (source in ('klaviyo', 'social')),
  brand text not null,
  channel text not null,
  title text not null,
  body text not null,
  scheduled_at timestamptz not null
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_jbot_jobs2;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  v_today date := (p_now at time zone 'UTC')::date;
  v_month date := date_trunc('month', (p_now at time zone 'UTC')::date)::date;
begin
  select * into v_result from sample_company_load_before_jbot_jobs2(p_data, p_reset, p_now);
  if v_result.loaded then
    truncate sample_order_history_daily, sample_amazon_order_metrics, sample_plan_targets, sample_monthly_kpis, sample_monthly_ops,
      sample_disclosure_calendar, sample_scheduled_outbound;
    insert into sample_order_history_daily (day, channel, orders, revenue, units, brands)
    select v_today - x.days_ago, x.channel, x.orders, x.revenue, x.units, x.brands
      from jsonb_to_recordset(p_data #> '{reporting,order_history}') as x(days_ago integer, channel text, orders integer, revenue numeric, units integer, brands jsonb);
    insert into sample_amazon_order_metrics (day, orders, revenue, units, brands)
    select v_today - x.days_ago, x.orders, x.revenue, x.units, x.brands
      from jsonb_to_recordset(p_data #> '{reporting,amazon_order_metrics}') as x(days_ago integer, orders integer, revenue numeric, units integer, brands jsonb);
    insert into sample_plan_targets (month, channel, brand, revenue)
    select (v_month + make_interval(months => x.month_offset))::date, x.channel, x.brand, x.revenue
      from jsonb_to_recordset(p_data #> '{reporting,plan_targets}') as x(month_offset integer, channel text, brand text, revenue numeric);
    insert into sample_monthly_kpis (month, channel, brand, revenue, cogs, orders, units)
    select (v_month + make_interval(months => x.month_offset))::date, x.channel, x.brand, x.revenue, x.cogs, x.orders, x.units
      from jsonb_to_recordset(p_data #> '{reporting,monthly_kpis}') as x(month_offset integer, channel text, brand text, revenue numeric, cogs numeric, orders integer, units integer);
    insert into sample_monthly_ops (month, ad_spend, new_customers, otif_pct, weeks_of_supply, open_pipeline)
    select (v_month + make_interval(months => x.month_offset))::date, x.ad_spend, x.new_customers, x.otif_pct, x.weeks_of_supply, x.open_pipeline
      from jsonb_to_recordset(p_data #> '{reporting,monthly_ops}') as x(month_offset integer, ad_spend numeric, new_customers integer, otif_pct numeric,
           weeks_of_supply numeric, open_pipeline numeric);
    insert into sample_disclosure_calendar (kind, label, name, on_date)
    select x.kind, x.label, x.name, v_today + x.days_from_now
      from jsonb_to_recordset(p_data #> '{disclosure,calendar}') as x(kind text, label text, name text, days_from_now integer);
    insert into sample_scheduled_outbound (id, source, brand, channel, title, body, scheduled_at)
    select x.id, x.source, x.brand, x.channel, x.title, x.body, p_now + make_interval(hours => x.scheduled_in_hours)
      from jsonb_to_recordset(p_data #> '{disclosure,scheduled_outbound}') as x(id text, source text, brand text, channel text, title text, body text,
           scheduled_in_hours integer);
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Orders, revenue and units per local day and channel (dtc, wholesale, amazon) in [p_from, p_to],
-- with the brand split: the detailed sample orders by their local day in p_tz, the daily history
-- before them, and the Amazon metrics.
create function sample_reporting_daily_sales(p_from date, p_to date, p_tz text default 'UTC')
returns table (day date, channel text, orders integer, revenue numeric, units integer, brands jsonb)
language sql stable as $$
  with lines as (
    select (o.created_at at time zone p_tz)::date as day, o.channel, o.id, l.quantity, l.price * l.quantity as amount, p.brand
      from sample_orders o
      cross join jsonb_to_recordset(o.lines) as l(sku text, quantity integer, price numeric)
      join sample_products p on p.sku = l.sku
     where o.financial_status <> 'voided' and (o.created_at at time zone p_tz)::date between p_from and p_to
  ), per_brand as (
    select l.day, l.channel, l.brand, sum(l.amount) as revenue, sum(l.quantity)::integer as units from lines l group by 1, 2, 3
  ), per_channel as (
    select l.day, l.channel, count(distinct l.id)::integer as orders, sum(l.amount) as revenue, sum(l.quantity)::integer as units from lines l group by 1, 2
  )
  select c.day, c.channel, c.orders, c.revenue, c.units,
         (select jsonb_object_agg(b.brand, jsonb_build_object('revenue', b.revenue, 'units', b.units))
            from per_brand b where b.day = c.day and b.channel = c.channel)
    from per_channel c
  union all
  select h.day, h.channel, h.orders, h.revenue, h.units, h.brands from sample_order_history_daily h where h.day between p_from and p_to
  union all
  select a.day, 'amazon', a.orders, a.revenue, a.units, a.brands from sample_amazon_order_metrics a where a.day between p_from and p_to
  order by 1, 2;
$$;

-- The plan for the months in [p_from, p_to] (first days of months).
create function sample_reporting_plan(p_from date, p_to date)
returns table (month date, channel text, brand text, revenue numeric)
language sql stable as $$
  select t.month, t.channel, t.brand, t.revenue from sample_plan_targets t where t.month between p_from and p_to order by 1, 2, 3;
$$;

-- Closed months' KPIs per channel × brand, and the company-level ones, for [p_from, p_to].
create function sample_reporting_monthly_kpis(p_from date, p_to date)
returns table (month date, channel text, brand text, revenue numeric, cogs numeric, orders integer, units integer)
language sql stable as $$
  select k.month, k.channel, k.brand, k.revenue, k.cogs, k.orders, k.units from sample_monthly_kpis k where k.month between p_from and p_to order by 1, 2, 3;
$$;
create function sample_reporting_monthly_ops(p_from date, p_to date)
returns table (month date, ad_spend numeric, new_customers integer, otif_pct numeric, weeks_of_supply numeric, open_pipeline numeric)
language sql stable as $$
  select o.month, o.ad_spend, o.new_customers, o.otif_pct, o.weeks_of_supply, o.open_pipeline from sample_monthly_ops o where o.month between p_from and p_to order by 1;
$$;

create function sample_disclosure_calendar_list()
returns table (kind text, label text, name text, on_date date)
language sql stable as $$
  select c.kind, c.label, c.name, c.on_date from sample_disclosure_calendar c order by c.on_date, c.id;
$$;

-- Content scheduled to go out between now and p_until.
create function sample_publishing_scheduled(p_until timestamptz)
returns table (item_id text, source text, brand text, channel text, title text, body text, scheduled_at timestamptz)
language sql stable as $$
  select s.id, s.source, s.brand, s.channel, s.title, s.body, s.scheduled_at
    from sample_scheduled_outbound s where s.scheduled_at > now() and s.scheduled_at <= p_until order by s.scheduled_at, s.id;
$$;

-- A hold on an approval (disclosure-guard in a quiet period): the approval may still be decided,
-- but no executor claims it until the hold is released or lapses. It rides on the lease the
-- executor claim already honours (an approved approval whose lease_until is in the future is not
-- claimed; defer_approval_execution uses the same column), so every bot's worker respects it.
create table approval_holds (
  approval_id uuid primary key references approvals (id) on delete cascade,
  held_by text not null,
  rule text not null,
  excerpt text not null,
  held_until timestamptz not null,
  held_at timestamptz not null default now(),
  released_at timestamptz,
  released_by text
);

-- Hold a pending or approved (not yet executing) approval until p_until; a repeat keeps the
-- first hold (returns held = false when there was nothing to hold).
create function hold_approval(p_approval_id uuid, p_held_by text, p_rule text, p_excerpt text, p_until timestamptz)
returns table (held boolean, already_held boolean, status text)
language plpgsql as $$
declare
  v_approval approvals;
  v_existing approval_holds;
begin
  select * into v_approval from approvals a where a.id = p_approval_id for update;
  if v_approval.id is null then
    raise exception 'approval % does not exist', p_approval_id using errcode = 'no_data_found';
  end if;
  select * into v_existing from approval_holds h where h.approval_id = p_approval_id;
  if v_existing.approval_id is not null and v_existing.released_at is null then
    return query select false, true, v_approval.status;
    return;
  end if;
  if v_existing.approval_id is not null then
    -- Released once already (a person decided it may go): a later run does not hold it again.
    return query select false, false, v_approval.status;
    return;
  end if;
  if v_approval.status not in ('pending', 'approved') then
    return query select false, false, v_approval.status;
    return;
  end if;
  insert into approval_holds (approval_id, held_by, rule, excerpt, held_until) values (p_approval_id, p_held_by, p_rule, left(p_excerpt, 500), p_until);
  update approvals a set lease_until = greatest(coalesce(a.lease_until, p_until), p_until) where a.id = p_approval_id;
  return query select true, false, v_approval.status;
end
$$;

-- Lift a hold: the approval becomes claimable at once (its worker is woken).
create function release_approval_hold(p_approval_id uuid, p_released_by text)
returns table (released boolean, status text)
language plpgsql as $$
declare
  v_hold approval_holds;
  v_approval approvals;
begin
  select * into v_hold from approval_holds h where h.approval_id = p_approval_id for update;
  if v_hold.approval_id is null or v_hold.released_at is not null then
    return query select false, (select a.status from approvals a where a.id = p_approval_id);
    return;
  end if;
  update approval_holds h set released_at = now(), released_by = p_released_by where h.approval_id = p_approval_id;
  update approvals a set lease_until = null
   where a.id = p_approval_id and a.status in ('pending', 'approved')
  returning * into v_approval;
  if v_approval.id is not null then
    perform pg_notify('approvals', json_build_object('id', v_approval.id, 'bot', v_approval.bot, 'status', v_approval.status)::text);
  end if;
  return query select true, (select a.status from approvals a where a.id = p_approval_id);
end
$$;

-- The hold on one approval, if any.
create function approval_hold_of(p_approval_id uuid)
returns table (approval_id uuid, held_by text, rule text, excerpt text, held_until timestamptz, held_at timestamptz, released_at timestamptz, released_by text)
language sql stable as $$
  select h.approval_id, h.held_by, h.rule, h.excerpt, h.held_until, h.held_at, h.released_at, h.released_by from approval_holds h where h.approval_id = p_approval_id;
$$;

-- weekly-ops-review's facts from the brain for [p_since, now): one row per fact family.
-- signals: per bot and severity; escalations: raised (warning+) vs acted on (the operator answered,
-- or an approval was asked on it); approvals by status; runs by status; LLM dollars per bot.
create function weekly_ops_facts(p_since timestamptz)
returns table (family text, bot text, key text, value numeric)
language sql stable as $$
  select 'signals', s.source_bot, s.severity::text, sum(s.repeat_count)::numeric
    from bot_signals s where s.created_at >= p_since and s.signal_type <> 'operator_instruction' group by 2, 3
  union all
  select 'escalations', s.source_bot, 'raised', count(*)::numeric
    from bot_signals s where s.created_at >= p_since and s.severity >= 'warning' and s.signal_type <> 'approval_requested' group by 2
  union all
  select 'escalations', s.source_bot, 'acted', count(*)::numeric
    from bot_signals s
   where s.created_at >= p_since and s.severity >= 'warning' and s.signal_type <> 'approval_requested'
     and (exists (select 1 from escalations e where e.signal_id = s.id and e.status = 'answered')
          or exists (select 1 from approvals a where a.signal_id = s.id))
   group by 2
  union all
  select 'approvals', a.bot, a.status, count(*)::numeric from approvals a where a.requested_at >= p_since group by 2, 3
  union all
  select 'runs', r.bot, r.status, count(*)::numeric from cron_runs r where r.scheduled_for >= p_since group by 2, 3
  union all
  select 'llm_usd', u.bot, 'cost', sum(u.cost_usd)::numeric from llm_usage u where u.created_at >= p_since group by 2
  order by 1, 2, 3;
$$;
