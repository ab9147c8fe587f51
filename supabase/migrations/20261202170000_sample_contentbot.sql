-- contentbot on the sample company: Amazon listing issues, featured-offer observations, the
-- approved master copy (content_master) and Amazon's catalog snapshot, review topics and store
-- reviews, Search Console rows, Core Web Vitals field data, the store's pages, and product copy
-- with metafields. The planted cases come from sample-data/contentbot.json; the series (48 h of
-- offers, 56 days of Search Console, 28 days of CWV) are generated here relative to p_now so a
-- load is always "today". Writes an approval makes (a listing patch, an SEO or copy update) are
-- keyed by the approval's idempotency key, so each happens once. No foreign keys to the base
-- tables: the base loader truncates those without cascade.

-- Amazon ---------------------------------------------------------------------------------------

alter table sample_amazon_listings
  add column units_30d integer not null default 0,
  add column product_type text not null default 'PRODUCT';

create table sample_amazon_listing_issues (
  sku text not null,
  code text not null,
  message text not null,
  severity text not null check (severity in ('ERROR', 'WARNING', 'INFO')),
  enforcements text[] not null default '{}',
  attributes text[] not null default '{}',
  primary key (sku, code)
);

-- Our approved copy per ASIN: what a detail page should say. Bot-owned (catalogue §10.6), not a
-- vendor table: a live fleet keeps it too, filled when a copy change is approved.
create table content_master (
  sku text primary key,
  asin text not null unique,
  title text not null,
  bullets jsonb not null,
  brand text not null,
  main_image text not null,
  price numeric(10, 2) not null,
  map_price numeric(10, 2) not null,
  approved_at timestamptz not null default now(),
  approved_by text not null default 'sample'
);

-- The detail page as Amazon shows it (Catalog Items): usually our master, sometimes overridden.
create table sample_amazon_catalog (
  asin text primary key,
  sku text not null,
  title text not null,
  bullets jsonb not null,
  brand text not null,
  main_image text,
  -- Who supplied each displayed value when it is not us ('amazon', another seller), by field.
  contributors jsonb not null default '{}'::jsonb
);

-- Competitive summaries, hourly: the featured offer (Buy Box) and reference prices per ASIN.
create table sample_amazon_offers (
  asin text not null,
  observed_at timestamptz not null,
  featured_seller_id text,
  featured_price numeric(10, 2),
  our_price numeric(10, 2) not null,
  competitive_price numeric(10, 2),
  lowest_price numeric(10, 2),
  primary key (asin, observed_at)
);

-- The featured-offer checks amazon-offer-watch made (brain-owned, live or sample): "lost" needs
-- two consecutive checks, so each run records what it saw.
-- No unique key on (asin, checked_at): history is moved in time as a whole (bench day ages the
-- brain a day), which a unique key would trip over row by row; the recording function replaces a
-- repeated check itself.
create table amazon_featured_offer_checks (
  id bigint generated always as identity primary key,
  asin text not null,
  checked_at timestamptz not null,
  featured_seller_id text,
  featured_price numeric(10, 2),
  ours boolean not null
);
create index amazon_featured_offer_checks_asin on amazon_featured_offer_checks (asin, checked_at);

-- Site vitals checks (core-web-vitals): one row per URL and day, live or sample, so a
-- regression is measured against the page's own recent history.
-- No unique key on (day, url), for the same reason as amazon_featured_offer_checks.
create table site_vitals_checks (
  id bigint generated always as identity primary key,
  day date not null,
  url text not null,
  template text not null,
  lcp_ms integer,
  inp_ms integer,
  cls numeric(5, 3),
  checked_at timestamptz not null default now()
);
create index site_vitals_checks_url on site_vitals_checks (url, day);

-- Listing patches an approval applied (patchListingsItem), once per idempotency key.
create table sample_amazon_listing_patches (
  idempotency_key text primary key,
  sku text not null,
  patches jsonb not null,
  applied_at timestamptz not null default now()
);

