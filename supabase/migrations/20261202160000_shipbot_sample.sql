-- shipbot's catalogue jobs on the sample company: the second warehouse's stock (RNO-2), open
-- purchase orders and supplier lead times (inventory-cover, reorder-points), order risk and
-- address checks (order-holds), 3PL shipment confirmations (fulfillment-sla), and the ledger of
-- holds, cancellations and customer notices approvals write (once per idempotency key).
-- Data comes from packages/connectors/sample-data/shipbot.json; the loader wraps the one before.

-- Open purchase orders: stock on order that has not shipped as freight yet.
create table sample_purchase_orders (
  id text primary key,
  supplier_id text not null,
  sku text not null,
  quantity integer not null check (quantity > 0),
  location text not null,
  ordered_at timestamptz not null,
  eta date not null,
  status text not null default 'open' check (status in ('open', 'received', 'cancelled'))
);

-- Replenishment facts per SKU: who supplies it, lead time mean and deviation, MOQ, demand σ, ABC class.
create table sample_supply (
  sku text primary key,
  supplier_id text not null,
  lead_time_days numeric(6, 1) not null,
  lead_time_sd_days numeric(6, 1) not null,
  moq integer not null,
  demand_sd numeric(10, 2) not null,
  abc_class text not null check (abc_class in ('A', 'B', 'C'))
);

-- Shopify's order risk assessment and the facts order-holds reads beside it.
create table sample_order_risk (
  order_id text primary key,
  risk_level text not null check (risk_level in ('LOW', 'MEDIUM', 'HIGH', 'NONE', 'PENDING')),
  facts jsonb not null default '[]'::jsonb,
  billing_country text not null,
  shipping_country text not null,
  customer_orders integer not null,
  ship_address1 text,
  ship_zip text
);

-- EasyPost-shaped address verification results; an order without a row verifies.
create table sample_address_verifications (
  order_id text primary key,
  verified boolean not null,
  errors jsonb not null default '[]'::jsonb
);

-- The 3PL/WMS shipment confirmations file, one row per order shipped (or not yet).
create table sample_shipment_confirmations (
  order_ref text primary key,
  location text not null,
  ordered_at timestamptz not null,
  shipped_at timestamptz,
  mis_ship boolean not null default false
);

-- Holds and cancellations executed by approval, once per idempotency key.
create table sample_order_holds (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  order_id text not null,
  kind text not null check (kind in ('hold', 'cancel')),
  reason text not null,
  created_at timestamptz not null default now()
);

-- EasyPost-shaped shipments (labels) with their trackers: what the label cost, what the
-- customer paid for shipping, and where the parcel is.
create table sample_parcel_shipments (
  id text primary key,
  tracker_id text not null unique,
  order_id text not null,
  customer_name text not null,
  customer_email text not null,
  tracking_code text not null,
  carrier text not null,
  service text not null,
  -- The service the customer paid for: ground or expedited.
  paid_service text not null,
  rate numeric(10, 2) not null,
  -- [{type, amount}]
  fees jsonb not null default '[]'::jsonb,
  shipping_charged numeric(10, 2) not null,
  order_total numeric(10, 2) not null,
  created_at timestamptz not null,
  status text not null,
  status_detail text,
  est_delivery_date date,
  last_scan_at timestamptz
);

-- The 3PL's inventory by lot (best-by dates) and its on-hand snapshot file.
create table sample_lots (
  sku text not null,
  lot text not null,
  location text not null,
  qty integer not null,
  expiry date not null,
  primary key (sku, lot, location)
);
create table sample_wms_snapshot (
  sku text not null,
  location text not null,
  on_hand integer not null,
  primary key (sku, location)
);

-- Corrections applied to the store's stock by approval (set_inventory_quantities), once per key.
create table sample_inventory_adjustments (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  sku text not null,
  location text not null,
  previous_available integer not null,
  available integer not null,
  reason text not null,
  created_at timestamptz not null default now()
);

