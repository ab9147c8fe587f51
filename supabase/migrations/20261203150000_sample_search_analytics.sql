-- mktgbot's search, analytics and feed jobs on the sample company (mktg-search.json): GA4 daily
-- purchases and hourly funnels by device, paid-order UTM attribution, three product feeds,
-- Google Ads campaigns / daily metrics / search terms / keywords, Amazon Ads SP campaigns,
-- keywords and search terms. The loader generates the healthy bulk from the profiles in the
-- data file (deterministic, relative to the load time) and applies the planted cases. Changes
-- an approval makes (negatives, keyword adds, bids, budgets) go through the functions below,
-- once per idempotency key, so they visibly change the data.

create table sample_ga4_daily (
  day date primary key,
  purchases integer not null,
  revenue numeric(12, 2) not null
);

create table sample_order_attribution (
  order_id text primary key,
  -- paid / organic / direct / email, as Shopify's customerJourneySummary.lastVisit.source classifies it
  source_type text not null,
  utm_source text,
  utm_medium text,
  utm_campaign text
);

create table sample_ga4_hourly (
  hour timestamptz not null,
  device text not null,
  sessions integer not null,
  add_to_carts integer not null,
  checkouts integer not null,
  purchases integer not null,
  primary key (hour, device)
);

create table sample_feed_items (
  feed text not null,
  sku text not null,
  title text not null,
  gtin text,
  price numeric(10, 2) not null,
  availability text not null,
  status text not null,
  -- [{code, detail}]
  issues jsonb not null default '[]',
  ad_spend_7d numeric(10, 2) not null,
  primary key (feed, sku)
);

create table sample_google_campaigns (
  id text primary key,
  name text not null,
  brand text not null,
  brand_campaign boolean not null,
  status text not null default 'ENABLED',
  daily_budget numeric(10, 2) not null,
  brand_terms jsonb not null default '[]',
  updated_at timestamptz not null default now()
);

create table sample_google_campaign_daily (
  campaign_id text not null,
  day date not null,
  cost numeric(10, 2) not null,
  clicks integer not null,
  conversions numeric(10, 2) not null,
  conversions_value numeric(12, 2) not null,
  -- Fractions (0.95 = 95%); null for campaigns that are not search.
  impression_share numeric(5, 4),
  budget_lost_impression_share numeric(5, 4),
  rank_lost_impression_share numeric(5, 4),
  top_impression_share numeric(5, 4),
  primary key (campaign_id, day)
);

-- The last 14 days of search terms per campaign (search_term_view over LAST_14_DAYS).
create table sample_google_search_terms (
  campaign_id text not null,
  ad_group_id text not null,
  term text not null,
  cost numeric(10, 2) not null,
  clicks integer not null,
  conversions numeric(10, 2) not null,
  conversions_value numeric(12, 2) not null,
  primary key (campaign_id, term)
);

-- Keywords and negative keywords (campaign_criterion negatives / ad_group_criterion keywords).
create table sample_google_keywords (
  id bigint generated always as identity primary key,
  campaign_id text not null,
  text text not null,
  match_type text not null,
  negative boolean not null,
  idempotency_key text,
  created_at timestamptz not null default now(),
  unique (campaign_id, text, match_type, negative)
);

-- One row per applied change (approval key + item), so a repeat applies nothing.
create table sample_search_ad_actions (
  idempotency_key text primary key,
  platform text not null,
  action text not null,
  request jsonb not null,
  created_at timestamptz not null default now()
);

create table sample_amazon_ads_campaigns (
  id text primary key,
  name text not null,
  daily_budget numeric(10, 2) not null,
  state text not null default 'ENABLED'
);

-- SP keywords with their last-14-day targeting report figures.
create table sample_amazon_ads_keywords (
  keyword_id text primary key,
  campaign_id text not null,
  ad_group_id text not null,
  keyword_text text not null,
  match_type text not null,
  bid numeric(10, 2) not null,
  state text not null default 'ENABLED',
  cost numeric(10, 2) not null,
  clicks integer not null,
  purchases integer not null,
  sales numeric(12, 2) not null,
  updated_at timestamptz not null default now()
);

