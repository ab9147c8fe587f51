-- contentbot's SQL: the sample adapters' reads and once-per-key writes, and the brain-owned
-- checks its watches keep (featured offers, site vitals) so "two consecutive checks" and "vs its
-- 7-day median" mean the same on the live and the sample company.

-- Amazon (sample adapter) ---------------------------------------------------------------------

create function sample_amazon_listing_status()
returns table (sku text, asin text, product_type text, title text, status text, price numeric, units_30d integer, issues jsonb)
language sql stable as $$
  select l.sku, l.asin, l.product_type, l.title, l.status, l.price, l.units_30d,
         coalesce((select jsonb_agg(jsonb_build_object('code', i.code, 'message', i.message, 'severity', i.severity,
                                                       'enforcements', to_jsonb(i.enforcements), 'attributes', to_jsonb(i.attributes)) order by i.code)
                     from sample_amazon_listing_issues i where i.sku = l.sku), '[]'::jsonb)
    from sample_amazon_listings l order by l.sku;
$$;

create function sample_amazon_catalog_pages(p_asins text[])
returns table (asin text, sku text, title text, bullets jsonb, brand text, main_image text, contributors jsonb)
language sql stable as $$
  select c.asin, c.sku, c.title, c.bullets, c.brand, c.main_image, c.contributors from sample_amazon_catalog c
   where c.asin = any (p_asins) order by c.sku;
$$;

