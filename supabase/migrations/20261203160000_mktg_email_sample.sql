-- mktgbot's lifecycle-email and promotion jobs on the sample company (mktg-email.json):
-- Klaviyo sign-up forms (30 days of views and submits; the mobile pop-up broken for 2 days),
-- daily list growth, two more email entries on the marketing calendar,
-- and Shopify-shaped discounts: 4 automatic promotions and 10 codes with their redemptions
-- (SALTMARSH20 spiking from coupon sites). Approved changes (drafts created, promotions
-- adjusted, codes disabled or created) happen once per idempotency key and show in the tables.

create table sample_klaviyo_forms (
  id text primary key,
  name text not null,
  status text not null
);

create table sample_klaviyo_form_daily (
  form_id text not null,
  day date not null,
  views integer not null,
  submits integer not null,
  primary key (form_id, day)
);

create table sample_klaviyo_list_daily (
  list_id text not null,
  day date not null,
  subscribed integer not null,
  unsubscribed integer not null,
  primary key (list_id, day)
);

-- A Klaviyo draft made from a calendar entry names the entry it was made for.
alter table sample_klaviyo_campaigns add column calendar_entry_id text;

create table sample_shopify_discounts (
  id text primary key,
  kind text not null check (kind in ('automatic', 'code')),
  title text not null,
  code text unique,
  status text not null check (status in ('ACTIVE', 'SCHEDULED', 'EXPIRED')),
  starts_at timestamptz not null,
  ends_at timestamptz,
  percent numeric(5, 2) not null,
  -- Empty = applies to the whole order.
  skus jsonb not null default '[]',
  usage_limit integer,
  creator text,
  updated_at timestamptz not null default now()
);

create table sample_shopify_discount_redemptions (
  order_id text primary key,
  code text not null,
  created_at timestamptz not null,
  referrer_url text,
  landing_url text
);
create index sample_shopify_discount_redemptions_code on sample_shopify_discount_redemptions (code, created_at);

