-- shipbot's Amazon FBA jobs (fba-inventory-health, fba-inbound-watch, fba-capacity-review) and
-- wholesale-allocation on the sample company (sample-data/shipbot-fba.json): FBA inventory
-- summaries, the planning / stranded / storage-fee report rows under Amazon's own column names,
-- three inbound shipments (one received 36 short), the operator's weekly IPI and capacity limit,
-- and ship windows and account tiers for the open wholesale POs. Approved actions write here once
-- per idempotency key (an inbound plan created, an allocation applied).

create table sample_fba_inventory (
  sku text primary key,
  asin text not null,
  fnsku text not null,
  fulfillable integer not null,
  inbound_working integer not null default 0,
  inbound_shipped integer not null default 0,
  inbound_receiving integer not null default 0,
  reserved integer not null default 0,
  unfulfillable integer not null default 0
);

-- Report rows as Amazon's report documents carry them (column name → value), one report type each.
create table sample_fba_report_rows (
  report_type text not null,
  position integer not null,
  row_data jsonb not null,
  primary key (report_type, position)
);

create table sample_fba_inbound_shipments (
  shipment_id text primary key,
  name text not null,
  inbound_plan_id text not null,
  status text not null,
  destination text not null,
  shipped_at timestamptz
);

create table sample_fba_inbound_items (
  shipment_id text not null references sample_fba_inbound_shipments (shipment_id) on delete cascade,
  sku text not null,
  fnsku text not null,
  quantity_shipped integer not null,
  quantity_received integer not null,
  primary key (shipment_id, sku)
);

create table sample_fba_inbound_plans (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  inbound_plan_id text not null unique,
  items jsonb not null,
  created_at timestamptz not null default now()
);

-- IPI and the storage capacity limit are not in SP-API: the operator enters them weekly (a reply to
-- fba_capacity_risk, or `fleet`), and fba-capacity-review reads the latest. A brain table, not sample data.
create table fba_capacity_inputs (
  id bigint generated always as identity primary key,
  ipi integer not null check (ipi between 0 and 1000),
  capacity_limit_cuft numeric(12, 2) not null check (capacity_limit_cuft > 0),
  entered_by text not null,
  entered_at timestamptz not null default now()
);

create table sample_wholesale_terms (
  order_id text primary key,
  -- The ship window opens this many days before the promised (last) ship date.
  window_days integer not null,
  tier text not null check (tier in ('A', 'B', 'C')),
  short_fine_pct numeric(5, 2) not null default 0
);

