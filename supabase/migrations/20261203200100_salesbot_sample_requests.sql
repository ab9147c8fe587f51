-- salesbot/sample-requests on the sample company: the deal properties HubSpot would hold
-- (sample_status requested / shipped / delivered, sample_requested_at, sample_delivered_at) on 3
-- deals from salesbot-samples.json, and the store's sample draft orders (Shopify draft orders tagged
-- "sample", 100% off), created once per idempotency key by the `create_sample_order` approval.
-- Planted: Whole Harvest requested 4 weekdays ago with no draft order (overdue); Cobblestone
-- requested yesterday (inside the 2 business days); Marigold has its draft order and was
-- delivered 3 days ago (follow-up not due yet).

create table sample_draft_orders (
  id text primary key,
  idempotency_key text unique,
  deal_id text,
  account_id text,
  email text not null,
  tags text[] not null default '{}',
  -- [{sku, quantity}] at the store's price, fully discounted.
  lines jsonb not null,
  discount_pct numeric(5, 2) not null default 100,
  note text not null default '',
  created_at timestamptz not null default now()
);

create sequence sample_draft_order_numbers start 2001;

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_sales_c_samples;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  v_today date := (p_now at time zone 'UTC')::date;
begin
  select * into v_result from sample_company_load_before_sales_c_samples(p_data, p_reset, p_now);
  if v_result.loaded then
    truncate sample_draft_orders;
    update sample_deals d set properties = d.properties || jsonb_strip_nulls(jsonb_build_object(
             'sample_status', r.status,
             'sample_requested_at', to_char((sample_weekday_before(v_today, r.requested_weekdays_ago) + time '17:00') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
             'sample_delivered_at', case when r.delivered_days_ago is null then null
                                         else to_char((p_now - make_interval(days => r.delivered_days_ago)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') end))
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_samples,requests}', '[]'))
             as r(deal_id text, status text, requested_weekdays_ago integer, delivered_days_ago integer)
     where d.id = r.deal_id;
    insert into sample_draft_orders (id, deal_id, account_id, email, tags, lines, created_at)
    select o.id, o.deal_id, (select d.account_id from sample_deals d where d.id = o.deal_id), o.email,
           array(select jsonb_array_elements_text(o.tags)), o.lines, sample_weekday_before(v_today, o.created_weekdays_ago) + time '18:00'
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_samples,draft_orders}', '[]'))
             as o(id text, deal_id text, email text, tags jsonb, lines jsonb, created_weekdays_ago integer);
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Draft orders carrying a tag (Shopify draftOrders(query: "tag:sample")), oldest first.
create function sample_draft_orders_tagged(p_tag text)
returns table (draft_order_id text, deal_id text, account_id text, email text, tags text[], lines jsonb, discount_pct numeric, note text, created_at timestamptz)
language sql stable as $$
  select o.id, o.deal_id, o.account_id, o.email, o.tags, o.lines, o.discount_pct, o.note, o.created_at
    from sample_draft_orders o where p_tag = any (o.tags) order by o.created_at, o.id;
$$;

-- Create a fully discounted draft order exactly once per idempotency key (Shopify draftOrderCreate
-- with appliedDiscount 100%); a repeat answers the first one with created = false.
create function sample_draft_order_create(p_idempotency_key text, p_deal_id text, p_email text, p_tags text[], p_lines jsonb, p_note text)
returns table (draft_order_id text, created boolean)
language plpgsql as $$
declare
  v_id text;
begin
  if jsonb_typeof(p_lines) <> 'array' or jsonb_array_length(p_lines) = 0 then
    raise exception 'a draft order needs at least one line' using errcode = 'invalid_parameter_value';
  end if;
  insert into sample_draft_orders (id, idempotency_key, deal_id, account_id, email, tags, lines, note)
  values ('D' || nextval('sample_draft_order_numbers'), p_idempotency_key, p_deal_id,
          (select d.account_id from sample_deals d where d.id = p_deal_id), p_email, p_tags, p_lines, coalesce(p_note, ''))
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  if v_id is null then
    return query select o.id, false from sample_draft_orders o where o.idempotency_key = p_idempotency_key;
    return;
  end if;
  return query select v_id, true;
end;
$$;
