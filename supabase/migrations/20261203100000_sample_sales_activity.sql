-- salesbot's HubSpot depth on the sample company (hubspot-activity.json): inbound leads and the
-- territory table (inbound-lead-router), logged calls/emails/meetings (rep-activity, quote-expiry),
-- open and done tasks (overdue-tasks), deal line items (discount-guard) and quotes (quote-expiry).
-- Dates are business days before the load ("3 weekdays ago"), so "overdue by more than two
-- business days" or "under target two weekdays running" holds on whatever day the fleet starts.

-- The n-th weekday (Mon–Fri) strictly before p_day; n <= 0 counts forward (-1 = the next weekday).
create function sample_weekday_before(p_day date, p_n integer)
returns date
language plpgsql immutable as $$
declare
  v_day date := p_day;
  v_left integer := abs(p_n);
  v_step integer := case when p_n > 0 then -1 else 1 end;
begin
  while v_left > 0 loop
    v_day := v_day + v_step;
    if extract(isodow from v_day) < 6 then v_left := v_left - 1; end if;
  end loop;
  return v_day;
end;
$$;

-- Which team takes an inbound lead: state × segment, '*' = any; the most specific row wins.
create table sample_territories (
  state text not null,
  segment text not null,
  team text not null,
  primary key (state, segment)
);

-- Inbound wholesale inquiries (HubSpot: contacts with lifecyclestage = lead from the wholesale form).
create table sample_leads (
  id text primary key,
  first_name text not null,
  last_name text not null,
  email text not null,
  company text not null,
  state text not null,
  segment text not null,
  store_count integer not null,
  message text not null,
  form text not null default 'wholesale_inquiry',
  owner_id text,
  created_at timestamptz not null,
  assigned_at timestamptz
);

-- Owner assignments applied by an approval, once per idempotency key.
create table sample_lead_assignments (
  idempotency_key text primary key,
  lead_id text not null references sample_leads (id),
  owner_id text not null,
  applied_at timestamptz not null default now()
);

