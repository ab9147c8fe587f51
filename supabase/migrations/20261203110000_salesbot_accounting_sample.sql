-- salesbot/ar-collections on the sample company: the books' receivables side (invoices,
-- payments, credit notes) from accounting.json, CRM company properties (credit limit, payment
-- terms, credit hold) on sample_accounts, and the company update a credit-hold approval makes,
-- applied once per idempotency key (reminders are CRM emails, logged on the account's deal).

alter table sample_accounts add column properties jsonb not null default '{}';

-- No foreign keys to sample_accounts, so the base loader's TRUNCATE still runs.
create table sample_invoices (
  id text primary key,
  account_id text not null,
  contact_email text,
  issued_on date not null,
  due_on date not null,
  total numeric(12, 2) not null,
  amount_due numeric(12, 2) not null,
  currency text not null default 'USD',
  -- open | paid | voided (the accounting connector's own words, not a vendor's).
  status text not null,
  updated_at timestamptz not null default now()
);

create table sample_payments (
  id text primary key,
  invoice_id text not null,
  account_id text not null,
  amount numeric(12, 2) not null,
  paid_on date not null,
  reference text
);

create table sample_credit_notes (
  id text primary key,
  account_id text not null,
  invoice_id text,
  amount numeric(12, 2) not null,
  issued_on date not null,
  reason text
);

-- Company property updates applied by approvals (credit holds …), once per key.
create table sample_company_updates (
  idempotency_key text primary key,
  account_id text not null,
  properties jsonb not null,
  applied_at timestamptz not null default now()
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_sales_b;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  v_today date := (p_now at time zone 'UTC')::date;
begin
  select * into v_result from sample_company_load_before_sales_b(p_data, p_reset, p_now);
  if v_result.loaded then
    truncate sample_invoices, sample_payments, sample_credit_notes, sample_company_updates;
    insert into sample_invoices (id, account_id, contact_email, issued_on, due_on, total, amount_due, currency, status, updated_at)
    select i.id, i.account_id, i.contact_email, v_today - i.issued_days_ago, v_today - i.issued_days_ago + coalesce(i.terms_days, 30),
           i.total, i.amount_due, coalesce(i.currency, 'USD'), i.status, p_now - make_interval(days => i.issued_days_ago)
      from jsonb_to_recordset(coalesce(p_data #> '{accounting,invoices}', '[]'))
             as i(id text, account_id text, contact_email text, issued_days_ago integer, terms_days integer, total numeric, amount_due numeric,
                  currency text, status text);
    insert into sample_payments (id, invoice_id, account_id, amount, paid_on, reference)
    select p.id, p.invoice_id, p.account_id, p.amount, v_today - p.paid_days_ago, p.reference
      from jsonb_to_recordset(coalesce(p_data #> '{accounting,payments}', '[]'))
             as p(id text, invoice_id text, account_id text, amount numeric, paid_days_ago integer, reference text);
    insert into sample_credit_notes (id, account_id, invoice_id, amount, issued_on, reason)
    select c.id, c.account_id, c.invoice_id, c.amount, v_today - c.issued_days_ago, c.reason
      from jsonb_to_recordset(coalesce(p_data #> '{accounting,credit_notes}', '[]'))
             as c(id text, account_id text, invoice_id text, amount numeric, issued_days_ago integer, reason text);
    update sample_accounts a
       set properties = a.properties || jsonb_build_object('credit_limit', l.credit_limit::text, 'payment_terms_days', l.terms_days::text)
      from jsonb_to_recordset(coalesce(p_data #> '{accounting,credit_limits}', '[]')) as l(account_id text, credit_limit numeric, terms_days integer)
     where a.id = l.account_id;
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Invoices still owed (amount due > 0), oldest due first, with the customer's name.
create function sample_accounting_open_invoices()
returns table (invoice_id text, account_id text, account_name text, contact_email text, issued_on date, due_on date, total numeric,
               amount_due numeric, currency text, updated_at timestamptz)
language sql stable as $$
  select i.id, i.account_id, a.name, i.contact_email, i.issued_on, i.due_on, i.total, i.amount_due, i.currency, i.updated_at
    from sample_invoices i
    left join sample_accounts a on a.id = i.account_id
   where i.status = 'open' and i.amount_due > 0
   order by i.due_on, i.id;
$$;

-- Payments received on or after a day, newest first.
create function sample_accounting_payments(p_since date)
returns table (payment_id text, invoice_id text, account_id text, account_name text, amount numeric, paid_on date, reference text)
language sql stable as $$
  select p.id, p.invoice_id, p.account_id, a.name, p.amount, p.paid_on, p.reference
    from sample_payments p
    left join sample_accounts a on a.id = p.account_id
   where p.paid_on >= p_since
   order by p.paid_on desc, p.id;
$$;

-- Credit notes issued on or after a day, newest first.
create function sample_accounting_credit_notes(p_since date)
returns table (credit_note_id text, account_id text, account_name text, invoice_id text, amount numeric, issued_on date, reason text)
language sql stable as $$
  select c.id, c.account_id, a.name, c.invoice_id, c.amount, c.issued_on, c.reason
    from sample_credit_notes c
    left join sample_accounts a on a.id = c.account_id
   where c.issued_on >= p_since
   order by c.issued_on desc, c.id;
$$;

-- Companies (wholesale accounts) with owner and properties, for the CRM connector.
create function sample_crm_list_companies()
returns table (company_id text, name text, domain text, city text, state text, segment text, owner_id text, owner_name text,
               properties jsonb, contacts integer, deals integer)
language sql stable as $$
  select a.id, a.name, a.domain, a.city, a.state, a.segment, a.owner_id, o.first_name || ' ' || o.last_name, a.properties,
         (select count(*)::integer from sample_contacts c where c.account_id = a.id),
         (select count(*)::integer from sample_deals d where d.account_id = a.id)
    from sample_accounts a
    left join sample_owners o on o.id = a.owner_id
   order by a.id;
$$;

-- Set properties on a company, exactly once per idempotency key (a repeat applies nothing).
create function sample_crm_update_company(p_idempotency_key text, p_company_id text, p_properties jsonb)
returns table (company_id text, applied boolean, properties jsonb)
language plpgsql as $$
declare
  v_applied boolean;
begin
  if not exists (select 1 from sample_accounts a where a.id = p_company_id) then
    raise exception 'sample company % does not exist', p_company_id using errcode = 'no_data_found';
  end if;
  insert into sample_company_updates (idempotency_key, account_id, properties)
  values (p_idempotency_key, p_company_id, p_properties)
  on conflict (idempotency_key) do nothing;
  v_applied := found;
  if v_applied then
    update sample_accounts a set properties = a.properties || p_properties where a.id = p_company_id;
  end if;
  return query select a.id, v_applied, a.properties from sample_accounts a where a.id = p_company_id;
end;
$$;

-- OAuth2 refresh tokens that rotate on every use (Xero: a refresh token is single-use). The
-- newest one is kept in the brain, so a restart or the standby host refreshes with the token
-- Xero will still accept, not with the stale one from the environment.
create table connector_oauth_tokens (
  connector text primary key,
  refresh_token text not null,
  -- The refresh token this one replaced: an environment still holding it is not newer.
  replaced text,
  updated_at timestamptz not null default now()
);

-- The newest refresh token for a connector, or none.
create function connector_refresh_token_get(p_connector text)
returns table (refresh_token text, replaced text, updated_at timestamptz)
language sql stable as $$
  select t.refresh_token, t.replaced, t.updated_at from connector_oauth_tokens t where t.connector = p_connector;
$$;

-- Store the token a refresh returned, replacing the one it was exchanged for.
create function connector_refresh_token_put(p_connector text, p_refresh_token text, p_replaced text)
returns void
language sql as $$
  insert into connector_oauth_tokens (connector, refresh_token, replaced) values (p_connector, p_refresh_token, p_replaced)
  on conflict (connector) do update set refresh_token = excluded.refresh_token, replaced = excluded.replaced, updated_at = now();
$$;