-- Donation order files sent to the 3PL by approval (schedule_donation), once per key.
create table sample_donation_files (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  file_name text not null,
  partner text not null,
  -- [{sku, lot, location, qty}]
  lines jsonb not null,
  created_at timestamptz not null default now()
);

-- Returns (Shopify returnLineItems: quantity, returnReason, customerNote) per SKU.
create table sample_returns (
  return_id text primary key,
  order_id text not null,
  sku text not null,
  quantity integer not null,
  reason text not null,
  customer_note text,
  created_at timestamptz not null
);

-- Customer notices shipbot sends after an approval (an address to correct, a new ship date, a
-- parcel in trouble): the sample store's outbox, one row per idempotency key.
create table sample_customer_notices (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  order_id text not null,
  to_email text not null,
  subject text not null,
  body text not null,
  kind text not null,
  created_at timestamptz not null default now()
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_shipbot_jobs;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  v_today date := (p_now at time zone 'UTC')::date;
  -- The company's own zone decides what "yesterday" and "before the 14:00 cutoff" mean.
  v_zone text := coalesce(p_data #>> '{company,time_zone}', 'America/Los_Angeles');
  v_local_today date := (p_now at time zone coalesce(p_data #>> '{company,time_zone}', 'America/Los_Angeles'))::date;
  v_orders integer;
begin
  select * into v_result from sample_company_load_before_shipbot_jobs(p_data, p_reset, p_now);
  if v_result.loaded then
    delete from sample_purchase_orders;
    delete from sample_supply;
    delete from sample_order_risk;
    delete from sample_address_verifications;
    delete from sample_shipment_confirmations;
    delete from sample_order_holds;
    delete from sample_customer_notices;
    delete from sample_parcel_shipments;
    delete from sample_lots;
    delete from sample_returns;
    delete from sample_wms_snapshot;
    delete from sample_inventory_adjustments;
    delete from sample_donation_files;

    insert into sample_inventory (sku, location, on_hand, daily_velocity)
    select i.sku, i.location, i.on_hand, i.daily_velocity
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot,inventory}', '[]'::jsonb)) as i(sku text, location text, on_hand integer, daily_velocity numeric);

    insert into sample_orders (id, channel, account_id, customer_name, customer_email, ship_city, ship_province, created_at, financial_status, fulfillment_status, backordered, promised_ship_date, lines)
    select o.id, o.channel, o.account_id, o.customer_name, o.customer_email, o.ship_city, o.ship_province,
           p_now - make_interval(hours => o.created_hours_ago), o.financial_status, o.fulfillment_status, coalesce(o.backordered, false),
           case when o.promised_ship_in_days is not null then v_today + o.promised_ship_in_days end, o.lines
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot,orders}', '[]'::jsonb)) as o(id text, channel text, account_id text, customer_name text,
           customer_email text, ship_city text, ship_province text, created_hours_ago integer, financial_status text, fulfillment_status text,
           backordered boolean, promised_ship_in_days integer, lines jsonb);

    insert into sample_purchase_orders (id, supplier_id, sku, quantity, location, ordered_at, eta, status)
    select p.id, p.supplier_id, p.sku, p.quantity, p.location, p_now - make_interval(days => p.ordered_days_ago), v_today + p.eta_in_days, coalesce(p.status, 'open')
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot,purchase_orders}', '[]'::jsonb)) as p(id text, supplier_id text, sku text, quantity integer,
           location text, ordered_days_ago integer, eta_in_days integer, status text);

    insert into sample_supply (sku, supplier_id, lead_time_days, lead_time_sd_days, moq, demand_sd, abc_class)
    select s.sku, s.supplier_id, s.lead_time_days, s.lead_time_sd_days, s.moq, s.demand_sd, s.abc_class
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot,supply}', '[]'::jsonb)) as s(sku text, supplier_id text, lead_time_days numeric,
           lead_time_sd_days numeric, moq integer, demand_sd numeric, abc_class text);

    insert into sample_order_risk (order_id, risk_level, facts, billing_country, shipping_country, customer_orders, ship_address1, ship_zip)
    select r.order_id, r.risk_level, coalesce(r.facts, '[]'::jsonb), r.billing_country, r.shipping_country, r.customer_orders, r.ship_address1, r.ship_zip
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot,order_risk}', '[]'::jsonb)) as r(order_id text, risk_level text, facts jsonb,
           billing_country text, shipping_country text, customer_orders integer, ship_address1 text, ship_zip text);

    insert into sample_address_verifications (order_id, verified, errors)
    select a.order_id, a.verified, coalesce(a.errors, '[]'::jsonb)
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot,address_verifications}', '[]'::jsonb)) as a(order_id text, verified boolean, errors jsonb);

    insert into sample_parcel_shipments (id, tracker_id, order_id, customer_name, customer_email, tracking_code, carrier, service, paid_service, rate, fees,
                                         shipping_charged, order_total, created_at, status, status_detail, est_delivery_date, last_scan_at)
    select p.id, p.tracker_id, p.order_id, p.customer_name, p.customer_email, p.tracking_code, p.carrier, p.service, p.paid_service, p.rate,
           coalesce(p.fees, '[]'::jsonb), p.shipping_charged, p.order_total, p_now - make_interval(hours => p.created_hours_ago), p.status, p.status_detail,
           case when p.est_delivery_in_days is not null then v_today + p.est_delivery_in_days end,
           case when p.last_scan_hours_ago is not null then p_now - make_interval(hours => p.last_scan_hours_ago) end
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot,parcel_shipments}', '[]'::jsonb)) as p(id text, tracker_id text, order_id text,
           customer_name text, customer_email text, tracking_code text, carrier text, service text, paid_service text, rate numeric, fees jsonb,
           shipping_charged numeric, order_total numeric, created_hours_ago integer, status text, status_detail text, est_delivery_in_days integer,
           last_scan_hours_ago integer);

    insert into sample_lots (sku, lot, location, qty, expiry)
    select l.sku, l.lot, l.location, l.qty, v_today + l.expiry_in_days
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot,lots}', '[]'::jsonb)) as l(sku text, lot text, location text, qty integer, expiry_in_days integer);

    insert into sample_returns (return_id, order_id, sku, quantity, reason, customer_note, created_at)
    select r.return_id, r.order_id, r.sku, r.quantity, r.reason, r.customer_note, p_now - make_interval(days => r.created_days_ago)
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot,returns}', '[]'::jsonb)) as r(return_id text, order_id text, sku text, quantity integer,
           reason text, customer_note text, created_days_ago integer);

    insert into sample_wms_snapshot (sku, location, on_hand)
    select w.sku, w.location, w.on_hand
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot,wms_snapshot}', '[]'::jsonb)) as w(sku text, location text, on_hand integer);

    -- Local day minus the offset, plus minutes after local midnight, in the company's zone.
    insert into sample_shipment_confirmations (order_ref, location, ordered_at, shipped_at, mis_ship)
    select c.order_ref, c.location,
           ((v_local_today - c.ordered_days_ago) + make_interval(mins => c.ordered_minute)) at time zone v_zone,
           case when c.shipped_days_ago is not null then ((v_local_today - c.shipped_days_ago) + make_interval(mins => c.shipped_minute)) at time zone v_zone end,
           coalesce(c.mis_ship, false)
      from jsonb_to_recordset(coalesce(p_data #> '{shipbot,shipment_confirmations}', '[]'::jsonb)) as c(order_ref text, location text,
           ordered_days_ago integer, ordered_minute integer, shipped_days_ago integer, shipped_minute integer, mis_ship boolean);
  end if;
  select count(*)::integer into v_orders from sample_orders;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_orders;
end;
$$;

-- The location open orders ship from: the company's first warehouse (the Portland DC).
create function sample_primary_location()
returns text
language sql stable as $$
  select coalesce((select m.data #>> '{warehouses,0,id}' from sample_company_meta m limit 1), 'PDX-1');
$$;

-- Inventory per SKU and location, as before, with open orders committed at the location that
-- ships them (the primary DC) instead of at every location a SKU is stocked.
create or replace function sample_commerce_inventory()
returns table (sku text, name text, brand text, brand_name text, location text, on_hand integer, committed integer, available integer, daily_velocity numeric)
language sql stable as $$
  with committed as (
    select l.sku, sum(l.quantity)::integer as quantity
      from sample_orders o, jsonb_to_recordset(o.lines) as l(sku text, quantity integer)
     where o.fulfillment_status not in ('fulfilled', 'cancelled')
     group by l.sku),
  levels as (
    select i.*, case when i.location = sample_primary_location() then coalesce(c.quantity, 0) else 0 end as held
      from sample_inventory i left join committed c on c.sku = i.sku)
  select v.sku, p.name, p.brand, p.brand_name, v.location, v.on_hand, v.held, v.on_hand - v.held, v.daily_velocity
    from levels v join sample_products p on p.sku = v.sku
   order by v.sku, v.location;
$$;

-- Orders as before; a cancelled order is no longer open.
create or replace function sample_commerce_list_orders(p_since timestamptz default null, p_open_only boolean default false)
returns table (order_id text, channel text, account_id text, customer_name text, customer_email text, ship_city text, ship_province text,
               created_at timestamptz, financial_status text, fulfillment_status text, backordered boolean, promised_ship_date date, lines jsonb)
language sql stable as $$
  select o.id, o.channel, o.account_id, o.customer_name, o.customer_email, o.ship_city, o.ship_province, o.created_at,
         o.financial_status, o.fulfillment_status, o.backordered, o.promised_ship_date, o.lines
    from sample_orders o
   where (p_since is null or o.created_at >= p_since) and (not p_open_only or o.fulfillment_status not in ('fulfilled', 'cancelled'))
   order by o.created_at;
$$;

-- Shopify-shaped inventory levels: quantities by name per SKU and location. `committed` is DTC
-- orders ready to ship (Shopify commits stock when an order is placed); wholesale POs awaiting
-- their ship window are `reserved` (wholesale-allocation weighs them); `incoming` is open POs
-- to the location.
create function sample_fulfilment_inventory_levels()
returns table (sku text, name text, brand_name text, price numeric, location text, on_hand integer, committed integer, reserved integer,
               available integer, incoming integer, daily_velocity numeric)
language sql stable as $$
  with open_lines as (
    select o.channel, o.backordered, l.sku, l.quantity
      from sample_orders o, jsonb_to_recordset(o.lines) as l(sku text, quantity integer)
     where o.fulfillment_status not in ('fulfilled', 'cancelled')),
  demand as (
    select l.sku,
           coalesce(sum(l.quantity) filter (where l.channel = 'dtc' and not l.backordered), 0)::integer as committed,
           coalesce(sum(l.quantity) filter (where l.channel = 'wholesale'), 0)::integer as reserved
      from open_lines l group by l.sku),
  incoming as (
    select po.sku, po.location, sum(po.quantity)::integer as quantity from sample_purchase_orders po where po.status = 'open' group by po.sku, po.location)
  select i.sku, p.name, p.brand_name, p.price, i.location, i.on_hand,
         case when i.location = sample_primary_location() then coalesce(d.committed, 0) else 0 end,
         case when i.location = sample_primary_location() then coalesce(d.reserved, 0) else 0 end,
         i.on_hand - case when i.location = sample_primary_location() then coalesce(d.committed, 0) else 0 end,
         coalesce(n.quantity, 0), i.daily_velocity
    from sample_inventory i
    join sample_products p on p.sku = i.sku
    left join demand d on d.sku = i.sku
    left join incoming n on n.sku = i.sku and n.location = i.location
   order by i.sku, i.location;
$$;

-- Open purchase orders (not yet shipped as freight).
create function sample_fulfilment_purchase_orders()
returns table (po_id text, supplier_id text, sku text, quantity integer, location text, ordered_at timestamptz, eta date)
language sql stable as $$
  select po.id, po.supplier_id, po.sku, po.quantity, po.location, po.ordered_at, po.eta from sample_purchase_orders po where po.status = 'open' order by po.eta, po.id;
$$;

-- Replenishment facts per SKU.
create function sample_fulfilment_supply()
returns table (sku text, supplier_id text, lead_time_days numeric, lead_time_sd_days numeric, moq integer, demand_sd numeric, abc_class text)
language sql stable as $$
  select s.sku, s.supplier_id, s.lead_time_days, s.lead_time_sd_days, s.moq, s.demand_sd, s.abc_class from sample_supply s order by s.sku;
$$;

-- Unfulfilled DTC orders since a time, with their risk assessment and the latest hold, if any.
create function sample_fulfilment_order_risk(p_since timestamptz default null)
returns table (order_id text, created_at timestamptz, customer_name text, customer_email text, total numeric, risk_level text, facts jsonb,
               billing_country text, shipping_country text, customer_orders integer, ship_address1 text, ship_city text, ship_province text,
               ship_zip text, fulfillment_status text)
language sql stable as $$
  select o.id, o.created_at, o.customer_name, o.customer_email,
         (select coalesce(sum(l.quantity * l.price), 0) from jsonb_to_recordset(o.lines) as l(quantity integer, price numeric)),
         coalesce(r.risk_level, 'LOW'), coalesce(r.facts, '[]'::jsonb), coalesce(r.billing_country, 'US'), coalesce(r.shipping_country, 'US'),
         coalesce(r.customer_orders, 2), r.ship_address1, o.ship_city, o.ship_province, r.ship_zip, o.fulfillment_status
    from sample_orders o left join sample_order_risk r on r.order_id = o.id
   where o.channel = 'dtc' and o.fulfillment_status = 'unfulfilled' and (p_since is null or o.created_at >= p_since)
   order by o.created_at;
$$;

-- The address check for an order (EasyPost verify): unverifiable when a row says so.
create function sample_fulfilment_verify_address(p_order_id text)
returns table (verified boolean, errors jsonb)
language sql stable as $$
  select coalesce(a.verified, true), coalesce(a.errors, '[]'::jsonb)
    from (select p_order_id as order_id) q left join sample_address_verifications a on a.order_id = q.order_id;
$$;

-- Shipment confirmations from the WMS file, orders placed since a time.
create function sample_fulfilment_shipment_confirmations(p_since timestamptz default null)
returns table (order_ref text, location text, ordered_at timestamptz, shipped_at timestamptz, mis_ship boolean)
language sql stable as $$
  select c.order_ref, c.location, c.ordered_at, c.shipped_at, c.mis_ship from sample_shipment_confirmations c
   where p_since is null or c.ordered_at >= p_since order by c.ordered_at;
$$;

-- Hold (fulfilment on hold) or cancel (refunded) an open order, once per idempotency key. A
-- repeat returns the first row with applied = false; an order already shipped cannot be held.
create function sample_fulfilment_hold_order(p_idempotency_key text, p_order_id text, p_kind text, p_reason text)
returns table (hold_id bigint, applied boolean, fulfillment_status text)
language plpgsql as $$
declare
  v_id bigint;
  v_status text;
begin
  select o.fulfillment_status into v_status from sample_orders o where o.id = p_order_id for update;
  if not found then
    raise exception 'sample order % does not exist', p_order_id using errcode = 'no_data_found';
  end if;
  insert into sample_order_holds (idempotency_key, order_id, kind, reason) values (p_idempotency_key, p_order_id, p_kind, p_reason)
  on conflict (idempotency_key) do nothing returning id into v_id;
  if v_id is null then
    return query select h.id, false, v_status from sample_order_holds h where h.idempotency_key = p_idempotency_key;
    return;
  end if;
  if v_status = 'fulfilled' then
    raise exception 'sample order % has already shipped; it cannot be held', p_order_id using errcode = 'check_violation';
  end if;
  update sample_orders o
     set fulfillment_status = case when p_kind = 'cancel' then 'cancelled' else 'on_hold' end,
         financial_status = case when p_kind = 'cancel' then 'refunded' else o.financial_status end
   where o.id = p_order_id
  returning o.fulfillment_status into v_status;
  return query select v_id, true, v_status;
end;
$$;

-- Holds and cancellations applied (newest first), for the CLI and tests.
create function sample_fulfilment_list_holds()
returns table (hold_id bigint, idempotency_key text, order_id text, kind text, reason text, created_at timestamptz)
language sql stable as $$
  select h.id, h.idempotency_key, h.order_id, h.kind, h.reason, h.created_at from sample_order_holds h order by h.id desc;
$$;

-- Record a notice once per key; a repeat returns the first with created = false.
create function sample_fulfilment_send_customer_notice(p_idempotency_key text, p_order_id text, p_to text, p_subject text, p_body text, p_kind text)
returns table (notice_id bigint, created boolean)
language plpgsql as $$
declare
  v_id bigint;
begin
  -- No check against sample_orders: a parcel's order may be older than the week of orders kept there.
  insert into sample_customer_notices (idempotency_key, order_id, to_email, subject, body, kind)
  values (p_idempotency_key, p_order_id, p_to, p_subject, p_body, p_kind)
  on conflict (idempotency_key) do nothing returning id into v_id;
  if v_id is not null then
    return query select v_id, true;
  else
    return query select n.id, false from sample_customer_notices n where n.idempotency_key = p_idempotency_key;
  end if;
end;
$$;

-- Notices sent (newest first), for the CLI and tests.
create function sample_fulfilment_list_customer_notices(p_order_id text default null)
returns table (notice_id bigint, idempotency_key text, order_id text, to_email text, subject text, body text, kind text, created_at timestamptz)
language sql stable as $$
  select n.id, n.idempotency_key, n.order_id, n.to_email, n.subject, n.body, n.kind, n.created_at from sample_customer_notices n
   where p_order_id is null or n.order_id = p_order_id order by n.id desc;
$$;

-- Parcel shipments (labels and trackers) created since a time, newest first.
create function sample_parcel_list_shipments(p_since timestamptz default null)
returns table (shipment_id text, tracker_id text, order_id text, customer_name text, customer_email text, tracking_code text, carrier text, service text,
               paid_service text, rate numeric, fees jsonb, shipping_charged numeric, order_total numeric, created_at timestamptz, status text,
               status_detail text, est_delivery_date date, last_scan_at timestamptz)
language sql stable as $$
  select p.id, p.tracker_id, p.order_id, p.customer_name, p.customer_email, p.tracking_code, p.carrier, p.service, p.paid_service, p.rate, p.fees,
         p.shipping_charged, p.order_total, p.created_at, p.status, p.status_detail, p.est_delivery_date, p.last_scan_at
    from sample_parcel_shipments p where p_since is null or p.created_at >= p_since order by p.created_at desc;
$$;

-- The 3PL's lots file.
create function sample_warehouse_lots()
returns table (sku text, lot text, location text, qty integer, expiry date)
language sql stable as $$
  select l.sku, l.lot, l.location, l.qty, l.expiry from sample_lots l order by l.sku, l.expiry, l.lot;
$$;

-- The 3PL's on-hand snapshot file.
create function sample_warehouse_on_hand()
returns table (sku text, location text, on_hand integer)
language sql stable as $$
  select w.sku, w.location, w.on_hand from sample_wms_snapshot w order by w.sku, w.location;
$$;

-- Set a SKU's available quantity at a location (Shopify inventorySetQuantities, name available),
-- once per key: on hand moves so that on hand − committed = the new available. A repeat returns
-- the first adjustment with applied = false.
create function sample_fulfilment_set_available(p_idempotency_key text, p_sku text, p_location text, p_available integer, p_reason text)
returns table (adjustment_id bigint, applied boolean, previous_available integer, available integer)
language plpgsql as $$
declare
  v_level record;
  v_id bigint;
begin
  select l.* into v_level from sample_fulfilment_inventory_levels() l where l.sku = p_sku and l.location = p_location;
  if not found then
    raise exception 'sample inventory has no % at %', p_sku, p_location using errcode = 'no_data_found';
  end if;
  insert into sample_inventory_adjustments (idempotency_key, sku, location, previous_available, available, reason)
  values (p_idempotency_key, p_sku, p_location, v_level.available, p_available, p_reason)
  on conflict (idempotency_key) do nothing returning id into v_id;
  if v_id is null then
    return query select a.id, false, a.previous_available, a.available from sample_inventory_adjustments a where a.idempotency_key = p_idempotency_key;
    return;
  end if;
  update sample_inventory i set on_hand = i.on_hand + (p_available - v_level.available) where i.sku = p_sku and i.location = p_location;
  return query select v_id, true, v_level.available, p_available;
end;
$$;

-- Drop a donation order file for the 3PL, once per key (the file name carries the key).
create function sample_warehouse_send_donation(p_idempotency_key text, p_file_name text, p_partner text, p_lines jsonb)
returns table (file_name text, created boolean)
language plpgsql as $$
declare
  v_id bigint;
begin
  insert into sample_donation_files (idempotency_key, file_name, partner, lines) values (p_idempotency_key, p_file_name, p_partner, p_lines)
  on conflict (idempotency_key) do nothing returning id into v_id;
  return query select d.file_name, v_id is not null from sample_donation_files d where d.idempotency_key = p_idempotency_key;
end;
$$;

-- Donation files and stock corrections (newest first), for the CLI and tests.
create function sample_warehouse_list_donations()
returns table (file_name text, partner text, lines jsonb, created_at timestamptz)
language sql stable as $$
  select d.file_name, d.partner, d.lines, d.created_at from sample_donation_files d order by d.id desc;
$$;
create function sample_fulfilment_list_adjustments()
returns table (sku text, location text, previous_available integer, available integer, reason text, created_at timestamptz)
language sql stable as $$
  select a.sku, a.location, a.previous_available, a.available, a.reason, a.created_at from sample_inventory_adjustments a order by a.id desc;
$$;

-- Returns requested since a time.
create function sample_fulfilment_returns(p_since timestamptz default null)
returns table (return_id text, order_id text, sku text, quantity integer, reason text, customer_note text, created_at timestamptz)
language sql stable as $$
  select r.return_id, r.order_id, r.sku, r.quantity, r.reason, r.customer_note, r.created_at from sample_returns r
   where p_since is null or r.created_at >= p_since order by r.created_at;
$$;

-- The ship date last told to a customer, set once per key when a backorder update is sent.
create function sample_fulfilment_set_promised_date(p_idempotency_key text, p_order_id text, p_promised date)
returns table (applied boolean, promised_ship_date date)
language plpgsql as $$
begin
  perform pg_advisory_xact_lock(hashtext('sample_fulfilment_set_promised_date:' || p_idempotency_key));
  if exists (select 1 from sample_inventory_adjustments a where a.idempotency_key = p_idempotency_key) then
    return query select false, o.promised_ship_date from sample_orders o where o.id = p_order_id;
    return;
  end if;
  update sample_orders o set promised_ship_date = p_promised where o.id = p_order_id;
  if not found then
    raise exception 'sample order % does not exist', p_order_id using errcode = 'no_data_found';
  end if;
  -- The adjustments ledger records the key (sku = order, location = 'promise') so a repeat is a no-op.
  insert into sample_inventory_adjustments (idempotency_key, sku, location, previous_available, available, reason)
  values (p_idempotency_key, p_order_id, 'promise', 0, 0, 'backorder date ' || p_promised::text);
  return query select true, p_promised;
end;
$$;
