-- opsbot's catalogue jobs on the sample company (demurrage-watch, po-confirmations,
-- receiving-reconcile, vendor-intel, vendor-scorecard) and its signal handlers: the PO register
-- with acknowledgements and cargo-ready dates, supplier contacts, containers with last free days,
-- receipts against packing lists, six months of closed POs, ECB-style FX rates, factory holidays,
-- a freight-rate index, and the outboxes approvals write (supplier messages, drayage bookings),
-- each once per idempotency key. Data comes from packages/connectors/sample-data/opsbot.json.

-- Who to write to at each supplier, in which language, and where their goods leave from.
create table sample_supplier_profiles (
  supplier_id text primary key,
  email text not null,
  language text not null,
  currency text not null,
  port text not null,
  -- Place names a news item must mention to concern this supplier.
  keywords jsonb not null default '[]'::jsonb,
  lane text not null
);

-- The PO register as the supplier sees it (headers with lines). Shipbot's sample_purchase_orders
-- holds the on-order quantity per sellable SKU; packaging POs live only here.
create table sample_po_register (
  id text primary key,
  supplier_id text not null,
  currency text not null,
  -- [{sku, quantity, unit_cost}] with unit_cost in USD
  lines jsonb not null,
  sent_at timestamptz not null,
  acknowledged_at timestamptz,
  ready_date_original date,
  ready_date_confirmed date,
  booked boolean not null default false,
  note text,
  status text not null default 'open' check (status in ('open', 'received', 'cancelled')),
  -- The approval that created it (send_purchase_order), unique so it exists once.
  idempotency_key text unique,
  created_at timestamptz not null default now()
);

-- Every message to a supplier, forwarder or trucker an approval sent: the sample mail outbox.
create table sample_supplier_messages (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  supplier_id text,
  kind text not null check (kind in ('purchase_order', 'chaser', 'expedite', 'claim', 'scorecard', 'drayage')),
  to_address text not null,
  subject text not null,
  body text not null,
  refs jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);

-- Containers at (or on the way to) the port, Terminal49-shaped.
create table sample_containers (
  container text primary key,
  shipment_id text not null,
  supplier_id text,
  po_ids jsonb not null default '[]'::jsonb,
  terminal text not null,
  port text not null,
  status text not null check (status in ('on_vessel', 'discharged', 'available', 'picked_up', 'returned')),
  discharged_at timestamptz,
  last_free_day date,
  holds jsonb not null default '[]'::jsonb,
  trucker text not null
);

-- Drayage pickup appointments: from the trucker's confirmations, or booked by approval (once per key).
create table sample_drayage_appointments (
  id bigint generated always as identity primary key,
  idempotency_key text unique,
  container text not null,
  appointment_at timestamptz not null,
  trucker text not null,
  created_at timestamptz not null default now()
);

-- Arrivals: the packing list (expected per SKU) against what the 3PL received and found damaged.
create table sample_receipts (
  shipment_id text primary key,
  po_id text not null,
  supplier_id text not null,
  arrived_at timestamptz not null,
  posted_at timestamptz,
  -- [{sku, expected, received, damaged, damage_code?, note?}]
  lines jsonb not null
);

-- Closed POs of the last six months: promised and actual lead time, quantities, price, claims.
create table sample_po_history (
  po_id text primary key,
  supplier_id text not null,
  sku text not null,
  quantity integer not null,
  received integer not null,
  unit_cost numeric(10, 2) not null,
  ordered_at timestamptz not null,
  promised_ready date not null,
  ready_on date not null,
  claims integer not null default 0
);

-- ECB euro reference rates (units of the currency per EUR), one per currency and business day.
create table sample_fx_rates (
  currency text not null,
  day date not null,
  per_eur numeric(14, 4) not null,
  primary key (currency, day)
);

-- Factory and national holidays that close suppliers.
create table sample_holidays (
  id bigint generated always as identity primary key,
  country text not null,
  name text not null,
  starts_on date not null,
  ends_on date not null,
  supplier_id text
);

-- The forwarder's weekly rate sheet: USD per 40-foot container per lane.
create table sample_freight_rates (
  lane text not null,
  week_start date not null,
  usd_per_feu numeric(10, 2) not null,
  primary key (lane, week_start)
);

