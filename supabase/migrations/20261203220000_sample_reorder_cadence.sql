-- salesbot/reorder-cadence on the sample company: four wholesale accounts late to reorder against
-- their own rhythm. The loader moves each one's latest order back (salesbot-reorder-cadence.json),
-- inside the trailing 90 days so the monthly review's figures stay the same; the history rows,
-- their count and their SKU lines are sales-d's (salesbot-account-history.json).

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_sales_e;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
begin
  select * into v_result from sample_company_load_before_sales_e(p_data, p_reset, p_now);
  if v_result.loaded then
    update sample_wholesale_order_history h
       set ordered_on = (p_now at time zone 'UTC')::date - l.days_ago
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_reorder_cadence,late_orders}', '[]')) as l(order_id text, days_ago integer)
     where h.id = l.order_id;
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;
