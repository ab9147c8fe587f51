-- salesbot/monthly-account-review on the sample company: each wholesale account's order history
-- (15 months, units ordered vs shipped so the fill rate is shipbot's own figure), read through
-- the wholesale-history connector, retailer line-review dates on the companies (line-review-prep),
-- and a loader that fills both from salesbot-account-history.json.

create table sample_wholesale_order_history (
  id text primary key,
  account_id text not null,
  ordered_on date not null,
  amount numeric(12, 2) not null check (amount >= 0),
  units_ordered integer not null check (units_ordered >= 0),
  units_shipped integer not null check (units_shipped >= 0),
  -- [{sku, units}]: what the order held, for line-review-prep's SKU history.
  lines jsonb not null default '[]'
);
create index sample_wholesale_order_history_day on sample_wholesale_order_history (ordered_on);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_sales_d;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
begin
  select * into v_result from sample_company_load_before_sales_d(p_data, p_reset, p_now);
  if v_result.loaded then
    delete from sample_wholesale_order_history;
    insert into sample_wholesale_order_history (id, account_id, ordered_on, amount, units_ordered, units_shipped, lines)
    select o.id, o.account_id, (p_now at time zone 'UTC')::date - o.days_ago, o.amount, o.units_ordered, o.units_shipped, coalesce(o.lines, '[]')
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_account_history,orders}', '[]'))
           as o(id text, account_id text, days_ago integer, amount numeric, units_ordered integer, units_shipped integer, lines jsonb);
    -- Retailer line reviews (HubSpot company property next_line_review_date), days after the load.
    update sample_accounts a
       set properties = a.properties || jsonb_build_object('next_line_review_date', ((p_now at time zone 'UTC')::date + r.days_out)::text)
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_account_history,line_reviews}', '[]')) as r(account_id text, days_out integer)
     where a.id = r.account_id;
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Wholesale orders placed on or after a day, oldest first, with the account's name.
create function sample_wholesale_order_history_since(p_since date)
returns table (order_id text, account_id text, account_name text, ordered_on date, amount numeric, units_ordered integer, units_shipped integer, lines jsonb)
language sql stable as $$
  select h.id, h.account_id, coalesce(a.name, h.account_id), h.ordered_on, h.amount, h.units_ordered, h.units_shipped, h.lines
    from sample_wholesale_order_history h left join sample_accounts a on a.id = h.account_id
   where h.ordered_on >= p_since
   order by h.ordered_on, h.id;
$$;