-- The latest competitive summary per ASIN at p_at (the sample's hourly observations).
create function sample_amazon_competitive_summaries(p_asins text[], p_at timestamptz default now())
returns table (asin text, featured_seller_id text, featured_price numeric, competitive_price numeric, lowest_price numeric, observed_at timestamptz)
language sql stable as $$
  select distinct on (o.asin) o.asin, o.featured_seller_id, o.featured_price, o.competitive_price, o.lowest_price, o.observed_at
    from sample_amazon_offers o
   where o.asin = any (p_asins) and o.observed_at <= p_at
   order by o.asin, o.observed_at desc;
$$;

-- Apply a listing patch once per key: titles, bullets, brand and main image change the detail
-- page; a patched attribute clears the issues about it, and a listing left with no suppressing
-- issue is active again. A repeat returns the first submission with applied = false.
create function sample_amazon_patch_listing(p_idempotency_key text, p_sku text, p_patches jsonb)
returns table (submission_id text, applied boolean, status text)
language plpgsql as $$
declare
  v_patch jsonb;
  v_attribute text;
  v_value jsonb;
begin
  if not exists (select 1 from sample_amazon_listings l where l.sku = p_sku) then
    raise exception 'sample Amazon listing % does not exist', p_sku using errcode = 'no_data_found';
  end if;
  insert into sample_amazon_listing_patches (idempotency_key, sku, patches) values (p_idempotency_key, p_sku, p_patches)
  on conflict (idempotency_key) do nothing;
  if not found then
    return query select 'sample-' || md5(p_idempotency_key), false, 'ACCEPTED'::text;
    return;
  end if;
  for v_patch in select * from jsonb_array_elements(p_patches) loop
    v_attribute := regexp_replace(v_patch ->> 'path', '^/attributes/', '');
    v_value := v_patch -> 'value';
    if v_attribute = 'item_name' then
      update sample_amazon_listings l set title = v_value #>> '{0,value}' where l.sku = p_sku;
      update sample_amazon_catalog c set title = v_value #>> '{0,value}', contributors = c.contributors - 'title' where c.sku = p_sku;
    elsif v_attribute = 'bullet_point' then
      update sample_amazon_catalog c set bullets = (select jsonb_agg(b -> 'value') from jsonb_array_elements(v_value) b),
             contributors = c.contributors - 'bullets' where c.sku = p_sku;
    elsif v_attribute = 'brand' then
      update sample_amazon_catalog c set brand = v_value #>> '{0,value}', contributors = c.contributors - 'brand' where c.sku = p_sku;
    elsif v_attribute = 'main_product_image_locator' then
      update sample_amazon_catalog c set main_image = v_value #>> '{0,media_location}', contributors = c.contributors - 'main_image' where c.sku = p_sku;
    elsif v_attribute = 'purchasable_offer' then
      update sample_amazon_listings l set price = (v_value #>> '{0,our_price,0,schedule,0,value_with_tax}')::numeric where l.sku = p_sku;
    end if;
    delete from sample_amazon_listing_issues i where i.sku = p_sku and v_attribute = any (i.attributes);
  end loop;
  update sample_amazon_listings l set status = 'Active'
   where l.sku = p_sku and l.status <> 'Active'
     and not exists (select 1 from sample_amazon_listing_issues i where i.sku = p_sku and 'LISTING_SUPPRESSED' = any (i.enforcements));
  -- Back on sale: from now on our offer is the featured one again.
  if found then
    insert into sample_amazon_offers (asin, observed_at, featured_seller_id, featured_price, our_price, competitive_price, lowest_price)
    select l.asin, now(), 'A2HPGOODS0CO1', l.price, l.price, round(l.price * 1.03, 2), l.price from sample_amazon_listings l where l.sku = p_sku
    on conflict do nothing;
  end if;
  return query select 'sample-' || md5(p_idempotency_key), true, 'ACCEPTED'::text;
end;
$$;

create function sample_amazon_listing_patches()
returns table (idempotency_key text, sku text, patches jsonb, applied_at timestamptz)
language sql stable as $$
  select p.idempotency_key, p.sku, p.patches, p.applied_at from sample_amazon_listing_patches p order by p.applied_at, p.idempotency_key;
$$;

create function sample_amazon_review_topics(p_asin text)
returns table (topic text, sentiment text, period text, mentions integer, share numeric, star_impact numeric, rating_now numeric, rating_30d_ago numeric)
language sql stable as $$
  select t.topic, t.sentiment, t.period, t.mentions, t.share, t.star_impact, r.rating_now, r.rating_30d_ago
    from sample_amazon_review_topics t
    left join sample_amazon_ratings r on r.asin = t.asin
   where t.asin = p_asin order by t.period, t.share desc, t.topic;
$$;

-- Which sellers are our own wholesale accounts (HubSpot company property amazon_seller_id).
create function sample_wholesale_accounts_by_seller(p_seller_ids text[])
returns table (seller_id text, account_id text, account_name text)
language sql stable as $$
  select w.seller_id, w.account_id, a.name from sample_wholesale_sellers w join sample_accounts a on a.id = w.account_id
   where w.seller_id = any (p_seller_ids) order by w.seller_id;
$$;

-- The approved master copy (brain-owned).
create function content_master_list()
returns table (sku text, asin text, title text, bullets jsonb, brand text, main_image text, price numeric, map_price numeric, approved_at timestamptz)
language sql stable as $$
  select m.sku, m.asin, m.title, m.bullets, m.brand, m.main_image, m.price, m.map_price, m.approved_at from content_master m order by m.sku;
$$;

-- Record this run's featured-offer checks; answer, per ASIN, how many consecutive checks up to
-- now found the featured offer not ours (this one included). A repeated check time is one check.
create function record_featured_offer_checks(p_checks jsonb, p_checked_at timestamptz default now())
returns table (asin text, consecutive_not_ours integer, checks integer)
language plpgsql as $$
begin
  -- Two recorders at once (a manual run beside a tick) take turns, so a replaced check is never doubled.
  perform pg_advisory_xact_lock(hashtext('record_featured_offer_checks'));
  -- A check repeated at the same time (a retried run) replaces the first.
  delete from amazon_featured_offer_checks k
   where k.checked_at = p_checked_at and k.asin in (select c.asin from jsonb_to_recordset(p_checks) as c(asin text));
  insert into amazon_featured_offer_checks (asin, checked_at, featured_seller_id, featured_price, ours)
  select c.asin, p_checked_at, c.featured_seller_id, c.featured_price, c.ours
    from jsonb_to_recordset(p_checks) as c(asin text, featured_seller_id text, featured_price numeric, ours boolean);
  -- Keep two weeks: enough for any streak the job asks about.
  delete from amazon_featured_offer_checks k where k.checked_at < p_checked_at - interval '14 days';
  return query
    select c.asin,
           (select count(*)::integer from amazon_featured_offer_checks k
             where k.asin = c.asin and k.checked_at <= p_checked_at and not k.ours
               and k.checked_at > coalesce((select max(o.checked_at) from amazon_featured_offer_checks o
                                              where o.asin = c.asin and o.ours and o.checked_at <= p_checked_at), '-infinity')),
           (select count(*)::integer from amazon_featured_offer_checks k where k.asin = c.asin)
      from jsonb_to_recordset(p_checks) as c(asin text);
end;
$$;

-- Search, site, speed (sample adapter) ---------------------------------------------------------

-- Search Analytics rows for dimensions [page, query] over [p_start, p_end]; position weighted by impressions.
create function sample_gsc_query(p_start date, p_end date)
returns table (page text, query text, clicks integer, impressions integer, ctr numeric, avg_position numeric)
language sql stable as $$
  select g.page, g.query, sum(g.clicks)::integer, sum(g.impressions)::integer,
         round(sum(g.clicks)::numeric / nullif(sum(g.impressions), 0), 4),
         round(sum(g.position * g.impressions) / nullif(sum(g.impressions), 0), 2)
    from sample_gsc_daily g where g.day between p_start and p_end
   group by g.page, g.query order by g.page, g.query;
$$;

-- The newest day Search Console has data for (its ~3-day lag).
create function sample_gsc_last_day()
returns date
language sql stable as $$ select max(g.day) from sample_gsc_daily g; $$;

-- Field p75 per URL as PageSpeed Insights reports it today: the newest sample day.
create function sample_cwv_current()
returns table (url text, template text, lcp_ms integer, inp_ms integer, cls numeric, day date)
language sql stable as $$
  select distinct on (c.url) c.url, c.template, c.lcp_ms, c.inp_ms, c.cls, c.day from sample_cwv c order by c.url, c.day desc;
$$;

-- Record a day's vitals per URL; answer each URL's median LCP over the 7 checks before this day
-- and whether it passed then (LCP, INP, CLS all good on its newest earlier check).
create function record_site_vitals_checks(p_day date, p_checks jsonb, p_lcp_good_ms integer, p_inp_good_ms integer, p_cls_good numeric)
returns table (url text, median_lcp_7d numeric, previous_checks integer, was_good boolean)
language plpgsql as $$
begin
  perform pg_advisory_xact_lock(hashtext('record_site_vitals_checks'));
  -- A day checked again (a rerun, a catch-up) replaces that day's check.
  delete from site_vitals_checks v where v.day = p_day and v.url in (select c.url from jsonb_to_recordset(p_checks) as c(url text));
  insert into site_vitals_checks (day, url, template, lcp_ms, inp_ms, cls)
  select p_day, c.url, c.template, c.lcp_ms, c.inp_ms, c.cls
    from jsonb_to_recordset(p_checks) as c(url text, template text, lcp_ms integer, inp_ms integer, cls numeric);
  delete from site_vitals_checks v where v.day < p_day - 90;
  return query
    select c.url,
           (select percentile_cont(0.5) within group (order by w.lcp_ms)::numeric
              from (select v.lcp_ms from site_vitals_checks v where v.url = c.url and v.day < p_day and v.lcp_ms is not null
                     order by v.day desc limit 7) w),
           (select count(*)::integer from site_vitals_checks v where v.url = c.url and v.day < p_day),
           (select v.lcp_ms <= p_lcp_good_ms and v.inp_ms <= p_inp_good_ms and v.cls <= p_cls_good
              from site_vitals_checks v where v.url = c.url and v.day < p_day order by v.day desc limit 1)
      from jsonb_to_recordset(p_checks) as c(url text);
end;
$$;

-- The store's pages as a crawl sees them, with each internal link's HTTP status resolved.
create function sample_site_pages_list()
returns table (url text, template text, status integer, redirect_to text, title text, meta_description text, h1 text, images jsonb,
               links jsonb, json_ld jsonb, indexed boolean, canonical text, product_sku text, updated_at timestamptz)
language sql stable as $$
  select s.url, s.template, s.status, s.redirect_to, s.title, s.meta_description, s.h1, s.images,
         coalesce((select jsonb_agg(jsonb_build_object('href', l, 'status', coalesce(t.status, 404), 'redirect_to', t.redirect_to) order by l)
                     from unnest(s.links) l left join sample_site_pages t on t.url = l), '[]'::jsonb),
         s.json_ld, s.indexed, s.canonical, s.product_sku, s.updated_at
    from sample_site_pages s order by s.url;
$$;

-- URL Inspection for the sample store: indexed or not, and the canonical Google chose.
create function sample_url_inspection(p_urls text[])
returns table (url text, indexed boolean, google_canonical text)
language sql stable as $$
  select s.url, s.indexed, coalesce(s.canonical, s.url) from sample_site_pages s where s.url = any (p_urls) order by s.url;
$$;

-- Storefront (sample adapter) -------------------------------------------------------------------

create function sample_product_content_list()
returns table (sku text, handle text, title text, brand text, description_html text, seo_title text, seo_description text, metafields jsonb,
               size text, price numeric, updated_at timestamptz)
language sql stable as $$
  select c.sku, c.handle, c.title, p.brand, c.description_html, c.seo_title, c.seo_description, c.metafields, c.size, p.price, c.updated_at
    from sample_product_content c join sample_products p on p.sku = c.sku order by c.sku;
$$;

-- An SEO fix once per key (Shopify productUpdate seo + image alt): the page and the product change.
create function sample_update_page_seo(p_idempotency_key text, p_url text, p_title text, p_description text, p_image_alts jsonb)
returns table (applied boolean)
language plpgsql as $$
begin
  if not exists (select 1 from sample_site_pages s where s.url = p_url) then
    raise exception 'sample page % does not exist', p_url using errcode = 'no_data_found';
  end if;
  insert into sample_content_updates (idempotency_key, kind, target, fields)
  values (p_idempotency_key, 'seo', p_url, jsonb_build_object('title', p_title, 'description', p_description, 'image_alts', p_image_alts))
  on conflict (idempotency_key) do nothing;
  if not found then
    return query select false;
    return;
  end if;
  update sample_site_pages s
     set title = coalesce(p_title, s.title),
         meta_description = coalesce(p_description, s.meta_description),
         images = coalesce((select jsonb_agg(case when coalesce(p_image_alts ->> (i ->> 'src'), '') <> '' then jsonb_set(i, '{alt}', p_image_alts -> (i ->> 'src')) else i end)
                              from jsonb_array_elements(s.images) i), s.images),
         updated_at = now()
   where s.url = p_url;
  update sample_product_content c
     set seo_title = coalesce(p_title, c.seo_title), seo_description = coalesce(p_description, c.seo_description), updated_at = now()
   where '/products/' || c.handle = p_url;
  return query select true;
end;
$$;

-- New product copy once per key (Shopify productUpdate descriptionHtml, metafields).
create function sample_publish_product_copy(p_idempotency_key text, p_sku text, p_description_html text, p_metafields jsonb)
returns table (applied boolean)
language plpgsql as $$
begin
  if not exists (select 1 from sample_product_content c where c.sku = p_sku) then
    raise exception 'sample product % does not exist', p_sku using errcode = 'no_data_found';
  end if;
  insert into sample_content_updates (idempotency_key, kind, target, fields)
  values (p_idempotency_key, 'copy', p_sku, jsonb_build_object('description_html', p_description_html, 'metafields', p_metafields))
  on conflict (idempotency_key) do nothing;
  if not found then
    return query select false;
    return;
  end if;
  update sample_product_content c
     set description_html = coalesce(p_description_html, c.description_html), metafields = c.metafields || coalesce(p_metafields, '{}'::jsonb), updated_at = now()
   where c.sku = p_sku;
  return query select true;
end;
$$;

create function sample_content_updates()
returns table (idempotency_key text, kind text, target text, fields jsonb, applied_at timestamptz)
language sql stable as $$
  select u.idempotency_key, u.kind, u.target, u.fields, u.applied_at from sample_content_updates u order by u.applied_at, u.idempotency_key;
$$;

create function sample_store_reviews(p_since timestamptz)
returns table (review_id bigint, sku text, rating integer, title text, body text, created_at timestamptz)
language sql stable as $$
  select r.id, r.sku, r.rating, r.title, r.body, r.created_at from sample_store_reviews r where r.created_at >= p_since order by r.created_at desc, r.id;
$$;

-- An approved change to our master copy (a fixed title, new bullets), recorded with who approved it.
create function content_master_update(p_sku text, p_title text default null, p_bullets jsonb default null, p_approved_by text default 'approval')
returns table (updated boolean)
language sql as $$
  update content_master m
     set title = coalesce(p_title, m.title), bullets = coalesce(p_bullets, m.bullets), approved_at = now(), approved_by = p_approved_by
   where m.sku = p_sku
  returning true;
$$;

-- product-copy-gaps' queue: SKUs another signal or the operator asked copy work for (a review
-- topic, a striking-distance query, "fix the copy"). Brain-owned; one open entry per SKU and reason.
create table content_copy_queue (
  sku text not null,
  reason text not null,
  source text not null,
  queued_at timestamptz not null default now(),
  primary key (sku, reason)
);

create function enqueue_copy_work(p_sku text, p_reason text, p_source text)
returns table (queued boolean)
language sql as $$
  insert into content_copy_queue (sku, reason, source) values (p_sku, p_reason, p_source)
  on conflict (sku, reason) do update set queued_at = now(), source = excluded.source
  returning true;
$$;

-- The open queue, oldest first (entries older than p_max_age fall out: the trigger has gone stale).
create function list_copy_queue(p_max_age interval default interval '21 days')
returns table (sku text, reason text, source text, queued_at timestamptz)
language sql stable as $$
  select q.sku, q.reason, q.source, q.queued_at from content_copy_queue q where q.queued_at > now() - p_max_age order by q.queued_at, q.sku;
$$;

-- Copy for a SKU was published: its queue entries are done.
create function clear_copy_queue(p_sku text)
returns table (cleared integer)
language sql as $$
  with gone as (delete from content_copy_queue q where q.sku = p_sku returning 1) select count(*)::integer from gone;
$$;

-- A URL's latest vitals checks, newest first (the operator's "why is it slow?").
create function list_site_vitals_checks(p_url text, p_limit integer default 8)
returns table (day date, lcp_ms integer, inp_ms integer, cls numeric)
language sql stable as $$
  select v.day, v.lcp_ms, v.inp_ms, v.cls from site_vitals_checks v where v.url = p_url order by v.day desc limit p_limit;
$$;