-- Calls, emails and meetings (HubSpot engagements). Seeded rows carry no key; an email the
-- fleet sends to a lead or prospect is logged here once per idempotency key.
create table sample_engagements (
  id bigint generated always as identity primary key,
  idempotency_key text unique,
  type text not null check (type in ('CALL', 'EMAIL', 'MEETING')),
  -- Emails only: EMAIL (sent by us) or INCOMING_EMAIL (a buyer's reply).
  direction text,
  owner_id text,
  deal_id text,
  lead_id text,
  contact_email text,
  subject text not null,
  body text not null default '',
  occurred_at timestamptz not null
);
create index sample_engagements_occurred on sample_engagements (occurred_at);

-- Deal line items (HubSpot line_items associated with a deal): price is the unit price before
-- the line discount.
create table sample_line_items (
  id text primary key,
  deal_id text not null,
  sku text not null,
  name text not null,
  quantity integer not null,
  price numeric(10, 2) not null,
  discount_pct numeric(5, 2) not null default 0
);

-- Quotes (HubSpot quotes associated with a deal).
create table sample_quotes (
  id text primary key,
  deal_id text not null,
  title text not null,
  status text not null,
  amount numeric(12, 2) not null,
  sent_at timestamptz not null,
  expires_on date not null
);

-- Vendor setup of a newly won account (HubSpot: company properties of the onboarding checklist).
create table sample_account_onboarding (
  account_id text primary key,
  credit_application boolean not null default false,
  resale_certificate boolean not null default false,
  item_setup boolean not null default false,
  first_po boolean not null default false
);

-- Target retailers not yet selling us (HubSpot: companies flagged hs_is_target_account) with their buyer.
create table sample_prospects (
  id text primary key,
  name text not null,
  domain text not null,
  state text not null,
  segment text not null,
  store_count integer not null,
  buyer_first_name text not null,
  buyer_last_name text not null,
  buyer_email text not null,
  buyer_title text,
  last_contacted_at timestamptz,
  open_deal boolean not null default false,
  suppressed boolean not null default false
);

-- What a rep may say about each brand (the outreach drafts' cached system prompt).
create table sample_brand_facts (
  brand text not null,
  fact text not null
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_sales_a;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  v_today date := (p_now at time zone 'UTC')::date;
  v_data jsonb := coalesce(p_data -> 'hubspot_activity', '{}'::jsonb);
begin
  select * into v_result from sample_company_load_before_sales_a(p_data, p_reset, p_now);
  if v_result.loaded then
    truncate sample_territories, sample_lead_assignments, sample_engagements, sample_line_items, sample_quotes, sample_account_onboarding,
      sample_prospects, sample_brand_facts;
    insert into sample_prospects (id, name, domain, state, segment, store_count, buyer_first_name, buyer_last_name, buyer_email, buyer_title,
                                  last_contacted_at, open_deal, suppressed)
    select x.id, x.name, x.domain, x.state, x.segment, x.store_count, x.buyer_first_name, x.buyer_last_name, x.buyer_email, x.buyer_title,
           case when x.last_contacted_days_ago is null then null else p_now - make_interval(days => x.last_contacted_days_ago) end,
           coalesce(x.open_deal, false), coalesce(x.suppressed, false)
      from jsonb_to_recordset(coalesce(v_data -> 'prospects', '[]')) as x(
             id text, name text, domain text, state text, segment text, store_count integer, buyer_first_name text, buyer_last_name text,
             buyer_email text, buyer_title text, last_contacted_days_ago integer, open_deal boolean, suppressed boolean);
    insert into sample_brand_facts (brand, fact)
    select f.brand, f.fact from jsonb_to_recordset(coalesce(v_data -> 'brand_facts', '[]')) as f(brand text, fact text);
    insert into sample_account_onboarding (account_id, credit_application, resale_certificate, item_setup, first_po)
    select o.account_id, o.credit_application, o.resale_certificate, o.item_setup, o.first_po
      from jsonb_to_recordset(coalesce(v_data -> 'onboarding', '[]'))
             as o(account_id text, credit_application boolean, resale_certificate boolean, item_setup boolean, first_po boolean);
    delete from sample_leads;
    insert into sample_territories (state, segment, team)
    select t.state, t.segment, t.team from jsonb_to_recordset(coalesce(v_data -> 'territories', '[]')) as t(state text, segment text, team text);
    insert into sample_leads (id, first_name, last_name, email, company, state, segment, store_count, message, owner_id, created_at, assigned_at)
    select l.id, l.first_name, l.last_name, l.email, l.company, l.state, l.segment, l.store_count, l.message, l.owner_id,
           p_now - make_interval(mins => l.created_minutes_ago),
           case when l.owner_id is null then null else p_now - make_interval(mins => l.created_minutes_ago - 10) end
      from jsonb_to_recordset(coalesce(v_data -> 'leads', '[]')) as l(
             id text, first_name text, last_name text, email text, company text, state text, segment text, store_count integer,
             message text, owner_id text, created_minutes_ago integer);
    -- Each day's touches spread over 16:00–23:00 UTC (the selling day in the Americas), one row per touch.
    insert into sample_engagements (type, direction, owner_id, subject, occurred_at)
    select k.type, case when k.type = 'EMAIL' then 'EMAIL' end, a.owner_id,
           initcap(lower(k.type)) || ' with a buyer',
           sample_weekday_before(v_today, a.weekdays_ago) + time '16:00' + make_interval(mins => (n * 37) % 420)
      from jsonb_to_recordset(coalesce(v_data -> 'activity_days', '[]')) as a(owner_id text, weekdays_ago integer, calls integer, emails integer, meetings integer)
      cross join lateral (values ('CALL', a.calls), ('EMAIL', a.emails), ('MEETING', a.meetings)) as k(type, count)
      cross join lateral generate_series(1, k.count) as n;
    -- Follow-ups salesbot sent earlier (send_followups marked their deals re-engaged) and buyers' replies.
    update sample_deals d set properties = d.properties || jsonb_build_object('jbot_status', 're-engaged')
     where d.id in (select jsonb_array_elements_text(coalesce(v_data -> 'reengaged_deals', '[]')));
    insert into sample_engagements (type, direction, owner_id, deal_id, contact_email, subject, occurred_at)
    select e.type, e.direction, e.owner_id, e.deal_id, e.contact_email, e.subject,
           sample_weekday_before(v_today, e.weekdays_ago) + time '18:30'
      from jsonb_to_recordset(coalesce(v_data -> 'engagements', '[]')) as e(
             type text, direction text, owner_id text, deal_id text, contact_email text, subject text, weekdays_ago integer);
    -- Seeded tasks carry no idempotency key (the approvals' tasks do); due at 17:00 UTC on their day.
    insert into sample_tasks (deal_id, owner_id, subject, body, status, due_at, created_at)
    select t.deal_id, t.owner_id, t.subject, '', t.status, sample_weekday_before(v_today, t.due_weekdays_ago) + time '17:00',
           sample_weekday_before(v_today, greatest(t.due_weekdays_ago, 0) + 5) + time '17:00'
      from jsonb_to_recordset(coalesce(v_data -> 'tasks', '[]')) as t(deal_id text, owner_id text, subject text, status text, due_weekdays_ago integer);
    insert into sample_line_items (id, deal_id, sku, name, quantity, price, discount_pct)
    select i.id, i.deal_id, i.sku, i.name, i.quantity, i.price, i.discount_pct
      from jsonb_to_recordset(coalesce(v_data -> 'line_items', '[]')) as i(id text, deal_id text, sku text, name text, quantity integer, price numeric, discount_pct numeric);
    insert into sample_quotes (id, deal_id, title, status, amount, sent_at, expires_on)
    select q.id, q.deal_id, q.title, q.status, q.amount, sample_weekday_before(v_today, q.sent_weekdays_ago) + time '17:30', v_today + q.expires_in_days
      from jsonb_to_recordset(coalesce(v_data -> 'quotes', '[]')) as q(id text, deal_id text, title text, status text, amount numeric, sent_weekdays_ago integer, expires_in_days integer);
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Engagements in [p_since, p_until), oldest first (rep-activity counts them; quote-expiry and
-- followup-replies read replies): the logged calls/emails/meetings plus the emails the fleet sent
-- through the CRM (sample_emails: follow-ups, notices, packs), as HubSpot lists them all as emails.
create function sample_crm_list_engagements(p_since timestamptz, p_until timestamptz)
returns table (engagement_id text, type text, direction text, owner_id text, deal_id text, lead_id text, contact_email text, subject text, occurred_at timestamptz)
language sql stable as $$
  select * from (
    select e.id::text, e.type, e.direction, e.owner_id, e.deal_id, e.lead_id, e.contact_email, e.subject, e.occurred_at
      from sample_engagements e where e.occurred_at >= p_since and e.occurred_at < p_until
    union all
    select 'email-' || m.id, 'EMAIL', 'EMAIL', d.owner_id, m.deal_id, null, lower(m.to_email), m.subject, m.sent_at
      from sample_emails m join sample_deals d on d.id = m.deal_id where m.sent_at >= p_since and m.sent_at < p_until
  ) as all_engagements
  order by 9, 1;
$$;

-- Tasks not completed, with their deal's stage, oldest due first (overdue-tasks).
create function sample_crm_list_open_tasks()
returns table (task_id bigint, deal_id text, deal_name text, deal_stage text, owner_id text, subject text, status text, due_at timestamptz)
language sql stable as $$
  select t.id, t.deal_id, d.name, d.stage, t.owner_id, t.subject, t.status, t.due_at
    from sample_tasks t left join sample_deals d on d.id = t.deal_id
   where t.status <> 'COMPLETED' order by t.due_at, t.id;
$$;

-- Line items of the given deals (discount-guard).
create function sample_crm_list_line_items(p_deal_ids text[])
returns table (line_item_id text, deal_id text, sku text, name text, quantity integer, price numeric, discount_pct numeric)
language sql stable as $$
  select i.id, i.deal_id, i.sku, i.name, i.quantity, i.price, i.discount_pct
    from sample_line_items i where i.deal_id = any (p_deal_ids) order by i.deal_id, i.id;
$$;

-- Quotes with their deal (quote-expiry).
create function sample_crm_list_quotes()
returns table (quote_id text, deal_id text, title text, status text, amount numeric, sent_at timestamptz, expires_on date)
language sql stable as $$
  select q.id, q.deal_id, q.title, q.status, q.amount, q.sent_at, q.expires_on from sample_quotes q order by q.expires_on, q.id;
$$;

-- Inbound leads created since an instant, oldest first (inbound-lead-router).
create function sample_crm_list_leads(p_since timestamptz)
returns table (lead_id text, first_name text, last_name text, email text, company text, state text, segment text, store_count integer,
               message text, form text, owner_id text, created_at timestamptz)
language sql stable as $$
  select l.id, l.first_name, l.last_name, l.email, l.company, l.state, l.segment, l.store_count, l.message, l.form, l.owner_id, l.created_at
    from sample_leads l where l.created_at >= p_since order by l.created_at, l.id;
$$;

-- The territory table and each owner's team (inbound-lead-router).
create function sample_crm_list_territories()
returns table (state text, segment text, team text)
language sql stable as $$ select t.state, t.segment, t.team from sample_territories t order by t.team, t.state, t.segment; $$;

create function sample_crm_owner_teams()
returns table (owner_id text, team text)
language sql stable as $$ select o.id, o.team from sample_owners o order by o.id; $$;

-- Set a lead's owner, once per idempotency key; a repeat returns applied = false.
create function sample_crm_assign_lead(p_idempotency_key text, p_lead_id text, p_owner_id text)
returns table (lead_id text, owner_id text, applied boolean)
language plpgsql as $$
declare
  v_count integer;
begin
  if not exists (select 1 from sample_leads l where l.id = p_lead_id) then
    raise exception 'sample lead % does not exist', p_lead_id using errcode = 'no_data_found';
  end if;
  if not exists (select 1 from sample_owners o where o.id = p_owner_id) then
    raise exception 'sample owner % does not exist', p_owner_id using errcode = 'no_data_found';
  end if;
  insert into sample_lead_assignments (idempotency_key, lead_id, owner_id) values (p_idempotency_key, p_lead_id, p_owner_id)
  on conflict (idempotency_key) do nothing;
  get diagnostics v_count = row_count;
  if v_count > 0 then
    update sample_leads l set owner_id = p_owner_id, assigned_at = now() where l.id = p_lead_id;
  end if;
  return query select l.id, l.owner_id, v_count > 0 from sample_leads l where l.id = p_lead_id;
end;
$$;

-- Log an email we sent to a lead (or a deal's contact) as an engagement, once per idempotency key.
create function sample_crm_log_email(p_idempotency_key text, p_owner_id text, p_to text, p_subject text, p_body text,
                                     p_lead_id text default null, p_deal_id text default null)
returns table (engagement_id bigint, created boolean, occurred_at timestamptz)
language plpgsql as $$
declare
  v_id bigint;
begin
  insert into sample_engagements (idempotency_key, type, direction, owner_id, deal_id, lead_id, contact_email, subject, body, occurred_at)
  values (p_idempotency_key, 'EMAIL', 'EMAIL', p_owner_id, p_deal_id, p_lead_id, lower(p_to), p_subject, p_body, now())
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  if v_id is not null then
    return query select v_id, true, now();
  else
    return query select e.id, false, e.occurred_at from sample_engagements e where e.idempotency_key = p_idempotency_key;
  end if;
end;
$$;

-- The price list as the CRM holds it (HubSpot products: price, hs_cost_of_goods_sold).
create function sample_crm_list_products()
returns table (sku text, name text, wholesale_price numeric, unit_cost numeric)
language sql stable as $$ select p.sku, p.name, p.wholesale_price, p.unit_cost from sample_products p order by p.sku; $$;

-- The account behind each deal with its onboarding checklist (account-onboarding); an account
-- without a checklist row has every item open.
create function sample_crm_list_account_onboarding(p_deal_ids text[])
returns table (deal_id text, account_id text, account_name text, credit_application boolean, resale_certificate boolean, item_setup boolean, first_po boolean)
language sql stable as $$
  select d.id, a.id, a.name, coalesce(o.credit_application, false), coalesce(o.resale_certificate, false), coalesce(o.item_setup, false), coalesce(o.first_po, false)
    from sample_deals d join sample_accounts a on a.id = d.account_id left join sample_account_onboarding o on o.account_id = a.id
   where d.id = any (p_deal_ids) order by d.id;
$$;

-- Target retailers with their buyer (prospect-outreach).
create function sample_crm_list_prospects()
returns table (prospect_id text, name text, domain text, state text, segment text, store_count integer, buyer_first_name text,
               buyer_last_name text, buyer_email text, last_contacted_at timestamptz, open_deal boolean, suppressed boolean)
language sql stable as $$
  select p.id, p.name, p.domain, p.state, p.segment, p.store_count, p.buyer_first_name, p.buyer_last_name, p.buyer_email,
         p.last_contacted_at, p.open_deal, p.suppressed
    from sample_prospects p order by p.id;
$$;

-- Brand facts, in load order.
create function sample_list_brand_facts()
returns table (brand text, fact text)
language sql stable as $$ select f.brand, f.fact from sample_brand_facts f order by f.brand, f.fact; $$;

-- Log an intro email to a prospect's buyer once per key, and mark the company contacted (HubSpot
-- recomputes notes_last_contacted the same way).
create function sample_crm_log_prospect_email(p_idempotency_key text, p_prospect_id text, p_owner_id text, p_to text, p_subject text, p_body text)
returns table (engagement_id bigint, created boolean)
language plpgsql as $$
declare
  v_id bigint;
begin
  if not exists (select 1 from sample_prospects p where p.id = p_prospect_id) then
    raise exception 'sample prospect % does not exist', p_prospect_id using errcode = 'no_data_found';
  end if;
  insert into sample_engagements (idempotency_key, type, direction, owner_id, contact_email, subject, body, occurred_at)
  values (p_idempotency_key, 'EMAIL', 'EMAIL', p_owner_id, lower(p_to), p_subject, p_body, now())
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  if v_id is not null then
    update sample_prospects p set last_contacted_at = now() where p.id = p_prospect_id;
    return query select v_id, true;
  else
    return query select e.id, false from sample_engagements e where e.idempotency_key = p_idempotency_key;
  end if;
end;
$$;