create table sample_amazon_ads_search_terms (
  campaign_id text not null,
  ad_group_id text not null,
  keyword_id text,
  search_term text not null,
  cost numeric(10, 2) not null,
  clicks integer not null,
  purchases integer not null,
  sales numeric(12, 2) not null,
  primary key (campaign_id, search_term)
);

create table sample_amazon_ads_negatives (
  id bigint generated always as identity primary key,
  campaign_id text not null,
  ad_group_id text not null,
  keyword_text text not null,
  match_type text not null,
  idempotency_key text,
  created_at timestamptz not null default now(),
  unique (campaign_id, ad_group_id, keyword_text, match_type)
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_mktg_search;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  v_data jsonb := coalesce(p_data -> 'mktg_search', '{}');
  v_tz text := coalesce(v_data ->> 'time_zone', 'America/Los_Angeles');
  v_today date := (p_now at time zone v_tz)::date;
  v_hourly jsonb := coalesce(v_data -> 'ga4_hourly', '{}');
  v_google jsonb := coalesce(v_data -> 'google_ads', '{}');
  v_amazon jsonb := coalesce(v_data -> 'amazon_ads', '{}');
  v_share jsonb := coalesce(v_google -> 'brand_share', '{}');
begin
  select * into v_result from sample_company_load_before_mktg_search(p_data, p_reset, p_now);
  if v_result.loaded then
    delete from sample_ga4_daily; delete from sample_order_attribution; delete from sample_ga4_hourly; delete from sample_feed_items;
    delete from sample_google_campaigns; delete from sample_google_campaign_daily; delete from sample_google_search_terms;
    delete from sample_google_keywords; delete from sample_search_ad_actions; delete from sample_amazon_ads_campaigns;
    delete from sample_amazon_ads_keywords; delete from sample_amazon_ads_search_terms; delete from sample_amazon_ads_negatives;

    -- GA4 sees its share of each day's DTC orders (consent, blockers), at the day's order value;
    -- a planted day overrides the share.
    insert into sample_ga4_daily (day, purchases, revenue)
    select s.day, round(s.orders * coalesce(p.purchase_share, (v_data #>> '{ga4_daily,purchase_share}')::numeric, 0.93))::integer,
           round(s.revenue * coalesce(p.purchase_share, (v_data #>> '{ga4_daily,purchase_share}')::numeric, 0.93), 2)
      from sample_reporting_daily_sales(v_today - coalesce((v_data #>> '{ga4_daily,days}')::integer, 30), v_today - 1, v_tz) s
      left join jsonb_to_recordset(coalesce(v_data #> '{ga4_daily,planted}', '[]')) as p(days_ago integer, purchase_share numeric)
        on s.day = v_today - p.days_ago
     where s.channel = 'dtc';

    -- Every DTC order's last visit: a deterministic paid share, nearly all of them tagged.
    insert into sample_order_attribution (order_id, source_type, utm_source, utm_medium, utm_campaign)
    select o.id, case when a.bucket < coalesce((v_data #>> '{order_attribution,paid_share}')::numeric, 0.45) then 'paid'
                      when a.bucket < 0.75 then 'organic' when a.bucket < 0.9 then 'email' else 'direct' end,
           case when a.bucket < coalesce((v_data #>> '{order_attribution,paid_share}')::numeric, 0.45)
                 and a.tag < coalesce((v_data #>> '{order_attribution,utm_share}')::numeric, 0.95)
                then (case when a.bucket < 0.25 then 'facebook' else 'google' end) end,
           case when a.bucket < coalesce((v_data #>> '{order_attribution,paid_share}')::numeric, 0.45)
                 and a.tag < coalesce((v_data #>> '{order_attribution,utm_share}')::numeric, 0.95) then 'paid' end,
           case when a.bucket < coalesce((v_data #>> '{order_attribution,paid_share}')::numeric, 0.45)
                 and a.tag < coalesce((v_data #>> '{order_attribution,utm_share}')::numeric, 0.95) then 'always-on' end
      from sample_orders o
      cross join lateral (select (abs(hashtext(o.id)) % 1000) / 1000.0 as bucket, (abs(hashtext(o.id || ':utm')) % 1000) / 1000.0 as tag) a
     where o.channel = 'dtc';

    -- 14 days × 24 complete hours × 2 devices, daytime (08–22 local) busier than night; the
    -- funnel rates from the profile; a planted device/hours override the purchase rate.
    insert into sample_ga4_hourly (hour, device, sessions, add_to_carts, checkouts, purchases)
    select g.hour, g.device, g.sessions, g.add_to_carts, g.checkouts,
           round(g.checkouts * coalesce(
             (select p.purchase_rate from jsonb_to_recordset(coalesce(v_hourly -> 'planted', '[]')) as p(device text, hours_ago_below integer, purchase_rate numeric)
               where p.device = g.device and g.hours_ago < p.hours_ago_below limit 1),
             (v_hourly ->> 'purchase_rate')::numeric, 0.62))::integer
      from (
        select h.hour, h.hours_ago, d.device, s.sessions,
               round(s.sessions * coalesce((v_hourly ->> 'add_to_cart_rate')::numeric, 0.09))::integer as add_to_carts,
               round(round(s.sessions * coalesce((v_hourly ->> 'add_to_cart_rate')::numeric, 0.09)) * coalesce((v_hourly ->> 'checkout_rate')::numeric, 0.45))::integer as checkouts
          from generate_series(0, coalesce((v_hourly ->> 'days')::integer, 14) * 24 - 1) as n
          cross join lateral (select date_trunc('hour', p_now) - (n + 1) * interval '1 hour' as hour, n as hours_ago) h
          cross join (values ('desktop'), ('mobile')) as d(device)
          cross join lateral (
            select round(coalesce((v_hourly #>> array['profile', d.device,
                     case when extract(hour from h.hour at time zone v_tz) between 8 and 21 then 'day_sessions' else 'night_sessions' end])::numeric, 50)
                   * (1 + 0.06 * sin(h.hours_ago * 0.7 + length(d.device)))::numeric)::integer as sessions) s
      ) g;

    -- Every SKU in every feed, in sync with the store (price, availability), approved, with a
    -- GTIN and some ad spend; the planted items override status, issues and price.
    insert into sample_feed_items (feed, sku, title, gtin, price, availability, status, issues, ad_spend_7d)
    select f.feed, p.sku, p.brand_name || ' ' || p.name,
           case when pl.issue = 'missing_gtin' then null else '0' || lpad((abs(hashtext(p.sku)) % 100000000000)::text, 11, '0') end,
           p.price + coalesce(pl.price_delta, 0),
           case when coalesce((select sum(i.on_hand) from sample_inventory i where i.sku = p.sku), 0) > 0 then 'in_stock' else 'out_of_stock' end,
           coalesce(pl.status, 'approved'),
           case when pl.issue is null then '[]'::jsonb else jsonb_build_array(jsonb_build_object('code', pl.issue, 'detail', pl.detail)) end,
           round((20 + abs(hashtext(f.feed || p.sku)) % 80)::numeric, 2)
      from sample_products p
      cross join jsonb_array_elements_text(coalesce(v_data #> '{feeds,feeds}', '["google","meta","pinterest"]')) as f(feed)
      left join jsonb_to_recordset(coalesce(v_data #> '{feeds,planted}', '[]')) as pl(feed text, sku text, status text, issue text, detail text, price_delta numeric)
        on pl.feed = f.feed and pl.sku = p.sku;

    insert into sample_google_campaigns (id, name, brand, brand_campaign, daily_budget, brand_terms, updated_at)
    select c.id, c.name, c.brand, c.brand_campaign, c.daily_budget, coalesce(c.brand_terms, '[]'), p_now
      from jsonb_to_recordset(coalesce(v_google -> 'campaigns', '[]')) as c(id text, name text, brand text, brand_campaign boolean, daily_budget numeric, brand_terms jsonb);

    -- 30 days per campaign: spend near budget, conversions in proportion; brand campaigns carry
    -- the profile's impression shares, a planted campaign overrides them for its last days.
    insert into sample_google_campaign_daily (campaign_id, day, cost, clicks, conversions, conversions_value,
                                              impression_share, budget_lost_impression_share, rank_lost_impression_share, top_impression_share)
    select c.id, v_today - d,
           round(c.daily_budget * (0.9 + 0.05 * sin(d * 1.3 + length(c.id)))::numeric, 2),
           round(c.daily_budget * (0.9 + 0.05 * sin(d * 1.3 + length(c.id)))::numeric / 1.2)::integer,
           round(c.daily_budget / 38.0 * (1 + 0.08 * sin(d * 0.8 + length(c.name)))::numeric, 2),
           round(c.daily_budget / 38.0 * (1 + 0.08 * sin(d * 0.8 + length(c.name)))::numeric * 42, 2),
           case when c.brand_campaign then coalesce(pl.impression_share, (v_share ->> 'impression_share')::numeric) end,
           case when c.brand_campaign then coalesce(pl.budget_lost, (v_share ->> 'budget_lost')::numeric) end,
           case when c.brand_campaign then coalesce(pl.rank_lost, (v_share ->> 'rank_lost')::numeric) end,
           case when c.brand_campaign then coalesce(pl.top_impression_share, (v_share ->> 'top_impression_share')::numeric) end
      from sample_google_campaigns c
      cross join generate_series(1, 30) as d
      left join jsonb_to_recordset(coalesce(v_share -> 'planted', '[]'))
           as pl(campaign_id text, days_ago_below integer, impression_share numeric, budget_lost numeric, rank_lost numeric, top_impression_share numeric)
        on pl.campaign_id = c.id and d < pl.days_ago_below;

    -- Healthy search terms: cheap or converting now and then (never a negative, never an add);
    -- then the planted wasteful terms, the brand term and the winners.
    insert into sample_google_search_terms (campaign_id, ad_group_id, term, cost, clicks, conversions, conversions_value)
    select c.id, c.id || '01', t.stem || ' ' || m.modifier, 4 + (m.k * 7 + length(c.id)) % 41, 2 + m.k % 17, m.k % 3, (m.k % 3) * 36
      from (select id, name, row_number() over (order by id) as position from sample_google_campaigns where not brand_campaign) c
      join (values (1, 'granola'), (2, 'face serum'), (3, 'soy candle'), (4, 'coffee beans')) as t(position, stem) on t.position = c.position
      cross join lateral (
        select k, modifier from unnest(array['organic', 'best', 'gift', 'near me', 'online', 'natural', 'small batch', 'for women', 'for men',
          'holiday', 'set', 'refill', 'sampler', 'bulk', 'subscription', 'vegan', 'gluten free', 'unscented', 'large', 'travel size',
          'handmade', 'reviews', 'brands', 'sale', 'christmas', 'stocking stuffer', 'premium', 'local']) with ordinality as x(modifier, k)
      ) m
     where (c.position - 1) * 28 + m.k <= coalesce((v_google #>> '{search_terms,generated}')::integer, 110);
    insert into sample_google_search_terms (campaign_id, ad_group_id, term, cost, clicks, conversions, conversions_value)
    select t.campaign_id, t.campaign_id || '01', t.term, t.cost, t.clicks, t.conversions, coalesce(t.conversions_value, 0)
      from jsonb_to_recordset(coalesce(v_google #> '{search_terms,planted}', '[]'))
           as t(campaign_id text, term text, cost numeric, clicks integer, conversions numeric, conversions_value numeric)
    on conflict (campaign_id, term) do update set cost = excluded.cost, clicks = excluded.clicks, conversions = excluded.conversions,
                                                  conversions_value = excluded.conversions_value;
    -- The campaigns' own keywords: each stem as phrase match.
    insert into sample_google_keywords (campaign_id, text, match_type, negative)
    select c.id, t.stem, 'PHRASE', false
      from (select id, row_number() over (order by id) as position from sample_google_campaigns where not brand_campaign) c
      join (values (1, 'granola'), (2, 'face serum'), (3, 'soy candle'), (4, 'coffee beans')) as t(position, stem) on t.position = c.position;

    insert into sample_amazon_ads_campaigns (id, name, daily_budget)
    select c.id, c.name, c.daily_budget from jsonb_to_recordset(coalesce(v_amazon -> 'campaigns', '[]')) as c(id text, name text, daily_budget numeric);

    -- Healthy keywords: under $30 in 14 days at 20–32% ACOS; then the planted ones.
    insert into sample_amazon_ads_keywords (keyword_id, campaign_id, ad_group_id, keyword_text, match_type, bid, cost, clicks, purchases, sales)
    select '4400' || lpad(k::text, 4, '0'), c.id, c.id || '1', s.stem || ' ' || (array['organic', 'gift', 'natural', 'premium', 'set', 'large', 'small batch'])[1 + (k / 6) % 7],
           (array['BROAD', 'PHRASE', 'EXACT'])[1 + k % 3], round((0.6 + (k % 9) * 0.1)::numeric, 2),
           10 + (k * 3) % 19, 8 + k % 20, 2 + k % 4,
           round(((10 + (k * 3) % 19) / (0.20 + (k % 7) * 0.02))::numeric, 2)
      from generate_series(1, coalesce((v_amazon ->> 'generated_keywords')::integer, 35)) as k
      join (select id, row_number() over (order by id) - 1 as position from sample_amazon_ads_campaigns) c on c.position = k % 6
      join (values (0, 'granola'), (1, 'granola cereal'), (2, 'whole bean coffee'), (3, 'ground coffee'), (4, 'soy candle'), (5, 'face serum')) as s(position, stem) on s.position = k % 6;
    insert into sample_amazon_ads_keywords (keyword_id, campaign_id, ad_group_id, keyword_text, match_type, bid, cost, clicks, purchases, sales)
    select '4499' || lpad(row_number() over ()::text, 4, '0'), k.campaign_id, k.campaign_id || '1', k.keyword, k.match_type, k.bid, k.cost, k.clicks, k.purchases, k.sales
      from jsonb_to_recordset(coalesce(v_amazon -> 'planted_keywords', '[]'))
           as k(campaign_id text, keyword text, match_type text, bid numeric, cost numeric, clicks integer, purchases integer, sales numeric);

    -- Healthy search terms: they sell, or have spent little; then the planted wasteful ones.
    insert into sample_amazon_ads_search_terms (campaign_id, ad_group_id, keyword_id, search_term, cost, clicks, purchases, sales)
    select c.id, c.id || '1', null, s.stem || ' ' || (array['for gift', 'best', 'organic', 'refill', 'holiday'])[1 + (n / 6) % 5],
           5 + (n * 5) % 18, 4 + n % 11, 1 + n % 3, round(((5 + (n * 5) % 18) / 0.25)::numeric, 2)
      from generate_series(1, coalesce((v_amazon ->> 'generated_search_terms')::integer, 18)) as n
      join (select id, row_number() over (order by id) - 1 as position from sample_amazon_ads_campaigns) c on c.position = n % 6
      join (values (0, 'granola'), (1, 'cereal'), (2, 'coffee'), (3, 'espresso'), (4, 'candle'), (5, 'serum')) as s(position, stem) on s.position = n % 6;
    insert into sample_amazon_ads_search_terms (campaign_id, ad_group_id, keyword_id, search_term, cost, clicks, purchases, sales)
    select t.campaign_id, t.campaign_id || '1', null, t.search_term, t.cost, t.clicks, t.purchases, t.sales
      from jsonb_to_recordset(coalesce(v_amazon -> 'planted_search_terms', '[]'))
           as t(campaign_id text, search_term text, cost numeric, clicks integer, purchases integer, sales numeric);
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- GA4 daily purchases over [p_from, p_to] (inclusive).
create function sample_ga4_daily_report(p_from date, p_to date)
returns table (day date, purchases integer, revenue numeric)
language sql stable as $$
  select g.day, g.purchases, g.revenue from sample_ga4_daily g where g.day between p_from and p_to order by g.day;
$$;

-- GA4 hourly funnel by device over [p_from, p_to).
create function sample_ga4_hourly_report(p_from timestamptz, p_to timestamptz)
returns table (hour timestamptz, device text, sessions integer, add_to_carts integer, checkouts integer, purchases integer)
language sql stable as $$
  select h.hour, h.device, h.sessions, h.add_to_carts, h.checkouts, h.purchases from sample_ga4_hourly h
   where h.hour >= p_from and h.hour < p_to order by h.hour, h.device;
$$;

-- DTC orders created in [p_from, p_to) with their last visit's source and UTM parameters.
create function sample_order_attribution_list(p_from timestamptz, p_to timestamptz)
returns table (order_id text, created_at timestamptz, source_type text, utm_source text, utm_medium text, utm_campaign text)
language sql stable as $$
  select o.id, o.created_at, a.source_type, a.utm_source, a.utm_medium, a.utm_campaign
    from sample_orders o join sample_order_attribution a on a.order_id = o.id
   where o.created_at >= p_from and o.created_at < p_to order by o.created_at;
$$;

-- Every feed item with its status and issues.
create function sample_feed_items_list()
returns table (feed text, sku text, title text, gtin text, price numeric, availability text, status text, issues jsonb, ad_spend_7d numeric)
language sql stable as $$
  select f.feed, f.sku, f.title, f.gtin, f.price, f.availability, f.status, f.issues, f.ad_spend_7d from sample_feed_items f order by f.feed, f.sku;
$$;

create function sample_google_campaigns_list()
returns table (campaign_id text, name text, brand text, brand_campaign boolean, status text, daily_budget numeric, brand_terms jsonb, updated_at timestamptz)
language sql stable as $$
  select c.id, c.name, c.brand, c.brand_campaign, c.status, c.daily_budget, c.brand_terms, c.updated_at from sample_google_campaigns c order by c.id;
$$;

create function sample_google_campaign_metrics(p_from date, p_to date)
returns table (campaign_id text, day date, cost numeric, clicks integer, conversions numeric, conversions_value numeric, impression_share numeric,
               budget_lost_impression_share numeric, rank_lost_impression_share numeric, top_impression_share numeric)
language sql stable as $$
  select d.campaign_id, d.day, d.cost, d.clicks, d.conversions, d.conversions_value, d.impression_share, d.budget_lost_impression_share,
         d.rank_lost_impression_share, d.top_impression_share
    from sample_google_campaign_daily d where d.day between p_from and p_to order by d.campaign_id, d.day;
$$;

create function sample_google_search_terms_list()
returns table (campaign_id text, ad_group_id text, term text, cost numeric, clicks integer, conversions numeric, conversions_value numeric)
language sql stable as $$
  select t.campaign_id, t.ad_group_id, t.term, t.cost, t.clicks, t.conversions, t.conversions_value from sample_google_search_terms t order by t.campaign_id, t.term;
$$;

create function sample_google_keywords_list()
returns table (campaign_id text, text text, match_type text, negative boolean, idempotency_key text, created_at timestamptz)
language sql stable as $$
  select k.campaign_id, k.text, k.match_type, k.negative, k.idempotency_key, k.created_at from sample_google_keywords k order by k.id;
$$;

-- Add negative or positive keywords, each once per (key, campaign, text): a repeat adds nothing.
-- p_items: [{campaign_id, text, match_type, negative}]. Returns how many rows were new.
create function sample_google_apply_keywords(p_idempotency_key text, p_items jsonb)
returns table (applied integer, skipped integer)
language plpgsql as $$
declare
  v_item record;
  v_applied integer := 0;
  v_skipped integer := 0;
  v_count integer;
begin
  for v_item in select * from jsonb_to_recordset(p_items) as x(campaign_id text, text text, match_type text, negative boolean) loop
    if not exists (select 1 from sample_google_campaigns c where c.id = v_item.campaign_id) then
      raise exception 'sample Google Ads campaign % does not exist', v_item.campaign_id using errcode = 'no_data_found';
    end if;
    insert into sample_search_ad_actions (idempotency_key, platform, action, request)
    values (p_idempotency_key || ':' || v_item.campaign_id || ':' || v_item.text || ':' || v_item.negative, 'google_ads',
            case when v_item.negative then 'negative_keyword' else 'keyword' end, to_jsonb(v_item))
    on conflict (idempotency_key) do nothing;
    get diagnostics v_count = row_count;
    if v_count > 0 then
      insert into sample_google_keywords (campaign_id, text, match_type, negative, idempotency_key)
      values (v_item.campaign_id, lower(v_item.text), v_item.match_type, v_item.negative, p_idempotency_key)
      on conflict (campaign_id, text, match_type, negative) do nothing;
      get diagnostics v_count = row_count;
    end if;
    if v_count > 0 then v_applied := v_applied + 1; else v_skipped := v_skipped + 1; end if;
  end loop;
  return query select v_applied, v_skipped;
end;
$$;

-- Set a campaign's daily budget (Google Ads campaign_budget / Amazon SP campaign budget) once per key.
create function sample_search_set_budget(p_idempotency_key text, p_platform text, p_campaign_id text, p_daily_budget numeric)
returns table (campaign_id text, daily_budget numeric, changed boolean)
language plpgsql as $$
declare
  v_count integer;
begin
  if p_daily_budget is null or p_daily_budget <= 0 then
    raise exception 'a daily budget must be positive (got %)', p_daily_budget using errcode = 'check_violation';
  end if;
  if p_platform = 'google_ads' and not exists (select 1 from sample_google_campaigns c where c.id = p_campaign_id)
     or p_platform = 'amazon_ads' and not exists (select 1 from sample_amazon_ads_campaigns c where c.id = p_campaign_id)
     or p_platform not in ('google_ads', 'amazon_ads') then
    raise exception 'sample % campaign % does not exist', p_platform, p_campaign_id using errcode = 'no_data_found';
  end if;
  insert into sample_search_ad_actions (idempotency_key, platform, action, request)
  values (p_idempotency_key, p_platform, 'set_budget', jsonb_build_object('campaign_id', p_campaign_id, 'daily_budget', p_daily_budget))
  on conflict (idempotency_key) do nothing;
  get diagnostics v_count = row_count;
  if v_count > 0 then
    update sample_google_campaigns c set daily_budget = p_daily_budget, updated_at = now() where p_platform = 'google_ads' and c.id = p_campaign_id;
    update sample_amazon_ads_campaigns c set daily_budget = p_daily_budget where p_platform = 'amazon_ads' and c.id = p_campaign_id;
  end if;
  if p_platform = 'google_ads' then
    return query select c.id, c.daily_budget, v_count > 0 from sample_google_campaigns c where c.id = p_campaign_id;
  else
    return query select c.id, c.daily_budget, v_count > 0 from sample_amazon_ads_campaigns c where c.id = p_campaign_id;
  end if;
end;
$$;

create function sample_amazon_ads_keywords_list()
returns table (keyword_id text, campaign_id text, ad_group_id text, keyword_text text, match_type text, bid numeric, state text,
               cost numeric, clicks integer, purchases integer, sales numeric, updated_at timestamptz)
language sql stable as $$
  select k.keyword_id, k.campaign_id, k.ad_group_id, k.keyword_text, k.match_type, k.bid, k.state, k.cost, k.clicks, k.purchases, k.sales, k.updated_at
    from sample_amazon_ads_keywords k order by k.keyword_id;
$$;

create function sample_amazon_ads_search_terms_list()
returns table (campaign_id text, ad_group_id text, keyword_id text, search_term text, cost numeric, clicks integer, purchases integer, sales numeric)
language sql stable as $$
  select t.campaign_id, t.ad_group_id, t.keyword_id, t.search_term, t.cost, t.clicks, t.purchases, t.sales from sample_amazon_ads_search_terms t order by t.campaign_id, t.search_term;
$$;

create function sample_amazon_ads_negatives_list()
returns table (campaign_id text, ad_group_id text, keyword_text text, match_type text, idempotency_key text, created_at timestamptz)
language sql stable as $$
  select n.campaign_id, n.ad_group_id, n.keyword_text, n.match_type, n.idempotency_key, n.created_at from sample_amazon_ads_negatives n order by n.id;
$$;

-- Apply SP bid updates ([{keyword_id, bid}]) and negative exact keywords ([{campaign_id, ad_group_id, keyword_text}]),
-- each once per (key, item): a repeat changes nothing.
create function sample_amazon_ads_apply_changes(p_idempotency_key text, p_bids jsonb, p_negatives jsonb)
returns table (bids_applied integer, negatives_applied integer, skipped integer)
language plpgsql as $$
declare
  v_item record;
  v_bids integer := 0;
  v_negatives integer := 0;
  v_skipped integer := 0;
  v_count integer;
begin
  for v_item in select * from jsonb_to_recordset(coalesce(p_bids, '[]')) as x(keyword_id text, bid numeric) loop
    if not exists (select 1 from sample_amazon_ads_keywords k where k.keyword_id = v_item.keyword_id) then
      raise exception 'sample Amazon Ads keyword % does not exist', v_item.keyword_id using errcode = 'no_data_found';
    end if;
    if v_item.bid is null or v_item.bid < 0.02 then
      raise exception 'an SP keyword bid must be at least 0.02 (got % for %)', v_item.bid, v_item.keyword_id using errcode = 'check_violation';
    end if;
    insert into sample_search_ad_actions (idempotency_key, platform, action, request)
    values (p_idempotency_key || ':bid:' || v_item.keyword_id, 'amazon_ads', 'keyword_bid', to_jsonb(v_item))
    on conflict (idempotency_key) do nothing;
    get diagnostics v_count = row_count;
    if v_count > 0 then
      update sample_amazon_ads_keywords k set bid = v_item.bid, updated_at = now() where k.keyword_id = v_item.keyword_id;
      v_bids := v_bids + 1;
    else
      v_skipped := v_skipped + 1;
    end if;
  end loop;
  for v_item in select * from jsonb_to_recordset(coalesce(p_negatives, '[]')) as x(campaign_id text, ad_group_id text, keyword_text text) loop
    insert into sample_search_ad_actions (idempotency_key, platform, action, request)
    values (p_idempotency_key || ':negative:' || v_item.campaign_id || ':' || v_item.keyword_text, 'amazon_ads', 'negative_keyword', to_jsonb(v_item))
    on conflict (idempotency_key) do nothing;
    get diagnostics v_count = row_count;
    if v_count > 0 then
      insert into sample_amazon_ads_negatives (campaign_id, ad_group_id, keyword_text, match_type, idempotency_key)
      values (v_item.campaign_id, v_item.ad_group_id, lower(v_item.keyword_text), 'NEGATIVE_EXACT', p_idempotency_key)
      on conflict do nothing;
      v_negatives := v_negatives + 1;
    else
      v_skipped := v_skipped + 1;
    end if;
  end loop;
  return query select v_bids, v_negatives, v_skipped;
end;
$$;