-- Amazon seller ids of our wholesale accounts (HubSpot company property amazon_seller_id).
create table sample_wholesale_sellers (
  seller_id text primary key,
  account_id text not null
);

-- Customer Feedback: review topics per ASIN for this month and the prior one.
create table sample_amazon_review_topics (
  asin text not null,
  sku text not null,
  topic text not null,
  sentiment text not null check (sentiment in ('positive', 'negative')),
  period text not null check (period in ('current', 'prior')),
  mentions integer not null,
  share numeric(5, 2) not null,
  star_impact numeric(4, 2) not null,
  primary key (asin, topic, period)
);

create table sample_amazon_ratings (
  asin text primary key,
  sku text not null,
  rating_now numeric(3, 2) not null,
  rating_30d_ago numeric(3, 2) not null
);

-- Store reviews (Judge.me-shaped): customer text, untrusted.
create table sample_store_reviews (
  id bigint generated always as identity primary key,
  sku text not null,
  rating integer not null check (rating between 1 and 5),
  title text not null,
  body text not null,
  created_at timestamptz not null
);

-- Search, site, speed -----------------------------------------------------------------------

create table sample_gsc_daily (
  day date not null,
  page text not null,
  query text not null,
  clicks integer not null,
  impressions integer not null,
  position numeric(6, 2) not null,
  primary key (day, page, query)
);

create table sample_cwv (
  day date not null,
  url text not null,
  template text not null,
  lcp_ms integer not null,
  inp_ms integer not null,
  cls numeric(5, 3) not null,
  primary key (day, url)
);

create table sample_site_pages (
  url text primary key,
  template text not null,
  status integer not null default 200,
  redirect_to text,
  title text,
  meta_description text,
  h1 text,
  -- [{src, alt}]
  images jsonb not null default '[]'::jsonb,
  links text[] not null default '{}',
  json_ld jsonb,
  indexed boolean not null default true,
  canonical text,
  product_sku text,
  updated_at timestamptz not null
);

-- Shopify product copy: description, SEO fields, metafields (INCI, allergens, net weight …).
create table sample_product_content (
  sku text primary key,
  handle text not null unique,
  title text not null,
  description_html text not null,
  seo_title text,
  seo_description text,
  metafields jsonb not null default '{}'::jsonb,
  size text,
  updated_at timestamptz not null
);

-- Storefront writes an approval applied (productUpdate SEO / copy, image alt), once per key.
create table sample_content_updates (
  idempotency_key text primary key,
  kind text not null,
  target text not null,
  fields jsonb not null,
  applied_at timestamptz not null default now()
);

-- The loader --------------------------------------------------------------------------------

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_contentbot_jobs;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
begin
  select * into v_result from sample_company_load_before_contentbot_jobs(p_data, p_reset, p_now);
  if v_result.loaded then
    perform sample_contentbot_load(coalesce(p_data -> 'contentbot', '{}'::jsonb), p_now);
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- contentbot's part of the sample company (called inside the loader's transaction and lock).
create function sample_contentbot_load(p_data jsonb, p_now timestamptz)
returns void
language plpgsql as $$
declare
  v_today date := (p_now at time zone 'UTC')::date;
  v_hour timestamptz := date_trunc('hour', p_now);
  v_seller text := coalesce(p_data ->> 'seller_id', 'A2HPGOODS0CO1');