-- Lead time per supplier-SKU as vendor-scorecard measured it (shipbot's safety stock reads it).
create table sample_lead_time_stats (
  supplier_id text not null,
  sku text not null,
  mean_days numeric(6, 1) not null,
  sd_days numeric(6, 1) not null,
  samples integer not null,
  computed_at timestamptz not null default now(),
  primary key (supplier_id, sku)
);

-- Demand added to PO planning by a won wholesale deal (deal_closed_won), once per deal and SKU.
create table sample_po_demand_bumps (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  deal_id text not null,
  account text not null,
  sku text not null,
  quantity integer not null,
  first_ship_date date,
  open_po_ids jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now()
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_opsbot_jobs;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  -- Last free days and ready dates are calendar days where the company is.
  v_today date := (p_now at time zone coalesce(p_data #>> '{company,time_zone}', 'America/Los_Angeles'))::date;
begin
  select * into v_result from sample_company_load_before_opsbot_jobs(p_data, p_reset, p_now);
  if v_result.loaded then
    delete from sample_supplier_profiles;
    delete from sample_po_register;
    delete from sample_supplier_messages;
    delete from sample_containers;
    delete from sample_drayage_appointments;
    delete from sample_receipts;
    delete from sample_po_history;
    delete from sample_fx_rates;
    delete from sample_holidays;
    delete from sample_freight_rates;
    delete from sample_lead_time_stats;
    delete from sample_po_demand_bumps;

    insert into sample_supplier_profiles (supplier_id, email, language, currency, port, keywords, lane)
    select s.supplier_id, s.email, s.language, s.currency, s.port, coalesce(s.keywords, '[]'::jsonb), s.lane
      from jsonb_to_recordset(coalesce(p_data #> '{opsbot,supplier_profiles}', '[]'::jsonb))
           as s(supplier_id text, email text, language text, currency text, port text, keywords jsonb, lane text);

    insert into sample_po_register (id, supplier_id, currency, lines, sent_at, acknowledged_at, ready_date_original, ready_date_confirmed, booked, note, status)
    select p.id, p.supplier_id, p.currency, p.lines, p_now - make_interval(days => p.sent_days_ago),
           case when p.acknowledged_days_ago is not null then p_now - make_interval(days => p.acknowledged_days_ago) end,
           v_today + p.ready_in_days_original, v_today + p.ready_in_days_confirmed, coalesce(p.booked, false), p.note, coalesce(p.status, 'open')
      from jsonb_to_recordset(coalesce(p_data #> '{opsbot,purchase_orders}', '[]'::jsonb))
           as p(id text, supplier_id text, currency text, lines jsonb, sent_days_ago integer, acknowledged_days_ago integer,
                ready_in_days_original integer, ready_in_days_confirmed integer, booked boolean, note text, status text);

    insert into sample_containers (container, shipment_id, supplier_id, po_ids, terminal, port, status, discharged_at, last_free_day, holds, trucker)
    select c.container, c.shipment_id, c.supplier_id, coalesce(c.po_ids, '[]'::jsonb), c.terminal, c.port, c.status,
           case when c.discharged_days_ago is not null then p_now - make_interval(days => c.discharged_days_ago) end,
           v_today + c.last_free_day_in_days, coalesce(c.holds, '[]'::jsonb), c.trucker
      from jsonb_to_recordset(coalesce(p_data #> '{opsbot,containers}', '[]'::jsonb))
           as c(container text, shipment_id text, supplier_id text, po_ids jsonb, terminal text, port text, status text,
                discharged_days_ago integer, last_free_day_in_days integer, holds jsonb, trucker text);

    insert into sample_drayage_appointments (container, appointment_at, trucker)
    select c.container, ((v_today + (c.appointment ->> 'in_days')::integer) + (c.appointment ->> 'time')::time)
                          at time zone coalesce(p_data #>> '{company,time_zone}', 'America/Los_Angeles'),
           c.appointment ->> 'trucker'
      from jsonb_to_recordset(coalesce(p_data #> '{opsbot,containers}', '[]'::jsonb)) as c(container text, appointment jsonb)
     where c.appointment is not null and jsonb_typeof(c.appointment) = 'object';

    insert into sample_receipts (shipment_id, po_id, supplier_id, arrived_at, posted_at, lines)
    select r.shipment_id, r.po_id, r.supplier_id, p_now - make_interval(days => r.arrived_days_ago),
           case when r.posted_days_ago is not null then p_now - make_interval(days => r.posted_days_ago) end, r.lines
      from jsonb_to_recordset(coalesce(p_data #> '{opsbot,receipts}', '[]'::jsonb))
           as r(shipment_id text, po_id text, supplier_id text, arrived_days_ago integer, posted_days_ago integer, lines jsonb);

    insert into sample_po_history (po_id, supplier_id, sku, quantity, received, unit_cost, ordered_at, promised_ready, ready_on, claims)
    select h.po_id, h.supplier_id, h.sku, h.quantity, h.received, h.unit_cost, p_now - make_interval(days => h.ordered_days_ago),
           v_today - h.ordered_days_ago + h.promised_days, v_today - h.ordered_days_ago + h.actual_days, coalesce(h.claims, 0)
      from jsonb_to_recordset(coalesce(p_data #> '{opsbot,po_history}', '[]'::jsonb))
           as h(po_id text, supplier_id text, sku text, quantity integer, received integer, unit_cost numeric, ordered_days_ago integer,
                promised_days integer, actual_days integer, claims integer);

    insert into sample_fx_rates (currency, day, per_eur)
    select f.currency, v_today - f.days_ago, f.per_eur
      from jsonb_to_recordset(coalesce(p_data #> '{opsbot,fx_rates}', '[]'::jsonb)) as f(currency text, days_ago integer, per_eur numeric);

    insert into sample_holidays (country, name, starts_on, ends_on, supplier_id)
    select h.country, h.name, v_today + h.starts_in_days, v_today + h.ends_in_days, h.supplier_id
      from jsonb_to_recordset(coalesce(p_data #> '{opsbot,holidays}', '[]'::jsonb))
           as h(country text, name text, starts_in_days integer, ends_in_days integer, supplier_id text);

    insert into sample_freight_rates (lane, week_start, usd_per_feu)
    select r.lane, v_today - 7 * r.weeks_ago, r.usd_per_feu
      from jsonb_to_recordset(coalesce(p_data #> '{opsbot,freight_rates}', '[]'::jsonb)) as r(lane text, weeks_ago integer, usd_per_feu numeric);
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Suppliers with their contact, language, currency, port and the place names that concern them.
create function sample_procurement_suppliers()
returns table (supplier_id text, name text, city text, country text, email text, language text, currency text, port text, keywords jsonb, lane text)
language sql stable as $$
  select s.id, s.name, s.city, s.country, p.email, p.language, p.currency, p.port, p.keywords, p.lane
    from sample_suppliers s join sample_supplier_profiles p on p.supplier_id = s.id
   order by s.id;
$$;

-- The PO register, oldest first.
create function sample_procurement_purchase_orders()
returns table (po_id text, supplier_id text, currency text, lines jsonb, sent_at timestamptz, acknowledged_at timestamptz,
               ready_date_original date, ready_date_confirmed date, booked boolean, note text, status text)
language sql stable as $$
  select r.id, r.supplier_id, r.currency, r.lines, r.sent_at, r.acknowledged_at, r.ready_date_original, r.ready_date_confirmed, r.booked, r.note, r.status
    from sample_po_register r
   order by r.sent_at, r.id;
$$;

-- Create a PO once per idempotency key: the register row and, for each line, shipbot's on-order
-- quantity at the location (so reorder-points sees it on order). Returns the PO and whether it is new.
create function sample_procurement_create_purchase_order(
  p_idempotency_key text, p_supplier_id text, p_currency text, p_lines jsonb, p_location text, p_eta date, p_ready_date date, p_now timestamptz default now())
returns table (po_id text, created boolean)
language plpgsql as $$
declare
  v_id text;
  v_line record;
  v_index integer := 0;
begin
  perform pg_advisory_xact_lock(hashtext('sample_procurement_create_purchase_order'));
  select r.id into v_id from sample_po_register r where r.idempotency_key = p_idempotency_key;
  if v_id is not null then
    return query select v_id, false;
    return;
  end if;
  select 'PO-' || (greatest(5000, coalesce(max(nullif(regexp_replace(r.id, '\D', '', 'g'), '')::integer), 0)) + 1)::text into v_id
    from sample_po_register r where r.id ~ '^PO-5\d{3,}$';
  if v_id is null then v_id := 'PO-5001'; end if;
  insert into sample_po_register (id, supplier_id, currency, lines, sent_at, ready_date_original, ready_date_confirmed, idempotency_key)
  values (v_id, p_supplier_id, p_currency, p_lines, p_now, p_ready_date, null, p_idempotency_key);
  for v_line in select * from jsonb_to_recordset(p_lines) as l(sku text, quantity integer) loop
    v_index := v_index + 1;
    insert into sample_purchase_orders (id, supplier_id, sku, quantity, location, ordered_at, eta, status)
    values (case when v_index = 1 then v_id else v_id || '-' || v_index end, p_supplier_id, v_line.sku, v_line.quantity, p_location, p_now, p_eta, 'open');
  end loop;
  return query select v_id, true;
end;
$$;

-- Send one message to a supplier (or forwarder, trucker) once per idempotency key.
create function sample_procurement_send_message(
  p_idempotency_key text, p_supplier_id text, p_kind text, p_to text, p_subject text, p_body text, p_refs jsonb default '{}'::jsonb)
returns table (message_id bigint, created boolean)
language plpgsql as $$
declare
  v_id bigint;
begin
  insert into sample_supplier_messages (idempotency_key, supplier_id, kind, to_address, subject, body, refs)
  values (p_idempotency_key, p_supplier_id, p_kind, p_to, p_subject, p_body, coalesce(p_refs, '{}'::jsonb))
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  if v_id is not null then
    return query select v_id, true;
  else
    return query select m.id, false from sample_supplier_messages m where m.idempotency_key = p_idempotency_key;
  end if;
end;
$$;

-- The outbox, oldest first (optionally one kind).
create function sample_procurement_list_messages(p_kind text default null)
returns table (message_id bigint, idempotency_key text, supplier_id text, kind text, to_address text, subject text, body text, refs jsonb, created_at timestamptz)
language sql stable as $$
  select m.id, m.idempotency_key, m.supplier_id, m.kind, m.to_address, m.subject, m.body, m.refs, m.created_at
    from sample_supplier_messages m
   where p_kind is null or m.kind = p_kind
   order by m.id;
$$;

-- Arrivals with their packing-list and receipt lines, newest first.
create function sample_procurement_receipts()
returns table (shipment_id text, po_id text, supplier_id text, arrived_at timestamptz, posted_at timestamptz, lines jsonb)
language sql stable as $$
  select r.shipment_id, r.po_id, r.supplier_id, r.arrived_at, r.posted_at, r.lines from sample_receipts r order by r.arrived_at desc, r.shipment_id;
$$;

-- Closed POs whose goods were ready on or after p_since.
create function sample_procurement_po_history(p_since date)
returns table (po_id text, supplier_id text, sku text, quantity integer, received integer, unit_cost numeric, ordered_at timestamptz,
               promised_ready date, ready_on date, claims integer)
language sql stable as $$
  select h.po_id, h.supplier_id, h.sku, h.quantity, h.received, h.unit_cost, h.ordered_at, h.promised_ready, h.ready_on, h.claims
    from sample_po_history h where h.ready_on >= p_since order by h.supplier_id, h.ready_on, h.po_id;
$$;

-- Holidays ending on or after p_since.
create function sample_procurement_holidays(p_since date)
returns table (country text, name text, starts_on date, ends_on date, supplier_id text)
language sql stable as $$
  select h.country, h.name, h.starts_on, h.ends_on, h.supplier_id from sample_holidays h where h.ends_on >= p_since order by h.starts_on, h.country;
$$;

-- The rate sheet since p_since, per lane, oldest week first.
create function sample_procurement_freight_rates(p_since date)
returns table (lane text, week_start date, usd_per_feu numeric)
language sql stable as $$
  select r.lane, r.week_start, r.usd_per_feu from sample_freight_rates r where r.week_start >= p_since order by r.lane, r.week_start;
$$;

-- Write the measured lead times (one upsert per supplier-SKU).
create function sample_procurement_record_lead_times(p_rows jsonb)
returns integer
language sql as $$
  with upserted as (
    insert into sample_lead_time_stats (supplier_id, sku, mean_days, sd_days, samples, computed_at)
    select r.supplier_id, r.sku, r.mean_days, r.sd_days, r.samples, now()
      from jsonb_to_recordset(p_rows) as r(supplier_id text, sku text, mean_days numeric, sd_days numeric, samples integer)
    on conflict (supplier_id, sku) do update
      set mean_days = excluded.mean_days, sd_days = excluded.sd_days, samples = excluded.samples, computed_at = excluded.computed_at
    returning 1)
  select count(*)::integer from upserted;
$$;

-- The lead times vendor-scorecard last measured.
create function sample_procurement_lead_times()
returns table (supplier_id text, sku text, mean_days numeric, sd_days numeric, samples integer, computed_at timestamptz)
language sql stable as $$
  select s.supplier_id, s.sku, s.mean_days, s.sd_days, s.samples, s.computed_at from sample_lead_time_stats s order by s.supplier_id, s.sku;
$$;

-- Record a won deal's demand against PO planning, once per key.
create function sample_procurement_record_demand_bump(
  p_idempotency_key text, p_deal_id text, p_account text, p_sku text, p_quantity integer, p_first_ship_date date, p_open_po_ids jsonb)
returns table (bump_id bigint, created boolean)
language plpgsql as $$
declare
  v_id bigint;
begin
  insert into sample_po_demand_bumps (idempotency_key, deal_id, account, sku, quantity, first_ship_date, open_po_ids)
  values (p_idempotency_key, p_deal_id, p_account, p_sku, p_quantity, p_first_ship_date, coalesce(p_open_po_ids, '[]'::jsonb))
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  if v_id is not null then
    return query select v_id, true;
  else
    return query select b.id, false from sample_po_demand_bumps b where b.idempotency_key = p_idempotency_key;
  end if;
end;
$$;

-- Demand bumps on PO planning, oldest first.
create function sample_procurement_demand_bumps()
returns table (deal_id text, account text, sku text, quantity integer, first_ship_date date, open_po_ids jsonb, created_at timestamptz)
language sql stable as $$
  select b.deal_id, b.account, b.sku, b.quantity, b.first_ship_date, b.open_po_ids, b.created_at from sample_po_demand_bumps b order by b.id;
$$;

-- Containers with their next pickup appointment (if any).
create function sample_containers_list()
returns table (container text, shipment_id text, supplier_id text, po_ids jsonb, terminal text, port text, status text, discharged_at timestamptz,
               last_free_day date, holds jsonb, trucker text, appointment_at timestamptz)
language sql stable as $$
  select c.container, c.shipment_id, c.supplier_id, c.po_ids, c.terminal, c.port, c.status, c.discharged_at, c.last_free_day, c.holds, c.trucker,
         (select max(a.appointment_at) from sample_drayage_appointments a where a.container = c.container)
    from sample_containers c
   order by c.last_free_day nulls last, c.container;
$$;

-- Book a pickup appointment once per idempotency key.
create function sample_containers_book_drayage(p_idempotency_key text, p_container text, p_appointment_at timestamptz, p_trucker text)
returns table (appointment_id bigint, created boolean)
language plpgsql as $$
declare
  v_id bigint;
begin
  if not exists (select 1 from sample_containers c where c.container = p_container) then
    raise exception 'unknown container %', p_container using errcode = 'P0002';
  end if;
  insert into sample_drayage_appointments (idempotency_key, container, appointment_at, trucker)
  values (p_idempotency_key, p_container, p_appointment_at, p_trucker)
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  if v_id is not null then
    return query select v_id, true;
  else
    return query select a.id, false from sample_drayage_appointments a where a.idempotency_key = p_idempotency_key;
  end if;
end;
$$;

-- ECB-style reference rates for the currencies since p_since (units per EUR), oldest first.
create function sample_fx_reference_rates(p_currencies text[], p_since date)
returns table (currency text, day date, per_eur numeric)
language sql stable as $$
  select f.currency, f.day, f.per_eur from sample_fx_rates f where f.currency = any(p_currencies) and f.day >= p_since order by f.day, f.currency;
$$;
