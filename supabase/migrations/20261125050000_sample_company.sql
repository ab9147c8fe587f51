-- The sample company (Harbor & Pine Goods Co.) that local mode and tests run on, and the
-- idempotency ledger the live connectors use for external side effects.
--
-- The sample connectors in @jbot/connectors read and write these tables only through the
-- functions below, so an approved action (an email sent, a deal updated, a campaign paused)
-- visibly changes the data. Relative dates in the data files are resolved against the
-- database clock when the company is loaded, so "two deals stale for more than 14 days" holds
-- on whatever day the fleet is started.

create table sample_company_meta (
  id boolean primary key default true check (id),
  name text not null,
  loaded_at timestamptz not null,
  data jsonb not null
);

create table sample_products (
  sku text primary key,
  brand text not null,
  brand_name text not null,
  name text not null,
  price numeric(10, 2) not null,
  wholesale_price numeric(10, 2) not null,
  unit_cost numeric(10, 2) not null
);

create table sample_suppliers (
  id text primary key,
  name text not null,
  city text not null,
  country text not null,
  continent text not null
);

-- HubSpot-shaped CRM ---------------------------------------------------------------------

create table sample_owners (
  id text primary key,
  first_name text not null,
  last_name text not null,
  email text not null,
  team text
);

create table sample_accounts (
  id text primary key,
  name text not null,
  domain text not null,
  city text not null,
  state text not null,
  country text not null,
  segment text not null,
  owner_id text references sample_owners (id)
);

create table sample_contacts (
  id text primary key,
  account_id text not null references sample_accounts (id),
  first_name text not null,
  last_name text not null,
  email text not null,
  title text,
  phone text
);

create table sample_deals (
  id text primary key,
  name text not null,
  account_id text not null references sample_accounts (id),
  contact_id text references sample_contacts (id),
  owner_id text references sample_owners (id),
  brand text,
  stage text not null,
  amount numeric(12, 2),
  created_at timestamptz not null,
  close_date date,
  closed_at timestamptz,
  last_activity_at timestamptz,
  -- Properties written through update_deal (jbot_status = re-engaged …), HubSpot-style strings.
  properties jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null
);

-- Email engagements logged against deals; the unique key makes a send exactly-once per approval.
create table sample_emails (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  deal_id text not null references sample_deals (id),
  to_email text not null,
  subject text not null,
  body text not null,
  sent_at timestamptz not null default now()
);

create table sample_deal_updates (
  idempotency_key text primary key,
  deal_id text not null references sample_deals (id),
  properties jsonb not null,
  applied_at timestamptz not null default now()
);

-- Freight ----------------------------------------------------------------------------------

create table sample_shipments (
  id text primary key,
  supplier_id text,
  carrier text,
  mode text not null,
  origin text not null,
  destination text not null,
  container text,
  departed_at timestamptz,
  promised_eta date not null,
  expected_eta date not null,
  arrived_at timestamptz,
  status text not null,
  status_note text,
  -- [{sku, quantity}]
  lines jsonb not null default '[]'::jsonb,
  updated_at timestamptz not null default now()
);

-- Shopify-shaped commerce -----------------------------------------------------------------

create table sample_orders (
  id text primary key,
  channel text not null check (channel in ('dtc', 'wholesale')),
  account_id text references sample_accounts (id),
  customer_name text not null,
  customer_email text not null,
  ship_city text,
  ship_province text,
  created_at timestamptz not null,
  financial_status text not null,
  fulfillment_status text not null,
  backordered boolean not null default false,
  promised_ship_date date,
  -- [{sku, quantity, price}]
  lines jsonb not null
);
create index sample_orders_open on sample_orders (created_at) where fulfillment_status <> 'fulfilled';

create table sample_inventory (
  sku text not null references sample_products (sku),
  location text not null,
  on_hand integer not null,
  daily_velocity numeric(10, 2) not null,
  primary key (sku, location)
);

-- Meta Ads, Klaviyo, Amazon, content -------------------------------------------------------