begin
  truncate sample_amazon_listing_issues, content_master, sample_amazon_catalog, sample_amazon_offers, amazon_featured_offer_checks,
    sample_amazon_listing_patches, sample_wholesale_sellers, sample_amazon_review_topics, sample_amazon_ratings, sample_store_reviews,
    sample_gsc_daily, sample_cwv, site_vitals_checks, sample_site_pages, sample_product_content, sample_content_updates, content_copy_queue;

  -- Listings: a steady 30-day sale count per ASIN (the suppressed one sold before it went dark).
  update sample_amazon_listings l
     set units_30d = 20 + abs(hashtext(l.sku)) % 180,
         product_type = case left(l.sku, 2) when 'KC' then 'GROCERY' when 'SM' then 'BEAUTY' when 'DW' then 'CANDLE' else 'COFFEE' end;

  insert into sample_amazon_listing_issues (sku, code, message, severity, enforcements, attributes)
  select i.sku, i.code, i.message, i.severity, coalesce(i.enforcements, '{}'), coalesce(i.attributes, '{}')
    from jsonb_to_recordset(p_data -> 'listing_issues') as i(sku text, code text, message text, severity text, enforcements text[], attributes text[]);

  insert into sample_wholesale_sellers (seller_id, account_id)
  select w.seller_id, w.account_id from jsonb_to_recordset(p_data -> 'wholesale_sellers') as w(seller_id text, account_id text);

  -- The master copy: the listing's title (or the planted override), five bullets, the brand and
  -- main image; MAP 8% under the Amazon price unless the data sets it.
  insert into content_master (sku, asin, title, bullets, brand, main_image, price, map_price, approved_at)
  select l.sku, l.asin,
         coalesce((select o ->> 'title' from jsonb_array_elements(p_data -> 'master_overrides') o where o ->> 'sku' = l.sku), l.title),
         jsonb_build_array(
           p.name || ' made in small batches by ' || p.brand_name,
           'Crafted in Portland, Oregon with ingredients we can name',
           case left(l.sku, 2) when 'KC' then 'Whole grains and real fruit, no artificial flavours'
                               when 'SM' then 'Gentle on skin, free of parabens and sulfates'
                               when 'DW' then 'Clean-burning soy wax with a cotton wick'
                               else 'Roasted to order, roast date printed on every bag' end,
           'Recyclable packaging, shipped plastic-free',
           'Backed by our 30-day happiness guarantee'),
         p.brand_name,
         'https://m.media-amazon.com/images/I/' || replace(l.sku, '-', '') || '-main.jpg',
         l.price,
         coalesce((p_data #>> array['map_prices', l.sku])::numeric, round(l.price * 0.92, 2)),
         p_now - interval '30 days'
    from sample_amazon_listings l
    join sample_products p on p.sku = l.sku;

  -- The detail page shows the title Amazon has (the master's planted title breaks the rules on our side only).
  insert into sample_amazon_catalog (asin, sku, title, bullets, brand, main_image)
  select m.asin, m.sku, (select l.title from sample_amazon_listings l where l.sku = m.sku), m.bullets, m.brand,
         -- The suppressed listing has lost its main image.
         case when exists (select 1 from sample_amazon_listing_issues i where i.sku = m.sku and 'main_product_image_locator' = any (i.attributes)) then null
              else m.main_image end
    from content_master m;
  update sample_amazon_catalog c
     set bullets = jsonb_set(c.bullets, array[(d ->> 'index')], to_jsonb(d ->> 'value')),
         contributors = c.contributors || jsonb_build_object('bullets', d ->> 'contributor')
    from jsonb_array_elements(p_data -> 'catalog_drifts') d
   where d ->> 'field' = 'bullets' and d ->> 'sku' = c.sku;
  update sample_amazon_catalog c
     set main_image = d ->> 'value',
         contributors = c.contributors || jsonb_build_object('main_image', d ->> 'contributor')
    from jsonb_array_elements(p_data -> 'catalog_drifts') d
   where d ->> 'field' = 'main_image' and d ->> 'sku' = c.sku;

  -- 48 hourly competitive summaries per ASIN: ours at our price, except the planted recent hours.
  insert into sample_amazon_offers (asin, observed_at, featured_seller_id, featured_price, our_price, competitive_price, lowest_price)
  select l.asin, v_hour - make_interval(hours => h),
         case when o.sku is not null and h < (o.hours)::integer then o.featured_seller_id
              when l.status <> 'Active' then null
              else v_seller end,
         case when o.sku is not null and h < (o.hours)::integer then o.featured_price
              when l.status <> 'Active' then null
              else l.price end,
         l.price,
         round(l.price * 1.03, 2),
         case when o.sku is not null and h < (o.hours)::integer and o.featured_price is not null then o.featured_price else l.price end
    from sample_amazon_listings l
    cross join generate_series(0, 47) h
    left join jsonb_to_recordset(p_data -> 'offer_overrides') as o(sku text, featured_seller_id text, featured_price numeric, hours integer)
      on o.sku = l.sku;
  -- The sample company has been watched for the last two days: its earlier checks (not this hour's).
  insert into amazon_featured_offer_checks (asin, checked_at, featured_seller_id, featured_price, ours)
  select o.asin, o.observed_at, o.featured_seller_id, o.featured_price, coalesce(o.featured_seller_id = v_seller, false)
    from sample_amazon_offers o
   where o.observed_at < v_hour and o.observed_at >= v_hour - interval '6 hours';
  update sample_amazon_listings l
     set buy_box = exists (select 1 from sample_amazon_offers o where o.asin = l.asin and o.observed_at = v_hour and o.featured_seller_id = v_seller);

  -- Review topics: the same shares both months, except the planted rising topic.
  insert into sample_amazon_review_topics (asin, sku, topic, sentiment, period, mentions, share, star_impact)
  select l.asin, l.sku, t.topic, t.sentiment, per.period, greatest(1, round(l.reviews * t.share / 100.0 / 12))::integer, t.share, t.impact
    from sample_amazon_listings l
    cross join (values ('quality', 'positive', 31.0, 0.22), ('value for money', 'positive', 19.0, 0.12),
                       ('packaging', 'negative', 6.0, -0.08), ('arrived damaged', 'negative', 3.0, -0.11)) as t(topic, sentiment, share, impact)
    cross join (values ('current'), ('prior')) as per(period);
  insert into sample_amazon_review_topics (asin, sku, topic, sentiment, period, mentions, share, star_impact)
  select l.asin, l.sku, o.topic, o.sentiment, per.period,
         greatest(1, round(l.reviews * (case per.period when 'current' then o.share_now else o.share_prior end) / 100.0 / 12))::integer,
         case per.period when 'current' then o.share_now else o.share_prior end, o.star_impact
    from jsonb_to_recordset(p_data -> 'review_topic_overrides') as o(sku text, topic text, sentiment text, share_now numeric, share_prior numeric, star_impact numeric)
    join sample_amazon_listings l on l.sku = o.sku
    cross join (values ('current'), ('prior')) as per(period);
  insert into sample_amazon_ratings (asin, sku, rating_now, rating_30d_ago)
  select l.asin, l.sku, l.rating, l.rating from sample_amazon_listings l;

  insert into sample_store_reviews (sku, rating, title, body, created_at)
  select r.sku, r.rating, r.title, r.body, p_now - make_interval(days => r.days_ago)
    from jsonb_to_recordset(p_data -> 'store_reviews') as r(sku text, rating integer, title text, body text, days_ago integer);

  -- The store's 120 pages: home and 3 pages, 16 collections, 40 products, 60 journal posts.
  insert into sample_site_pages (url, template, title, meta_description, h1, images, links, json_ld, canonical, product_sku, updated_at)
  select '/products/' || lower(p.sku), 'product',
         p.name || ' | Harbor & Pine',
         'Shop ' || p.name || ' from ' || p.brand_name || ', made in small batches in Portland and shipped plastic-free.',
         p.name,
         jsonb_build_array(jsonb_build_object('src', '/cdn/' || lower(p.sku) || '-1.jpg', 'alt', p.name),
                           jsonb_build_object('src', '/cdn/' || lower(p.sku) || '-2.jpg', 'alt', p.name || ' in use')),
         array['/', '/collections/' || case p.brand when 'KC' then 'kettle-and-crumb' when 'SM' then 'saltmarsh-apothecary'
                                                     when 'DW' then 'driftwood-candle-co' else 'trailhead-coffee-roasters' end],
         jsonb_build_object('@context', 'https://schema.org', '@type', 'Product', 'name', p.name, 'sku', p.sku,
                            'offers', jsonb_build_object('@type', 'Offer', 'price', p.price::text, 'priceCurrency', 'USD',
                                                         'availability', 'https://schema.org/InStock')),
         '/products/' || lower(p.sku), p.sku, p_now - make_interval(days => abs(hashtext(p.sku)) % 40)
    from sample_products p;
  insert into sample_site_pages (url, template, title, meta_description, h1, links, canonical, updated_at)
  select '/collections/' || c.handle, 'collection', c.label || ' | Harbor & Pine',
         'Browse ' || lower(c.label) || ' from Harbor & Pine Goods Co.: four small-batch brands made in Portland, Oregon.',
         c.label, array['/'], '/collections/' || c.handle, p_now - interval '20 days'
    from (values ('granola', 'Granola'), ('snacks', 'Snacks'), ('skincare', 'Skincare'), ('body-care', 'Body Care'),
                 ('soy-candles', 'Soy Candles'), ('diffusers', 'Diffusers'), ('coffee', 'Coffee'), ('whole-bean', 'Whole Bean Coffee'),
                 ('gift-sets', 'Gift Sets'), ('kettle-and-crumb', 'Kettle & Crumb'), ('saltmarsh-apothecary', 'Saltmarsh Apothecary'),
                 ('driftwood-candle-co', 'Driftwood Candle Co.'), ('trailhead-coffee-roasters', 'Trailhead Coffee Roasters'),
                 ('new-arrivals', 'New Arrivals'), ('best-sellers', 'Best Sellers'), ('sale', 'Sale')) as c(handle, label);
  insert into sample_site_pages (url, template, title, meta_description, h1, links, canonical, updated_at)
  select s.url, s.template, s.title, s.description, s.h1, array['/collections/best-sellers'], s.url, p_now - interval '60 days'
    from (values ('/', 'home', 'Harbor & Pine Goods Co. | Small-Batch Goods', 'Granola, skincare, soy candles and coffee from four small-batch brands in Portland, Oregon.', 'Small-batch goods from Portland'),
                 ('/pages/about', 'page', 'About Us | Harbor & Pine', 'Who we are: four brands, one workshop in Portland, and the makers behind them.', 'About Harbor & Pine'),
                 ('/pages/contact', 'page', 'Contact | Harbor & Pine', 'Questions about an order, wholesale or press? Reach the Harbor & Pine team here.', 'Contact us'),
                 ('/pages/faq', 'page', 'FAQ | Harbor & Pine', 'Shipping, returns, ingredients and care: answers to the questions we hear most.', 'Frequently asked questions'))
         as s(url, template, title, description, h1);
  insert into sample_site_pages (url, template, title, meta_description, h1, links, canonical, updated_at)
  select '/blogs/journal/' || b.slug, 'article', b.label || ' | Harbor & Pine Journal',
         'From the Harbor & Pine journal: ' || lower(b.label) || ', with notes from our makers in Portland.',
         b.label, array['/', '/collections/best-sellers'], '/blogs/journal/' || b.slug, p_now - make_interval(days => b.n)
    from (select 'cold-brew-at-home' as slug, 'Cold Brew at Home' as label, 1 as n
          union all select 'holiday-gift-guide', 'Holiday Gift Guide', 2
          union all select 'beard-care-basics', 'Beard Care Basics', 3
          union all select 'journal-note-' || g, 'Journal Note ' || g, 3 + g from generate_series(1, 57) g) b;

  -- The planted site defects.
  update sample_site_pages s set meta_description = null where s.url in (select jsonb_array_elements_text(p_data #> '{site,missing_meta}'));
  update sample_site_pages s set title = d.title
    from (select x ->> 'title' as title, jsonb_array_elements_text(x -> 'urls') as url from jsonb_array_elements(p_data #> '{site,duplicate_titles}') x) d
   where s.url = d.url;
  update sample_site_pages s set links = s.links || (p_data #>> '{site,broken_link,to}') where s.url = p_data #>> '{site,broken_link,from}';
  update sample_site_pages s set images = jsonb_set(s.images, '{0,alt}', '""'::jsonb)
   where s.url in (select jsonb_array_elements_text(p_data #> '{site,images_without_alt}'));
  update sample_site_pages s set indexed = false where s.url in (select jsonb_array_elements_text(p_data #> '{site,not_indexed}'));

  -- Search Console: 60 pages × 3 queries × 56 days up to 3 days ago (its reporting lag). Steady
  -- clicks and positions, except the planted dropping page and one striking-distance query.
  insert into sample_gsc_daily (day, page, query, clicks, impressions, position)
  select d.day, pg.url, pg.url_query || q.suffix,
         greatest(0, round(pg.base * q.weight
                     * case when pg.url = p_data #>> '{gsc,dropping_page}' and d.day > v_today - 10 then 1 - (p_data #>> '{gsc,drop_share}')::numeric else 1 end
                     * (1 + ((abs(hashtext(pg.url || d.day::text || q.suffix)) % 7) - 3) / 100.0)))::integer,
         round(pg.base * q.weight * 14)::integer,
         round(2.0 + q.rank + (abs(hashtext(pg.url)) % 20) / 10.0
               + case when pg.url = p_data #>> '{gsc,dropping_page}' and d.day > v_today - 10 then (p_data #>> '{gsc,position_worse}')::numeric else 0 end, 2)
    from (select s.url, replace(replace(replace(s.url, '/products/', ''), '/collections/', ''), '-', ' ') as url_query,
                 case when s.url = p_data #>> '{gsc,dropping_page}' then 40 when s.template = 'home' then 60 else 4 + abs(hashtext(s.url)) % 16 end as base
            from sample_site_pages s
           where s.template in ('home', 'product', 'collection', 'page') order by s.url limit 60) pg
    cross join (values ('', 0.6, 0.0), (' buy', 0.25, 1.0), (' review', 0.15, 2.0)) as q(suffix, weight, rank)
    cross join (select (v_today - 2 - g) as day from generate_series(1, 56) g) d;
  insert into sample_gsc_daily (day, page, query, clicks, impressions, position)
  select d.day, sd.page, sd.query, round(sd.impressions_per_day * sd.ctr)::integer, sd.impressions_per_day, sd.position
    from jsonb_to_recordset(p_data #> '{gsc,striking_distance}') as sd(page text, query text, position numeric, impressions_per_day integer, ctr numeric)
    cross join (select (v_today - 2 - g) as day from generate_series(1, 56) g) d;

  -- Core Web Vitals field data (p75, mobile): 20 key URLs × 28 days, all good but the planted regression.
  insert into sample_cwv (day, url, template, lcp_ms, inp_ms, cls)
  select d.day, u.url, u.template,
         case when u.url = p_data #>> '{cwv,regressed_url}' and d.day > v_today - ((p_data #>> '{cwv,regressed_days}')::integer + 1)
              then (p_data #>> '{cwv,lcp_after_ms}')::integer
              when u.url = p_data #>> '{cwv,regressed_url}' then (p_data #>> '{cwv,lcp_before_ms}')::integer
              else 1700 + abs(hashtext(u.url)) % 500 + abs(hashtext(u.url || d.day::text)) % 60 end,
         110 + abs(hashtext(u.url || 'inp')) % 70,
         round((2 + abs(hashtext(u.url || 'cls')) % 6) / 100.0, 3)
    from (select s.url, s.template from sample_site_pages s
           where s.url = '/' or s.url in ('/collections/kettle-and-crumb', '/collections/saltmarsh-apothecary', '/collections/driftwood-candle-co',
                                          '/collections/trailhead-coffee-roasters')
              or s.url in (select '/products/' || lower(p.sku) from sample_products p where right(p.sku, 3) in ('101', '102', '103', '104'))
           order by s.url limit 20) u
    cross join (select (v_today - g) as day from generate_series(1, 28) g) d;
  -- The store has been measured for four weeks: every day but the newest is already a check.
  insert into site_vitals_checks (day, url, template, lcp_ms, inp_ms, cls, checked_at)
  select c.day, c.url, c.template, c.lcp_ms, c.inp_ms, c.cls, p_now from sample_cwv c where c.day < v_today - 1;

  -- Product copy: a description of about 170 words, SEO fields, the category's regulated facts.
  insert into sample_product_content (sku, handle, title, description_html, seo_title, seo_description, metafields, size, updated_at)
  select p.sku, lower(p.sku), p.name,
         '<p>' || p.name || ' from ' || p.brand_name || ' is made in small batches in our Portland workshop. '
           || repeat('Every batch is made by hand, checked by the maker who made it, and packed the same week so it reaches you fresh. '
                     || 'We choose ingredients we can name and source them from growers and suppliers we know by first name. ', 6)
           || 'It ships plastic-free and is backed by our 30-day happiness guarantee.</p>',
         p.name || ' | Harbor & Pine',
         'Shop ' || p.name || ' from ' || p.brand_name || ', made in small batches in Portland and shipped plastic-free.',
         case p.brand
           when 'KC' then jsonb_build_object('allergens', 'Contains tree nuts, oats. Made in a facility that also processes peanuts.', 'net_weight', coalesce(substring(p.name from '(\d+oz)'), '12oz'))
           when 'SM' then jsonb_build_object('inci', 'Aqua, Glycerin, Laminaria Digitata Extract, Cocamidopropyl Betaine, Citric Acid, Potassium Sorbate')
           when 'DW' then jsonb_build_object('burn_time', '45 hours', 'warnings', 'Burn within sight. Keep away from things that catch fire, children and pets. Trim wick to 1/4 inch.')
           else jsonb_build_object('roast', 'medium', 'net_weight', coalesce(substring(p.name from '(\d+oz)'), '12oz')) end,
         substring(p.name from '(\d+(?:\.\d+)?\s?(?:oz|lb|ct))'),
         p_now - make_interval(days => 10 + abs(hashtext(p.sku)) % 50)
    from sample_products p;
  update sample_product_content c set description_html = '<p>' || c.title || '. Small batch, made in Portland.</p>'
   where c.sku in (select jsonb_array_elements_text(p_data #> '{copy,thin}'));
  update sample_product_content c set metafields = c.metafields - 'inci'
   where c.sku in (select jsonb_array_elements_text(p_data #> '{copy,missing_inci}'));
  update sample_product_content c set size = p_data #>> '{copy,size_mismatch,shopify_size}',
         description_html = replace(c.description_html, p_data #>> '{copy,size_mismatch,amazon_size}', p_data #>> '{copy,size_mismatch,shopify_size}'),
         title = replace(c.title, p_data #>> '{copy,size_mismatch,amazon_size}', p_data #>> '{copy,size_mismatch,shopify_size}')
   where c.sku = p_data #>> '{copy,size_mismatch,sku}';
  -- Thin copy on Amazon too: three bullets instead of five.
  update content_master m set bullets = jsonb_build_array(m.bullets -> 0, m.bullets -> 1, m.bullets -> 2)
   where m.sku in (select jsonb_array_elements_text(p_data #> '{copy,thin}'));
  update sample_amazon_catalog c set bullets = m.bullets from content_master m
   where m.sku = c.sku and c.sku in (select jsonb_array_elements_text(p_data #> '{copy,thin}'));
end;
$$;