create table sample_wholesale_allocations (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  order_id text not null,
  lines jsonb not null,
  backorder_ship_date date,
  created_at timestamptz not null default now()
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_shipbot_fba;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  v_today date := (p_now at time zone 'UTC')::date;
begin
  select * into v_result from sample_company_load_before_shipbot_fba(p_data, p_reset, p_now);
  if v_result.loaded then
    delete from sample_fba_inventory;
    delete from sample_fba_report_rows;
    delete from sample_fba_inbound_shipments;
    delete from sample_fba_inbound_plans;
    delete from sample_wholesale_terms;
    delete from sample_wholesale_allocations;
    delete from fba_capacity_inputs where entered_by = 'sample company';

    insert into sample_fba_inventory (sku, asin, fnsku, fulfillable, inbound_working, inbound_shipped, inbound_receiving, reserved, unfulfillable)
    select i.sku, i.asin, i.fnsku, i.fulfillable, i.inbound_working, i.inbound_shipped, i.inbound_receiving, i.reserved, i.unfulfillable
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot_fba,fba_inventory}', '[]')) as i(sku text, asin text, fnsku text, fulfillable integer,
           inbound_working integer, inbound_shipped integer, inbound_receiving integer, reserved integer, unfulfillable integer);

    insert into sample_fba_report_rows (report_type, position, row_data)
    select 'GET_FBA_INVENTORY_PLANNING_DATA', r.position::integer, r.value || jsonb_build_object('snapshot-date', v_today::text, 'marketplace', 'US')
      from jsonb_array_elements(coalesce(p_data #> '{shipbot_fba,planning}', '[]')) with ordinality as r(value, position);
    insert into sample_fba_report_rows (report_type, position, row_data)
    select 'GET_STRANDED_INVENTORY_UI_DATA', r.position::integer,
           (r.value - 'stranded-days-ago') || jsonb_build_object('date-stranded', (p_now - make_interval(days => (r.value ->> 'stranded-days-ago')::integer))::date::text)
      from jsonb_array_elements(coalesce(p_data #> '{shipbot_fba,stranded}', '[]')) with ordinality as r(value, position);
    insert into sample_fba_report_rows (report_type, position, row_data)
    select 'GET_FBA_STORAGE_FEE_CHARGES_DATA', r.position::integer, r.value || jsonb_build_object('month_of_charge', to_char(v_today, 'YYYY-MM'))
      from jsonb_array_elements(coalesce(p_data #> '{shipbot_fba,storage_fees}', '[]')) with ordinality as r(value, position);

    insert into sample_fba_inbound_shipments (shipment_id, name, inbound_plan_id, status, destination, shipped_at)
    select s.shipment_id, s.name, s.inbound_plan_id, s.status, s.destination,
           case when s.shipped_days_ago is not null then p_now - make_interval(days => s.shipped_days_ago) end
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot_fba,inbound}', '[]')) as s(shipment_id text, name text, inbound_plan_id text, status text,
           destination text, shipped_days_ago integer);
    insert into sample_fba_inbound_items (shipment_id, sku, fnsku, quantity_shipped, quantity_received)
    select s.shipment_id, i.sku, i.fnsku, i.shipped, i.received
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot_fba,inbound}', '[]')) as s(shipment_id text, items jsonb),
           jsonb_to_recordset(s.items) as i(sku text, fnsku text, shipped integer, received integer);

    insert into fba_capacity_inputs (ipi, capacity_limit_cuft, entered_by, entered_at)
    select (c ->> 'ipi')::integer, (c ->> 'capacity_limit_cuft')::numeric, 'sample company', p_now - make_interval(days => coalesce((c ->> 'entered_days_ago')::integer, 0))
      from (select p_data #> '{shipbot_fba,capacity_inputs}' as c) v
     where c is not null;

    insert into sample_wholesale_terms (order_id, window_days, tier, short_fine_pct)
    select t.order_id, t.window_days, t.tier, coalesce(t.short_fine_pct, 0)
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot_fba,wholesale_terms}', '[]')) as t(order_id text, window_days integer, tier text, short_fine_pct numeric);
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- FBA inventory summaries (getInventorySummaries with details), by SKU.
create function sample_fba_inventory_summaries()
returns table (sku text, asin text, fnsku text, fulfillable integer, inbound_working integer, inbound_shipped integer, inbound_receiving integer,
               reserved integer, unfulfillable integer)
language sql stable as $$
  select i.sku, i.asin, i.fnsku, i.fulfillable, i.inbound_working, i.inbound_shipped, i.inbound_receiving, i.reserved, i.unfulfillable
    from sample_fba_inventory i order by i.sku;
$$;

-- One report's rows, in report order, keyed by Amazon's column names.
create function sample_fba_report(p_report_type text)
returns table (row_data jsonb)
language sql stable as $$
  select r.row_data from sample_fba_report_rows r where r.report_type = p_report_type order by r.position;
$$;

-- Inbound shipments with their items (QuantityShipped vs QuantityReceived).
create function sample_fba_inbound_shipments()
returns table (shipment_id text, name text, inbound_plan_id text, status text, destination text, shipped_at timestamptz, items jsonb)
language sql stable as $$
  select s.shipment_id, s.name, s.inbound_plan_id, s.status, s.destination, s.shipped_at,
         coalesce((select jsonb_agg(jsonb_build_object('sku', i.sku, 'fnsku', i.fnsku, 'shipped', i.quantity_shipped, 'received', i.quantity_received) order by i.sku)
                     from sample_fba_inbound_items i where i.shipment_id = s.shipment_id), '[]'::jsonb)
    from sample_fba_inbound_shipments s order by s.shipment_id;
$$;

-- createInboundPlan on the sample: one plan per key; a repeat returns the first plan, created = false.
create function sample_fba_create_inbound_plan(p_idempotency_key text, p_items jsonb)
returns table (inbound_plan_id text, created boolean)
language plpgsql as $$
declare
  v_id bigint;
begin
  insert into sample_fba_inbound_plans (idempotency_key, inbound_plan_id, items)
  values (p_idempotency_key, 'wf' || substr(md5(p_idempotency_key), 1, 8) || '-' || substr(md5(p_idempotency_key), 9, 4), p_items)
  on conflict (idempotency_key) do nothing returning id into v_id;
  return query select p.inbound_plan_id, v_id is not null from sample_fba_inbound_plans p where p.idempotency_key = p_idempotency_key;
end;
$$;

-- Inbound plans created through approvals (newest first), for the CLI and tests.
create function sample_fba_list_inbound_plans()
returns table (inbound_plan_id text, items jsonb, created_at timestamptz)
language sql stable as $$
  select p.inbound_plan_id, p.items, p.created_at from sample_fba_inbound_plans p order by p.id desc;
$$;

-- Record the operator's weekly IPI and capacity limit.
create function fba_capacity_input_record(p_ipi integer, p_capacity_limit_cuft numeric, p_entered_by text)
returns table (id bigint, ipi integer, capacity_limit_cuft numeric, entered_by text, entered_at timestamptz)
language sql as $$
  insert into fba_capacity_inputs (ipi, capacity_limit_cuft, entered_by) values (p_ipi, p_capacity_limit_cuft, p_entered_by)
  returning id, ipi, capacity_limit_cuft, entered_by, entered_at;
$$;

-- The IPI and capacity limit the operator entered last (none: empty).
create function fba_capacity_input_latest()
returns table (ipi integer, capacity_limit_cuft numeric, entered_by text, entered_at timestamptz)
language sql stable as $$
  select c.ipi, c.capacity_limit_cuft, c.entered_by, c.entered_at from fba_capacity_inputs c order by c.id desc limit 1;
$$;

-- Open wholesale orders with their ship window (the promised date is its last day) and account tier.
create function sample_wholesale_open_orders()
returns table (order_id text, account_id text, customer_name text, customer_email text, window_start date, window_end date, tier text,
               short_fine_pct numeric, lines jsonb)
language sql stable as $$
  select o.id, o.account_id, o.customer_name, o.customer_email,
         o.promised_ship_date - coalesce(t.window_days, 0), o.promised_ship_date, coalesce(t.tier, 'B'), coalesce(t.short_fine_pct, 0), o.lines
    from sample_orders o left join sample_wholesale_terms t on t.order_id = o.id
   where o.channel = 'wholesale' and o.fulfillment_status not in ('fulfilled', 'cancelled') and o.promised_ship_date is not null
   order by o.promised_ship_date, o.id;
$$;

-- apply_allocation on the sample: the order's line quantities become the allocated ones (the rest is
-- recorded as a backorder shipping on p_backorder_ship_date), once per key.
create function sample_wholesale_apply_allocation(p_idempotency_key text, p_order_id text, p_lines jsonb, p_backorder_ship_date date)
returns table (applied boolean, order_id text, lines jsonb)
language plpgsql as $$
declare
  v_id bigint;
begin
  if not exists (select 1 from sample_orders o where o.id = p_order_id and o.channel = 'wholesale' and o.fulfillment_status not in ('fulfilled', 'cancelled')) then
    raise exception 'wholesale order % is not open: nothing to allocate', p_order_id using errcode = 'P0002';
  end if;
  insert into sample_wholesale_allocations (idempotency_key, order_id, lines, backorder_ship_date)
  values (p_idempotency_key, p_order_id, p_lines, p_backorder_ship_date)
  on conflict (idempotency_key) do nothing returning id into v_id;
  if v_id is not null then
    update sample_orders o
       set lines = (select jsonb_agg(case when a.allocate is null then l.value else jsonb_set(l.value, '{quantity}', to_jsonb(a.allocate)) end order by l.position)
                      from jsonb_array_elements(o.lines) with ordinality as l(value, position)
                      left join jsonb_to_recordset(p_lines) as a(sku text, allocate integer) on a.sku = l.value ->> 'sku')
     where o.id = p_order_id;
  end if;
  return query select v_id is not null, o.id, o.lines from sample_orders o where o.id = p_order_id;
end;
$$;

-- Allocations applied (newest first), for the CLI and tests.
create function sample_wholesale_list_allocations()
returns table (order_id text, lines jsonb, backorder_ship_date date, created_at timestamptz)
language sql stable as $$
  select a.order_id, a.lines, a.backorder_ship_date, a.created_at from sample_wholesale_allocations a order by a.id desc;
$$;
