-- salesbot/deductions-watch on the sample company: retailer and distributor deductions (short-pays
-- the remittances explain with a reason code and a dispute window) and the proofs of delivery for
-- the shipments they blame, read through the accounting connector; a loader that fills both from
-- salesbot-deductions.json. (Live: Xero credit notes; the remittance CSVs over SFTP and shipbot's
-- POD table are not wired yet, so in local mode both come from this file.)

create table sample_deductions (
  id text primary key,
  account_id text not null,
  invoice_id text,
  kind text not null check (kind in ('shortage', 'late_delivery', 'promo', 'pricing', 'other')),
  reason_code text,
  amount numeric(12, 2) not null check (amount > 0),
  taken_on date not null,
  dispute_by date,
  shipment_id text,
  -- The retailer's AR (deductions) contact the dispute packet goes to.
  ar_email text,
  updated_at timestamptz not null default now()
);

create table sample_pods (
  shipment_id text primary key,
  invoice_id text,
  promised_on date not null,
  delivered_on date,
  units_shipped integer not null check (units_shipped >= 0),
  units_received integer check (units_received >= 0),
  signed_by text
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_sales_f;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  v_today date := (p_now at time zone 'UTC')::date;
begin
  select * into v_result from sample_company_load_before_sales_f(p_data, p_reset, p_now);
  if v_result.loaded then
    delete from sample_deductions;
    delete from sample_pods;
    insert into sample_deductions (id, account_id, invoice_id, kind, reason_code, amount, taken_on, dispute_by, shipment_id, ar_email, updated_at)
    select d.id, d.account_id, d.invoice_id, d.kind, d.reason_code, d.amount, v_today - d.taken_days_ago,
           v_today - d.taken_days_ago + d.window_days, d.shipment_id, d.ar_email, p_now - make_interval(days => d.taken_days_ago)
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_deductions,deductions}', '[]'))
           as d(id text, account_id text, invoice_id text, kind text, reason_code text, amount numeric, taken_days_ago integer,
                window_days integer, shipment_id text, ar_email text);
    insert into sample_pods (shipment_id, invoice_id, promised_on, delivered_on, units_shipped, units_received, signed_by)
    select p.shipment_id, p.invoice_id, v_today - p.promised_days_ago, v_today - p.delivered_days_ago, p.units_shipped, p.units_received, p.signed_by
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_deductions,pods}', '[]'))
           as p(shipment_id text, invoice_id text, promised_days_ago integer, delivered_days_ago integer, units_shipped integer,
                units_received integer, signed_by text);
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Deductions taken on or after a day, newest first, with the customer's name.
create function sample_accounting_deductions(p_since date)
returns table (deduction_id text, account_id text, account_name text, invoice_id text, kind text, reason_code text, amount numeric,
               taken_on date, dispute_by date, shipment_id text, ar_email text, updated_at timestamptz)
language sql stable as $$
  select d.id, d.account_id, a.name, d.invoice_id, d.kind, d.reason_code, d.amount, d.taken_on, d.dispute_by, d.shipment_id, d.ar_email, d.updated_at
    from sample_deductions d
    left join sample_accounts a on a.id = d.account_id
   where d.taken_on >= p_since
   order by d.taken_on desc, d.id;
$$;

-- Proofs of delivery for the given shipments (missing ones are simply absent).
create function sample_accounting_pods(p_shipment_ids text[])
returns table (shipment_id text, invoice_id text, promised_on date, delivered_on date, units_shipped integer, units_received integer, signed_by text)
language sql stable as $$
  select p.shipment_id, p.invoice_id, p.promised_on, p.delivered_on, p.units_shipped, p.units_received, p.signed_by
    from sample_pods p
   where p.shipment_id = any (p_shipment_ids)
   order by p.shipment_id;
$$;