create table sample_ad_campaigns (
  id text primary key,
  name text not null,
  status text not null check (status in ('ACTIVE', 'PAUSED', 'ARCHIVED')),
  objective text not null,
  daily_budget numeric(10, 2) not null,
  brand text,
  promoted_skus text[] not null default '{}',
  started_at timestamptz not null,
  updated_at timestamptz not null,
  paused_reason text
);

create table sample_ad_insights (
  campaign_id text not null references sample_ad_campaigns (id),
  day date not null,
  impressions integer not null,
  reach integer not null,
  frequency numeric(6, 2) not null,
  clicks integer not null,
  ctr numeric(6, 2) not null,
  spend numeric(10, 2) not null,
  purchases integer not null,
  purchase_value numeric(12, 2) not null,
  primary key (campaign_id, day)
);

create table sample_ad_actions (
  idempotency_key text primary key,
  campaign_id text not null references sample_ad_campaigns (id),
  action text not null,
  reason text,
  applied_at timestamptz not null default now()
);

create table sample_klaviyo_flows (
  id text primary key,
  name text not null,
  trigger text not null,
  status text not null,
  open_rate numeric(5, 3),
  click_rate numeric(5, 3),
  revenue_30d numeric(12, 2),
  recipients_30d integer
);

create table sample_klaviyo_campaigns (
  id text primary key,
  name text not null,
  brand text,
  send_at timestamptz not null,
  status text not null,
  open_rate numeric(5, 3),
  click_rate numeric(5, 3),
  revenue numeric(12, 2)
);

create table sample_amazon_listings (
  asin text primary key,
  sku text not null references sample_products (sku),
  title text not null,
  price numeric(10, 2) not null,
  status text not null,
  fulfillment text not null,
  fba_available integer,
  buy_box boolean not null,
  rating numeric(3, 1),
  reviews integer
);

create table sample_content_calendar (
  id text primary key,
  title text not null,
  brand text,
  platform text not null,
  scheduled_for date not null,
  owner text not null,
  status text not null
);

-- Loading -----------------------------------------------------------------------------------