-- What approvals did to discounts, once per idempotency key (no foreign key: reloads truncate freely).
create table sample_shopify_discount_actions (
  idempotency_key text primary key,
  discount_id text not null,
  action text not null,
  result jsonb not null,
  applied_at timestamptz not null default now()
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_mktg_email;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  v_data jsonb := coalesce(p_data -> 'mktg_email', '{}');
  v_days integer := coalesce((v_data #>> '{forms,days}')::integer, 30);
  v_yesterday date := (p_now at time zone 'UTC')::date - 1;
  v_today date := (p_now at time zone 'UTC')::date;
  v_domains text[] := array(select jsonb_array_elements_text(coalesce(v_data -> 'coupon_domains', '["retailmenot.com"]')));
begin
  select * into v_result from sample_company_load_before_mktg_email(p_data, p_reset, p_now);
  if v_result.loaded then
    delete from sample_klaviyo_forms;
    delete from sample_klaviyo_form_daily;
    delete from sample_klaviyo_list_daily;
    delete from sample_shopify_discounts;
    delete from sample_shopify_discount_redemptions;
    delete from sample_shopify_discount_actions;

    insert into sample_klaviyo_forms (id, name, status)
    select f.id, f.name, f.status from jsonb_to_recordset(coalesce(v_data #> '{forms,items}', '[]')) as f(id text, name text, status text);
    -- Day d (0 = yesterday): views with a ±8% wobble, submits at the form's rate (or the planted
    -- broken rate for its last days); deterministic so tests can count on it.
    insert into sample_klaviyo_form_daily (form_id, day, views, submits)
    select f.id, v_yesterday - d, v.views,
           round(v.views * coalesce((select b.submit_rate from jsonb_to_recordset(coalesce(v_data #> '{forms,broken}', '[]')) as b(form_id text, days integer, submit_rate numeric)
                                      where b.form_id = f.id and d < b.days), f.submit_rate * (1 + 0.05 * cos(d * 1.3))))::integer
      from jsonb_to_recordset(coalesce(v_data #> '{forms,items}', '[]')) as f(id text, views_per_day integer, submit_rate numeric)
      cross join generate_series(0, v_days - 1) as d
      cross join lateral (select round(f.views_per_day * (1 + 0.08 * sin(d * 0.9 + length(f.id))))::integer as views) v;
    -- New subscribers = every form's submits + other sources; unsubscribes steady with a wobble.
    insert into sample_klaviyo_list_daily (list_id, day, subscribed, unsubscribed)
    select v_data #>> '{list_growth,list_id}', fd.day,
           sum(fd.submits)::integer + coalesce((v_data #>> '{list_growth,other_subscribed_per_day}')::integer, 0),
           round(coalesce((v_data #>> '{list_growth,unsubscribed_per_day}')::integer, 0) * (1 + 0.1 * sin(extract(doy from fd.day)::integer)))::integer
      from sample_klaviyo_form_daily fd
     where v_data #>> '{list_growth,list_id}' is not null
     group by fd.day;

    insert into sample_content_calendar (id, title, brand, platform, scheduled_for, owner, status, sku)
    select e.id, e.title, e.brand, 'email', v_today + e.in_days, e.owner, e.status, e.sku
      from jsonb_to_recordset(coalesce(v_data -> 'email_calendar', '[]')) as e(id text, title text, brand text, in_days integer, owner text, status text, sku text);

    insert into sample_shopify_discounts (id, kind, title, code, status, starts_at, ends_at, percent, skus, usage_limit, creator)
    select p.id, 'automatic', p.title, null, case when p.starts_in_days <= 0 then 'ACTIVE' else 'SCHEDULED' end,
           (v_today + p.starts_in_days)::timestamp at time zone 'UTC' + interval '8 hours',
           (v_today + p.ends_in_days)::timestamp at time zone 'UTC' + interval '8 hours', p.percent, coalesce(p.skus, '[]'), null, null
      from jsonb_to_recordset(coalesce(v_data -> 'promotions', '[]')) as p(id text, title text, starts_in_days integer, ends_in_days integer, percent numeric, skus jsonb);
    insert into sample_shopify_discounts (id, kind, title, code, status, starts_at, ends_at, percent, skus, usage_limit, creator)
    select c.id, 'code', c.title, c.code, 'ACTIVE', p_now - interval '60 days', null, c.percent, '[]', c.usage_limit, c.creator
      from jsonb_to_recordset(coalesce(v_data -> 'discount_codes', '[]')) as c(id text, code text, title text, percent numeric, usage_limit integer, creator text);

    -- Redemptions: for day d (0 = the last 24 hours, 1..14 = the days before) n orders spread
    -- over the day; the first coupon_share of them referred by a coupon site, the rest by
    -- Instagram, Google or nothing. A planted spike replaces the last 24 hours.
    insert into sample_shopify_discount_redemptions (order_id, code, created_at, referrer_url, landing_url)
    select format('gid://shopify/Order/%s', 7000000 + row_number() over (order by c.code, d, k)), c.code,
           p_now - make_interval(days => d) - make_interval(secs => (k + 0.5) * 86400.0 / n.count),
           case
             when k < round(n.count * n.share) then format('https://www.%s/coupons/harborandpine', v_domains[1 + (k % greatest(1, cardinality(v_domains)))])
             when k % 3 = 0 then 'https://l.instagram.com/'
             when k % 3 = 1 then 'https://www.google.com/'
             else null
           end,
           'https://harborandpine.com/?discount=' || c.code
      from jsonb_to_recordset(coalesce(v_data -> 'discount_codes', '[]')) as c(code text, daily integer, coupon_share numeric)
      cross join generate_series(0, 14) as d
      cross join lateral (
        select coalesce(s.last_24h, greatest(0, round(c.daily * (1 + 0.25 * sin(d * 1.7 + length(c.code)))))::integer) as count,
               coalesce(s.coupon_share, c.coupon_share, 0) as share
          from (select 1) one
          left join jsonb_to_recordset(coalesce(v_data -> 'code_spikes', '[]')) as s(code text, last_24h integer, coupon_share numeric)
            on s.code = c.code and d = 0) n
      cross join generate_series(0, greatest(n.count - 1, -1)) as k
     where n.count > 0;
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Each form's daily views and submits over [p_start, p_end), oldest first.
create function sample_klaviyo_form_daily_report(p_start date, p_end date)
returns table (form_id text, name text, status text, day date, views integer, submits integer)
language sql stable as $$
  select f.id, f.name, f.status, d.day, d.views, d.submits
    from sample_klaviyo_forms f join sample_klaviyo_form_daily d on d.form_id = f.id
   where d.day >= p_start and d.day < p_end
   order by f.name, d.day;
$$;

-- The list's daily new subscribers and unsubscribes over [p_start, p_end), oldest first.
create function sample_klaviyo_list_daily_report(p_start date, p_end date)
returns table (list_id text, day date, subscribed integer, unsubscribed integer)
language sql stable as $$
  select l.list_id, l.day, l.subscribed, l.unsubscribed from sample_klaviyo_list_daily l
   where l.day >= p_start and l.day < p_end order by l.day, l.list_id;
$$;

-- Every campaign (any status), with the calendar entry a draft was made for.
create function sample_klaviyo_campaign_list()
returns table (campaign_id text, name text, channel text, status text, send_at timestamptz, calendar_entry_id text)
language sql stable as $$
  select c.id, c.name, c.channel, c.status, c.send_at, c.calendar_entry_id from sample_klaviyo_campaigns c order by c.send_at, c.id;
$$;

-- Create an email campaign as a draft (nothing sends), once per idempotency key: a repeat
-- returns the first campaign with created = false.
create function sample_klaviyo_create_draft(p_idempotency_key text, p_name text, p_brand text, p_subject text, p_body text,
                                            p_included jsonb, p_excluded jsonb, p_send_at timestamptz, p_calendar_entry_id text default null)
returns table (campaign_id text, status text, created boolean)
language plpgsql as $$
declare
  v_id text;
begin
  perform pg_advisory_xact_lock(hashtext('sample_klaviyo_create_draft:' || p_idempotency_key));
  select a.campaign_id into v_id from sample_klaviyo_campaign_actions a where a.idempotency_key = p_idempotency_key;
  if v_id is not null then
    return query select v_id, c.status, false from sample_klaviyo_campaigns c where c.id = v_id;
    return;
  end if;
  v_id := '01JDRF' || upper(substr(md5(p_idempotency_key), 1, 8));
  insert into sample_klaviyo_campaigns (id, name, brand, send_at, status, channel, subject, body, included_audiences, excluded_audiences, calendar_entry_id)
  values (v_id, p_name, p_brand, coalesce(p_send_at, now()), 'draft', 'email', p_subject, p_body, coalesce(p_included, '[]'), coalesce(p_excluded, '[]'), p_calendar_entry_id);
  insert into sample_klaviyo_campaign_actions (idempotency_key, campaign_id, action, previous_status, reason)
  values (p_idempotency_key, v_id, 'create_draft', 'none', p_calendar_entry_id);
  return query select v_id, 'draft'::text, true;
end;
$$;

-- Every discount (automatic and code) with its usage count, soonest-ending first.
create function sample_shopify_discount_list()
returns table (discount_id text, kind text, title text, code text, status text, starts_at timestamptz, ends_at timestamptz, percent numeric,
               skus jsonb, usage_limit integer, usage_count integer, creator text)
language sql stable as $$
  select d.id, d.kind, d.title, d.code, d.status, d.starts_at, d.ends_at, d.percent, d.skus, d.usage_limit,
         (select count(*)::integer from sample_shopify_discount_redemptions r where r.code = d.code), d.creator
    from sample_shopify_discounts d order by d.ends_at nulls last, d.id;
$$;

-- Orders that used a discount code in [p_since, p_until), oldest first.
create function sample_shopify_discount_redemption_list(p_since timestamptz, p_until timestamptz)
returns table (order_id text, code text, created_at timestamptz, referrer_url text, landing_url text)
language sql stable as $$
  select r.order_id, r.code, r.created_at, r.referrer_url, r.landing_url from sample_shopify_discount_redemptions r
   where r.created_at >= p_since and r.created_at < p_until order by r.created_at, r.order_id;
$$;

-- Change a discount once per idempotency key: end it at p_ends_at (never later than it
-- already ends), drop SKUs from it, or deactivate it (a code stops working now). A repeat
-- returns the discount as it is with changed = false.
create function sample_shopify_update_discount(p_idempotency_key text, p_discount_id text, p_ends_at timestamptz default null,
                                               p_exclude_skus jsonb default '[]', p_deactivate boolean default false)
returns table (discount_id text, status text, ends_at timestamptz, skus jsonb, changed boolean)
language plpgsql as $$
declare
  v_row sample_shopify_discounts;
begin
  select * into v_row from sample_shopify_discounts d where d.id = p_discount_id for update;
  if v_row.id is null then
    raise exception 'sample Shopify discount % does not exist', p_discount_id using errcode = 'no_data_found';
  end if;
  if exists (select 1 from sample_shopify_discount_actions a where a.idempotency_key = p_idempotency_key) then
    return query select v_row.id, v_row.status, v_row.ends_at, v_row.skus, false;
    return;
  end if;
  update sample_shopify_discounts d
     set ends_at = case when p_deactivate then now() when p_ends_at is null then d.ends_at else least(coalesce(d.ends_at, p_ends_at), p_ends_at) end,
         status = case when p_deactivate then 'EXPIRED' else d.status end,
         skus = coalesce((select jsonb_agg(s) from jsonb_array_elements_text(d.skus) s where not (coalesce(p_exclude_skus, '[]') ? s)), '[]'),
         updated_at = now()
   where d.id = p_discount_id
  returning * into v_row;
  insert into sample_shopify_discount_actions (idempotency_key, discount_id, action, result)
  values (p_idempotency_key, p_discount_id, case when p_deactivate then 'deactivate' else 'update' end,
          jsonb_build_object('status', v_row.status, 'ends_at', v_row.ends_at, 'skus', v_row.skus));
  return query select v_row.id, v_row.status, v_row.ends_at, v_row.skus, true;
end;
$$;

-- Create a discount (a replacement code, a clearance promotion) once per idempotency key.
create function sample_shopify_create_discount(p_idempotency_key text, p_kind text, p_title text, p_code text, p_percent numeric, p_skus jsonb,
                                               p_starts_at timestamptz, p_ends_at timestamptz, p_usage_limit integer default null, p_creator text default null)
returns table (discount_id text, code text, status text, created boolean)
language plpgsql as $$
declare
  v_id text;
begin
  perform pg_advisory_xact_lock(hashtext('sample_shopify_create_discount:' || p_idempotency_key));
  select a.discount_id into v_id from sample_shopify_discount_actions a where a.idempotency_key = p_idempotency_key;
  if v_id is not null then
    return query select d.id, d.code, d.status, false from sample_shopify_discounts d where d.id = v_id;
    return;
  end if;
  if p_kind not in ('automatic', 'code') then
    raise exception 'discount kind must be automatic or code, not %', p_kind using errcode = 'invalid_parameter_value';
  end if;
  v_id := format('gid://shopify/%s/%s', case when p_kind = 'code' then 'DiscountCodeNode' else 'DiscountAutomaticNode' end,
                 9000000 + abs(hashtext(p_idempotency_key)) % 1000000);
  insert into sample_shopify_discounts (id, kind, title, code, status, starts_at, ends_at, percent, skus, usage_limit, creator)
  values (v_id, p_kind, p_title, case when p_kind = 'code' then p_code end, case when p_starts_at <= now() then 'ACTIVE' else 'SCHEDULED' end,
          p_starts_at, p_ends_at, p_percent, coalesce(p_skus, '[]'), p_usage_limit, p_creator);
  insert into sample_shopify_discount_actions (idempotency_key, discount_id, action, result)
  values (p_idempotency_key, v_id, 'create', jsonb_build_object('code', p_code, 'title', p_title));
  return query select v_id, p_code, case when p_starts_at <= now() then 'ACTIVE' else 'SCHEDULED' end, true;
end;
$$;

-- What each SKU costs (the margin floor promo-guard checks promotions against).
create function sample_product_unit_costs()
returns table (sku text, unit_cost numeric)
language sql stable as $$
  select p.sku, p.unit_cost from sample_products p order by p.sku;
$$;

-- Set a campaign the fleet paused back to ACTIVE (resume_campaigns), once per idempotency key:
-- only a PAUSED campaign changes; a repeat returns it as it is with changed = false.
create function sample_ads_resume_campaign(p_idempotency_key text, p_campaign_id text, p_reason text default null)
returns table (campaign_id text, status text, changed boolean, updated_at timestamptz)
language plpgsql as $$
declare
  v_changed boolean := false;
  v_count integer;
begin
  if not exists (select 1 from sample_ad_campaigns c where c.id = p_campaign_id) then
    raise exception 'sample campaign % does not exist', p_campaign_id using errcode = 'no_data_found';
  end if;
  insert into sample_ad_actions (idempotency_key, campaign_id, action, reason) values (p_idempotency_key, p_campaign_id, 'resume', p_reason)
  on conflict (idempotency_key) do nothing;
  get diagnostics v_count = row_count;
  if v_count > 0 then
    update sample_ad_campaigns c set status = 'ACTIVE', paused_reason = null, updated_at = now()
     where c.id = p_campaign_id and c.status = 'PAUSED';
    get diagnostics v_count = row_count;
    v_changed := v_count > 0;
  end if;
  return query select c.id, c.status, v_changed, c.updated_at from sample_ad_campaigns c where c.id = p_campaign_id;
end;
$$;