-- Load the sample company from the data files' JSON ({company, hubspot, shopify, freight,
-- meta_ads, klaviyo, amazon, content_calendar}). Idempotent: a loaded company is left alone
-- (approved actions survive a restart) unless p_reset, which reloads it from scratch.
create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_today date := (p_now at time zone 'UTC')::date;
begin
  -- One loader at a time: two `fleet seed` runs racing must not both load.
  perform pg_advisory_xact_lock(hashtext('sample_company_load'));
  if exists (select 1 from sample_company_meta) and not p_reset then
    return query select false, m.loaded_at,
      (select count(*)::integer from sample_deals), (select count(*)::integer from sample_shipments),
      (select count(*)::integer from sample_ad_campaigns), (select count(*)::integer from sample_orders)
      from sample_company_meta m;
    return;
  end if;

  truncate sample_company_meta, sample_ad_actions, sample_ad_insights, sample_ad_campaigns, sample_klaviyo_flows,
    sample_klaviyo_campaigns, sample_amazon_listings, sample_content_calendar, sample_inventory, sample_orders,
    sample_shipments, sample_deal_updates, sample_emails, sample_deals, sample_contacts, sample_accounts,
    sample_owners, sample_suppliers, sample_products;

  insert into sample_products (sku, brand, brand_name, name, price, wholesale_price, unit_cost)
  select p.sku, p.brand, b.name, p.name, p.price, p.wholesale_price, p.unit_cost
    from jsonb_to_recordset(p_data #> '{company,products}') as p(sku text, brand text, name text, price numeric, wholesale_price numeric, unit_cost numeric)
    join jsonb_to_recordset(p_data #> '{company,brands}') as b(id text, name text) on b.id = p.brand;

  insert into sample_suppliers (id, name, city, country, continent)
  select s.id, s.name, s.city, s.country, s.continent
    from jsonb_to_recordset(p_data #> '{company,suppliers}') as s(id text, name text, city text, country text, continent text);

  insert into sample_owners (id, first_name, last_name, email, team)
  select o.id, o.first_name, o.last_name, o.email, o.team
    from jsonb_to_recordset(p_data #> '{hubspot,owners}') as o(id text, first_name text, last_name text, email text, team text);

  insert into sample_accounts (id, name, domain, city, state, country, segment, owner_id)
  select a.id, a.name, a.domain, a.city, a.state, a.country, a.segment, a.owner_id
    from jsonb_to_recordset(p_data #> '{hubspot,accounts}') as a(id text, name text, domain text, city text, state text, country text, segment text, owner_id text);

  insert into sample_contacts (id, account_id, first_name, last_name, email, title, phone)
  select c.id, c.account_id, c.first_name, c.last_name, c.email, c.title, c.phone
    from jsonb_to_recordset(p_data #> '{hubspot,contacts}') as c(id text, account_id text, first_name text, last_name text, email text, title text, phone text);

  -- Days-ago offsets become timestamps at 09:00-ish business hours shifted by the offset, so
  -- "18 days ago" is 18 whole days before now whatever the time of day.
  insert into sample_deals (id, name, account_id, contact_id, owner_id, brand, stage, amount, created_at, close_date, closed_at, last_activity_at, updated_at)
  select d.id, d.name, d.account_id, d.contact_id, d.owner_id, d.brand, d.stage, d.amount,
         p_now - make_interval(days => d.created_days_ago, hours => 2),
         case when d.closed_days_ago is not null then v_today - d.closed_days_ago else v_today + coalesce(d.close_in_days, 30) end,
         case when d.closed_days_ago is not null then p_now - make_interval(days => d.closed_days_ago, hours => 1) end,
         p_now - make_interval(days => d.last_activity_days_ago, hours => 1),
         p_now - make_interval(days => d.last_activity_days_ago, hours => 1)
    from jsonb_to_recordset(p_data #> '{hubspot,deals}') as d(id text, name text, account_id text, contact_id text, owner_id text, brand text,
         stage text, amount numeric, created_days_ago integer, last_activity_days_ago integer, closed_days_ago integer, close_in_days integer);

  insert into sample_shipments (id, supplier_id, carrier, mode, origin, destination, container, departed_at, promised_eta, expected_eta, arrived_at, status, status_note, lines, updated_at)
  select s.id, s.supplier_id, s.carrier, s.mode, s.origin, s.destination, s.container,
         p_now - make_interval(days => s.departed_days_ago), v_today + s.promised_eta_in_days, v_today + s.expected_eta_in_days,
         case when s.arrived_days_ago is not null then p_now - make_interval(days => s.arrived_days_ago) end,
         s.status, s.status_note, coalesce(s.lines, '[]'::jsonb), p_now
    from jsonb_to_recordset(p_data #> '{freight,shipments}') as s(id text, supplier_id text, carrier text, mode text, origin text, destination text,
         container text, departed_days_ago integer, promised_eta_in_days integer, expected_eta_in_days integer, arrived_days_ago integer,
         status text, status_note text, lines jsonb);

  insert into sample_orders (id, channel, account_id, customer_name, customer_email, ship_city, ship_province, created_at, financial_status, fulfillment_status, backordered, promised_ship_date, lines)
  select o.id, o.channel, o.account_id, o.customer_name, o.customer_email, o.ship_city, o.ship_province,
         p_now - make_interval(hours => o.created_hours_ago), o.financial_status, o.fulfillment_status, coalesce(o.backordered, false),
         case when o.promised_ship_in_days is not null then v_today + o.promised_ship_in_days end, o.lines
    from jsonb_to_recordset(p_data #> '{shopify,orders}') as o(id text, channel text, account_id text, customer_name text, customer_email text,
         ship_city text, ship_province text, created_hours_ago integer, financial_status text, fulfillment_status text, backordered boolean,
         promised_ship_in_days integer, lines jsonb);

  insert into sample_inventory (sku, location, on_hand, daily_velocity)
  select i.sku, i.location, i.on_hand, i.daily_velocity
    from jsonb_to_recordset(p_data #> '{shopify,inventory}') as i(sku text, location text, on_hand integer, daily_velocity numeric);

  insert into sample_ad_campaigns (id, name, status, objective, daily_budget, brand, promoted_skus, started_at, updated_at)
  select c.id, c.name, c.status, c.objective, c.daily_budget, c.brand,
         array(select jsonb_array_elements_text(coalesce(c.promoted_skus, '[]'::jsonb))), p_now - make_interval(days => c.started_days_ago), p_now
    from jsonb_to_recordset(p_data #> '{meta_ads,campaigns}') as c(id text, name text, status text, objective text, daily_budget numeric,
         brand text, promoted_skus jsonb, started_days_ago integer);

  insert into sample_ad_insights (campaign_id, day, impressions, reach, frequency, clicks, ctr, spend, purchases, purchase_value)
  select i.campaign_id, v_today - i.days_ago, i.impressions, i.reach, i.frequency, i.clicks, i.ctr, i.spend, i.purchases, i.purchase_value
    from jsonb_to_recordset(p_data #> '{meta_ads,insights}') as i(campaign_id text, days_ago integer, impressions integer, reach integer,
         frequency numeric, clicks integer, ctr numeric, spend numeric, purchases integer, purchase_value numeric);

  insert into sample_klaviyo_flows (id, name, trigger, status, open_rate, click_rate, revenue_30d, recipients_30d)
  select f.id, f.name, f.trigger, f.status, f.open_rate, f.click_rate, f.revenue_30d, f.recipients_30d
    from jsonb_to_recordset(p_data #> '{klaviyo,flows}') as f(id text, name text, trigger text, status text, open_rate numeric, click_rate numeric,
         revenue_30d numeric, recipients_30d integer);

  insert into sample_klaviyo_campaigns (id, name, brand, send_at, status, open_rate, click_rate, revenue)
  select c.id, c.name, c.brand, p_now + make_interval(days => c.send_in_days), c.status, c.open_rate, c.click_rate, c.revenue
    from jsonb_to_recordset(p_data #> '{klaviyo,campaigns}') as c(id text, name text, brand text, send_in_days integer, status text,
         open_rate numeric, click_rate numeric, revenue numeric);

  insert into sample_amazon_listings (asin, sku, title, price, status, fulfillment, fba_available, buy_box, rating, reviews)
  select l.asin, l.sku, l.title, l.price, l.status, l.fulfillment, l.fba_available, l.buy_box, l.rating, l.reviews
    from jsonb_to_recordset(p_data #> '{amazon,listings}') as l(asin text, sku text, title text, price numeric, status text, fulfillment text,
         fba_available integer, buy_box boolean, rating numeric, reviews integer);

  insert into sample_content_calendar (id, title, brand, platform, scheduled_for, owner, status)
  select e.id, e.title, e.brand, e.platform, v_today + e.in_days, e.owner, e.status
    from jsonb_to_recordset(p_data #> '{content_calendar,entries}') as e(id text, title text, brand text, platform text, in_days integer, owner text, status text);

  insert into sample_company_meta (name, loaded_at, data) values (coalesce(p_data #>> '{company,name}', 'Sample company'), p_now, p_data -> 'company');

  return query select true, p_now,
    (select count(*)::integer from sample_deals), (select count(*)::integer from sample_shipments),
    (select count(*)::integer from sample_ad_campaigns), (select count(*)::integer from sample_orders);
end;
$$;

-- Is the sample company loaded, and when.
create function sample_company_status()
returns table (loaded boolean, name text, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, emails_sent integer)
language sql stable as $$
  select m.name is not null, m.name, m.loaded_at,
         (select count(*)::integer from sample_deals), (select count(*)::integer from sample_shipments),
         (select count(*)::integer from sample_ad_campaigns), (select count(*)::integer from sample_emails)
    from (select 1) one left join sample_company_meta m on true;
$$;

-- CRM ---------------------------------------------------------------------------------------

-- Deals with owner, account and primary contact, newest first.
create function sample_crm_list_deals()
returns table (deal_id text, name text, stage text, amount numeric, owner_id text, owner_name text, owner_email text,
               account_id text, account_name text, contact_id text, contact_name text, contact_email text, brand text,
               created_at timestamptz, close_date date, closed_at timestamptz, last_activity_at timestamptz, properties jsonb, updated_at timestamptz)
language sql stable as $$
  select d.id, d.name, d.stage, d.amount, d.owner_id, o.first_name || ' ' || o.last_name, o.email,
         d.account_id, a.name, d.contact_id, c.first_name || ' ' || c.last_name, c.email, d.brand,
         d.created_at, d.close_date, d.closed_at, d.last_activity_at, d.properties, d.updated_at
    from sample_deals d
    join sample_accounts a on a.id = d.account_id
    left join sample_owners o on o.id = d.owner_id
    left join sample_contacts c on c.id = d.contact_id
   order by d.created_at desc;
$$;

create function sample_crm_list_owners()
returns table (owner_id text, first_name text, last_name text, email text, team text)
language sql stable as $$
  select o.id, o.first_name, o.last_name, o.email, o.team from sample_owners o order by o.last_name;
$$;

-- The contacts at a deal's account (primary contact first).
create function sample_crm_deal_contacts(p_deal_id text)
returns table (contact_id text, first_name text, last_name text, email text, title text, is_primary boolean)
language sql stable as $$
  select c.id, c.first_name, c.last_name, c.email, c.title, c.id = d.contact_id
    from sample_deals d join sample_contacts c on c.account_id = d.account_id
   where d.id = p_deal_id
   order by (c.id = d.contact_id) desc, c.id;
$$;

-- Log an email engagement on a deal, exactly once per idempotency key; a first send also
-- counts as activity on the deal. A repeat returns the original row with created = false.
create function sample_crm_send_email(p_idempotency_key text, p_deal_id text, p_to text, p_subject text, p_body text)
returns table (email_id bigint, created boolean, deal_id text, to_email text, sent_at timestamptz)
language plpgsql as $$
declare
  v_id bigint;
begin
  if not exists (select 1 from sample_deals d where d.id = p_deal_id) then
    raise exception 'sample deal % does not exist', p_deal_id using errcode = 'no_data_found';
  end if;
  insert into sample_emails (idempotency_key, deal_id, to_email, subject, body)
  values (p_idempotency_key, p_deal_id, p_to, p_subject, p_body)
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  if v_id is not null then
    update sample_deals d set last_activity_at = now(), updated_at = now() where d.id = p_deal_id;
    return query select e.id, true, e.deal_id, e.to_email, e.sent_at from sample_emails e where e.id = v_id;
  else
    return query select e.id, false, e.deal_id, e.to_email, e.sent_at from sample_emails e where e.idempotency_key = p_idempotency_key;
  end if;
end;
$$;

-- Merge HubSpot-style properties into a deal, once per idempotency key. `dealstage` moves the
-- stage; everything else lands in properties. A repeat applies nothing and returns applied = false.
create function sample_crm_update_deal(p_idempotency_key text, p_deal_id text, p_properties jsonb)
returns table (deal_id text, applied boolean, stage text, properties jsonb, updated_at timestamptz)
language plpgsql as $$
declare
  v_count integer;
  v_applied boolean;
begin
  if not exists (select 1 from sample_deals d where d.id = p_deal_id) then
    raise exception 'sample deal % does not exist', p_deal_id using errcode = 'no_data_found';
  end if;
  insert into sample_deal_updates (idempotency_key, deal_id, properties) values (p_idempotency_key, p_deal_id, p_properties)
  on conflict (idempotency_key) do nothing;
  get diagnostics v_count = row_count;
  v_applied := v_count > 0;
  if v_applied then
    update sample_deals d
       set stage = coalesce(p_properties ->> 'dealstage', d.stage),
           properties = d.properties || (p_properties - 'dealstage'),
           updated_at = now()
     where d.id = p_deal_id;
  end if;
  return query select d.id, v_applied, d.stage, d.properties, d.updated_at from sample_deals d where d.id = p_deal_id;
end;
$$;

-- Email engagements logged (newest first), for the CLI and tests.
create function sample_crm_list_emails(p_deal_id text default null)
returns table (email_id bigint, idempotency_key text, deal_id text, to_email text, subject text, body text, sent_at timestamptz)
language sql stable as $$
  select e.id, e.idempotency_key, e.deal_id, e.to_email, e.subject, e.body, e.sent_at from sample_emails e
   where p_deal_id is null or e.deal_id = p_deal_id order by e.id desc;
$$;

-- Freight -----------------------------------------------------------------------------------

-- Inbound shipments with their delay against the promised ETA, in days (expected − promised,
-- or arrival − promised once arrived).
create function sample_freight_list_shipments()
returns table (shipment_id text, supplier_id text, supplier_name text, supplier_country text, carrier text, mode text, origin text,
               destination text, container text, departed_at timestamptz, promised_eta date, expected_eta date, arrived_at timestamptz,
               status text, status_note text, lines jsonb, delay_days integer)
language sql stable as $$
  select s.id, s.supplier_id, p.name, p.country, s.carrier, s.mode, s.origin, s.destination, s.container, s.departed_at,
         s.promised_eta, s.expected_eta, s.arrived_at, s.status, s.status_note, s.lines,
         coalesce((s.arrived_at at time zone 'UTC')::date, s.expected_eta) - s.promised_eta
    from sample_shipments s left join sample_suppliers p on p.id = s.supplier_id
   order by s.promised_eta;
$$;

-- Upsert shipments from an import (the CSV importer's parsed rows): [{shipment_id, carrier,
-- mode, origin, destination, promised_eta, expected_eta, status, lines?...}].
create function sample_freight_import_shipments(p_rows jsonb)
returns table (shipment_id text, inserted boolean)
language sql as $$
  insert into sample_shipments as s (id, supplier_id, carrier, mode, origin, destination, container, promised_eta, expected_eta, status, status_note, lines, updated_at)
  select r.shipment_id, r.supplier_id, r.carrier, coalesce(r.mode, 'ocean'), r.origin, coalesce(r.destination, 'Portland DC'), r.container,
         r.promised_eta, coalesce(r.expected_eta, r.promised_eta), coalesce(r.status, 'in_transit'), r.status_note, coalesce(r.lines, '[]'::jsonb), now()
    from jsonb_to_recordset(p_rows) as r(shipment_id text, supplier_id text, carrier text, mode text, origin text, destination text, container text,
         promised_eta date, expected_eta date, status text, status_note text, lines jsonb)
  on conflict (id) do update
     set carrier = coalesce(excluded.carrier, s.carrier), mode = excluded.mode, origin = excluded.origin, destination = excluded.destination,
         container = coalesce(excluded.container, s.container), promised_eta = excluded.promised_eta, expected_eta = excluded.expected_eta,
         status = excluded.status, status_note = coalesce(excluded.status_note, s.status_note),
         lines = case when jsonb_array_length(excluded.lines) > 0 then excluded.lines else s.lines end, updated_at = now()
  returning s.id, (xmax = 0);
$$;

-- Commerce ----------------------------------------------------------------------------------

create function sample_commerce_list_orders(p_since timestamptz default null, p_open_only boolean default false)
returns table (order_id text, channel text, account_id text, customer_name text, customer_email text, ship_city text, ship_province text,
               created_at timestamptz, financial_status text, fulfillment_status text, backordered boolean, promised_ship_date date, lines jsonb)
language sql stable as $$
  select o.id, o.channel, o.account_id, o.customer_name, o.customer_email, o.ship_city, o.ship_province, o.created_at,
         o.financial_status, o.fulfillment_status, o.backordered, o.promised_ship_date, o.lines
    from sample_orders o
   where (p_since is null or o.created_at >= p_since) and (not p_open_only or o.fulfillment_status <> 'fulfilled')
   order by o.created_at;
$$;

-- Inventory per SKU: on hand, committed to open orders, available, and selling rate.
create function sample_commerce_inventory()
returns table (sku text, name text, brand text, brand_name text, location text, on_hand integer, committed integer, available integer, daily_velocity numeric)
language sql stable as $$
  with committed as (
    select l.sku, sum(l.quantity)::integer as quantity
      from sample_orders o, jsonb_to_recordset(o.lines) as l(sku text, quantity integer)
     where o.fulfillment_status <> 'fulfilled'
     group by l.sku)
  select i.sku, p.name, p.brand, p.brand_name, i.location, i.on_hand, coalesce(c.quantity, 0), i.on_hand - coalesce(c.quantity, 0), i.daily_velocity
    from sample_inventory i join sample_products p on p.sku = i.sku left join committed c on c.sku = i.sku
   order by i.sku;
$$;

-- Ads ---------------------------------------------------------------------------------------

create function sample_ads_list_campaigns()
returns table (campaign_id text, name text, status text, objective text, daily_budget numeric, brand text, promoted_skus text[],
               started_at timestamptz, updated_at timestamptz, paused_reason text)
language sql stable as $$
  select c.id, c.name, c.status, c.objective, c.daily_budget, c.brand, c.promoted_skus, c.started_at, c.updated_at, c.paused_reason
    from sample_ad_campaigns c order by c.name;
$$;

create function sample_ads_insights(p_campaign_id text default null, p_since date default null)
returns table (campaign_id text, day date, impressions integer, reach integer, frequency numeric, clicks integer, ctr numeric,
               spend numeric, purchases integer, purchase_value numeric)
language sql stable as $$
  select i.campaign_id, i.day, i.impressions, i.reach, i.frequency, i.clicks, i.ctr, i.spend, i.purchases, i.purchase_value
    from sample_ad_insights i
   where (p_campaign_id is null or i.campaign_id = p_campaign_id) and (p_since is null or i.day >= p_since)
   order by i.campaign_id, i.day;
$$;

-- Pause a campaign once per idempotency key (an approved proposal). A repeat, or a campaign
-- already paused, changes nothing: changed = false.
create function sample_ads_pause_campaign(p_idempotency_key text, p_campaign_id text, p_reason text default null)
returns table (campaign_id text, status text, changed boolean, updated_at timestamptz)
language plpgsql as $$
declare
  v_changed boolean := false;
  v_count integer;
begin
  if not exists (select 1 from sample_ad_campaigns c where c.id = p_campaign_id) then
    raise exception 'sample campaign % does not exist', p_campaign_id using errcode = 'no_data_found';
  end if;
  insert into sample_ad_actions (idempotency_key, campaign_id, action, reason) values (p_idempotency_key, p_campaign_id, 'pause', p_reason)
  on conflict (idempotency_key) do nothing;
  get diagnostics v_count = row_count;
  if v_count > 0 then
    update sample_ad_campaigns c set status = 'PAUSED', paused_reason = p_reason, updated_at = now()
     where c.id = p_campaign_id and c.status = 'ACTIVE';
    get diagnostics v_count = row_count;
    v_changed := v_count > 0;
  end if;
  return query select c.id, c.status, v_changed, c.updated_at from sample_ad_campaigns c where c.id = p_campaign_id;
end;
$$;

-- Klaviyo, Amazon, content calendar (read-only views for the marketing and content bots) ----

create function sample_klaviyo_flows()
returns table (flow_id text, name text, trigger text, status text, open_rate numeric, click_rate numeric, revenue_30d numeric, recipients_30d integer)
language sql stable as $$
  select f.id, f.name, f.trigger, f.status, f.open_rate, f.click_rate, f.revenue_30d, f.recipients_30d from sample_klaviyo_flows f order by f.name;
$$;

create function sample_klaviyo_campaigns()
returns table (campaign_id text, name text, brand text, send_at timestamptz, status text, open_rate numeric, click_rate numeric, revenue numeric)
language sql stable as $$
  select c.id, c.name, c.brand, c.send_at, c.status, c.open_rate, c.click_rate, c.revenue from sample_klaviyo_campaigns c order by c.send_at;
$$;

create function sample_amazon_listings()
returns table (asin text, sku text, title text, price numeric, status text, fulfillment text, fba_available integer, buy_box boolean, rating numeric, reviews integer)
language sql stable as $$
  select l.asin, l.sku, l.title, l.price, l.status, l.fulfillment, l.fba_available, l.buy_box, l.rating, l.reviews from sample_amazon_listings l order by l.sku;
$$;

create function sample_content_calendar(p_from date default null, p_to date default null)
returns table (entry_id text, title text, brand text, platform text, scheduled_for date, owner text, status text)
language sql stable as $$
  select e.id, e.title, e.brand, e.platform, e.scheduled_for, e.owner, e.status from sample_content_calendar e
   where (p_from is null or e.scheduled_for >= p_from) and (p_to is null or e.scheduled_for <= p_to)
   order by e.scheduled_for;
$$;

-- Idempotency ledger for live connectors ----------------------------------------------------
--
-- A SaaS call with a side effect (HubSpot email create, deal update) is recorded here BEFORE
-- the call, under the approval's idempotency key, and completed after it. A retry finds the
-- key: `done` → return the recorded result without calling; `in_flight` → another process is
-- calling right now, try later; `recover` → an earlier attempt failed or crashed mid-call, so
-- the outcome at the vendor is unknown and the caller must look there before calling again.

create table connector_side_effects (
  idempotency_key text primary key,
  connector text not null,
  action text not null,
  request jsonb not null default '{}'::jsonb,
  status text not null check (status in ('pending', 'done')),
  attempts integer not null default 1,
  lease_until timestamptz not null,
  result jsonb,
  error text,
  created_at timestamptz not null default now(),
  completed_at timestamptz
);

create function claim_side_effect(p_idempotency_key text, p_connector text, p_action text, p_request jsonb default '{}'::jsonb, p_lease_seconds integer default 60)
returns table (state text, attempts integer, result jsonb)
language plpgsql as $$
declare
  v_row connector_side_effects;
begin
  insert into connector_side_effects (idempotency_key, connector, action, request, status, lease_until)
  values (p_idempotency_key, p_connector, p_action, coalesce(p_request, '{}'::jsonb), 'pending', now() + make_interval(secs => p_lease_seconds))
  on conflict (idempotency_key) do nothing;
  if found then
    return query select 'claimed'::text, 1, null::jsonb;
    return;
  end if;
  select * into v_row from connector_side_effects e where e.idempotency_key = p_idempotency_key for update;
  if v_row.connector <> p_connector or v_row.action <> p_action then
    raise exception 'idempotency key % already used for %/%', p_idempotency_key, v_row.connector, v_row.action using errcode = 'unique_violation';
  end if;
  if v_row.status = 'done' then
    return query select 'done'::text, v_row.attempts, v_row.result;
  elsif v_row.lease_until > now() then
    return query select 'in_flight'::text, v_row.attempts, null::jsonb;
  else
    update connector_side_effects e set attempts = e.attempts + 1, lease_until = now() + make_interval(secs => p_lease_seconds)
     where e.idempotency_key = p_idempotency_key;
    return query select 'recover'::text, v_row.attempts + 1, null::jsonb;
  end if;
end;
$$;

create function complete_side_effect(p_idempotency_key text, p_result jsonb)
returns table (completed boolean)
language sql as $$
  with updated as (
    update connector_side_effects e set status = 'done', result = p_result, error = null, completed_at = now()
     where e.idempotency_key = p_idempotency_key and e.status = 'pending'
    returning 1)
  select exists (select 1 from updated);
$$;

-- An attempt failed: end its lease now so the next attempt recovers (checks the vendor first).
create function release_side_effect(p_idempotency_key text, p_error text)
returns table (released boolean)
language sql as $$
  with updated as (
    update connector_side_effects e set lease_until = now(), error = left(p_error, 2000)
     where e.idempotency_key = p_idempotency_key and e.status = 'pending'
    returning 1)
  select exists (select 1 from updated);
$$;

create function list_side_effects(p_connector text default null, p_limit integer default 100)
returns table (idempotency_key text, connector text, action text, status text, attempts integer, result jsonb, error text, created_at timestamptz, completed_at timestamptz)
language sql stable as $$
  select e.idempotency_key, e.connector, e.action, e.status, e.attempts, e.result, e.error, e.created_at, e.completed_at
    from connector_side_effects e where p_connector is null or e.connector = p_connector
   order by e.created_at desc limit p_limit;
$$;
