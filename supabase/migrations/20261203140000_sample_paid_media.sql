-- mktgbot's paid-media jobs on the sample company (paid-media.json): the campaigns of Google
-- Ads, TikTok, Pinterest and Amazon Ads beside the 12 Meta campaigns already loaded; Meta's
-- campaign config (url_tags, pixel, purchaser exclusion, end date, last edit); 56 days of daily
-- spend and revenue per campaign (Meta's last 7 days stay in sample_ad_insights, whose purchase
-- value this fills in); today's hourly spend; the ad accounts (status, spend cap); ad review
-- status. Budget, config and spend-cap changes an approval makes go through functions keyed by
-- the approval's idempotency key, so each happens once and visibly changes the data.

create table sample_paid_campaigns (
  platform text not null check (platform in ('google', 'tiktok', 'pinterest', 'amazon')),
  id text not null,
  name text not null,
  brand text,
  funnel text not null check (funnel in ('prospecting', 'retargeting', 'search', 'brand')),
  status text not null check (status in ('ACTIVE', 'PAUSED', 'ARCHIVED')),
  daily_budget numeric(10, 2) not null,
  -- The budget before the last edit (Meta activity log / Google change_event old value).
  previous_daily_budget numeric(10, 2),
  url_tags text,
  pixel_id text,
  end_at timestamptz,
  excludes_purchasers boolean,
  promo boolean not null default false,
  updated_at timestamptz not null,
  primary key (platform, id)
);

-- Meta campaigns' setup as campaign-config-audit reads it; status and budget stay on sample_ad_campaigns.
create table sample_meta_campaign_config (
  campaign_id text primary key,
  funnel text not null check (funnel in ('prospecting', 'retargeting', 'search', 'brand')),
  previous_daily_budget numeric(10, 2),
  url_tags text,
  pixel_id text,
  end_at timestamptz,
  excludes_purchasers boolean,
  promo boolean not null default false,
  updated_at timestamptz not null
);

create table sample_paid_daily (
  platform text not null check (platform in ('meta', 'google', 'tiktok', 'pinterest', 'amazon')),
  campaign_id text not null,
  day date not null,
  spend numeric(10, 2) not null,
  revenue numeric(12, 2) not null,
  purchases integer not null,
  impressions integer not null,
  clicks integer not null,
  primary key (platform, campaign_id, day)
);

-- Today's spend by local hour (0-23) as the platforms will have delivered it; spend to date is
-- the sum of the hours already past, so pacing holds at whatever hour a check runs.
create table sample_paid_intraday (
  platform text not null,
  campaign_id text not null,
  hourly_spend numeric(10, 2)[] not null check (cardinality(hourly_spend) = 24),
  primary key (platform, campaign_id)
);

create table sample_paid_accounts (
  platform text primary key,
  account_id text not null,
  name text not null,
  status text not null,
  disable_reason text,
  spend_cap numeric(12, 2),
  amount_spent numeric(12, 2),
  payment_failed boolean not null default false
);

create table sample_paid_ad_reviews (
  platform text not null,
  ad_id text not null,
  effective_status text not null,
  review_feedback jsonb not null default '{}'::jsonb,
  primary key (platform, ad_id)
);

-- Meta ad sets' learning stage (AdSet learning_stage_info) and 7-day optimisation events.
create table sample_meta_ad_set_learning (
  ad_set_id text primary key,
  -- Meta's learning_stage_info.status: LEARNING, SUCCESS, or FAIL (shown as "Learning limited").
  status text not null check (status in ('LEARNING', 'SUCCESS', 'FAIL')),
  last_sig_edit_at timestamptz not null,
  optimization_goal text not null,
  events_7d integer not null check (events_7d >= 0)
);

-- Where each active ad lands (creative link, landing_page_url, pin link) and the price its text states.
create table sample_paid_ad_destinations (
  platform text not null,
  ad_id text not null,
  name text not null,
  campaign_id text not null,
  sku text,
  url text not null,
  stated_price numeric(10, 2),
  primary key (platform, ad_id)
);

-- The marketing plan: each month's budget per platform × brand (budget-vs-plan-mtd).
create table sample_marketing_plan (
  month date not null check (extract(day from month) = 1),
  platform text not null check (platform in ('meta', 'google', 'tiktok', 'pinterest', 'amazon')),
  brand text not null,
  budget numeric(12, 2) not null check (budget >= 0),
  primary key (month, platform, brand)
);

-- What approvals changed: one row per idempotency key (budget, config patch, spend cap).
create table sample_paid_changes (
  idempotency_key text primary key,
  platform text not null,
  object_id text not null,
  action text not null,
  detail jsonb not null,
  created_at timestamptz not null default now()
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_mktg_paid;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  -- The base loader's day arithmetic (UTC date of the load), so "yesterday" matches sample_ad_insights.
  v_today date := (p_now at time zone 'UTC')::date;
begin
  select * into v_result from sample_company_load_before_mktg_paid(p_data, p_reset, p_now);
  if v_result.loaded then
    delete from sample_paid_campaigns;
    delete from sample_meta_campaign_config;
    delete from sample_paid_daily;
    delete from sample_paid_intraday;
    delete from sample_paid_accounts;
    delete from sample_paid_ad_reviews;
    delete from sample_paid_changes;
    delete from sample_marketing_plan;
    delete from sample_meta_ad_set_learning;
    delete from sample_paid_ad_destinations;
    insert into sample_paid_ad_destinations (platform, ad_id, name, campaign_id, sku, url, stated_price)
    select d.platform, d.ad_id, d.name, d.campaign_id, d.sku, d.url, d.stated_price
      from jsonb_to_recordset(coalesce(p_data #> '{paid_media,ad_destinations}', '[]')) as d(
             platform text, ad_id text, name text, campaign_id text, sku text, url text, stated_price numeric);
    insert into sample_meta_ad_set_learning (ad_set_id, status, last_sig_edit_at, optimization_goal, events_7d)
    select l.ad_set_id, l.status, p_now - make_interval(days => l.last_sig_edit_days_ago), l.optimization_goal, l.events_7d
      from jsonb_to_recordset(coalesce(p_data #> '{paid_media,ad_set_learning}', '[]')) as l(
             ad_set_id text, status text, last_sig_edit_days_ago integer, optimization_goal text, events_7d integer)
     where exists (select 1 from sample_ad_sets s where s.id = l.ad_set_id);
    insert into sample_paid_campaigns (platform, id, name, brand, funnel, status, daily_budget, previous_daily_budget, url_tags, pixel_id,
                                       end_at, excludes_purchasers, promo, updated_at)
    select c.platform, c.id, c.name, c.brand, c.funnel, c.status, c.daily_budget, c.previous_daily_budget, c.url_tags, c.pixel_id,
           case when c.end_days is null then null else p_now + make_interval(days => c.end_days) end,
           c.excludes_purchasers, coalesce(c.promo, false), p_now - c.updated_days_ago * interval '1 day'
      from jsonb_to_recordset(coalesce(p_data #> '{paid_media,campaigns}', '[]')) as c(
             platform text, id text, name text, brand text, funnel text, status text, daily_budget numeric, previous_daily_budget numeric,
             url_tags text, pixel_id text, end_days integer, excludes_purchasers boolean, promo boolean, updated_days_ago numeric);
    insert into sample_meta_campaign_config (campaign_id, funnel, previous_daily_budget, url_tags, pixel_id, end_at, excludes_purchasers, promo, updated_at)
    select c.id, c.funnel, c.previous_daily_budget, c.url_tags, c.pixel_id,
           case when c.end_days is null then null else p_now + make_interval(days => c.end_days) end,
           c.excludes_purchasers, coalesce(c.promo, false), p_now - c.updated_days_ago * interval '1 day'
      from jsonb_to_recordset(coalesce(p_data #> '{paid_media,meta_config}', '[]')) as c(
             id text, funnel text, previous_daily_budget numeric, url_tags text, pixel_id text, end_days integer,
             excludes_purchasers boolean, promo boolean, updated_days_ago numeric)
     where exists (select 1 from sample_ad_campaigns a where a.id = c.id);
    insert into sample_paid_daily (platform, campaign_id, day, spend, revenue, purchases, impressions, clicks)
    select d.platform, d.campaign_id, v_today - d.days_ago, d.spend, d.revenue, d.purchases, d.impressions, d.clicks
      from jsonb_to_recordset(coalesce(p_data #> '{paid_media,daily}', '[]')) as d(
             platform text, campaign_id text, days_ago integer, spend numeric, revenue numeric, purchases integer, impressions integer, clicks integer);
    -- Meta's last 7 days: the purchase value is spend × the day's ROAS (roas_days_7_to_1[0] is 7 days ago).
    update sample_ad_insights i
       set purchase_value = round(i.spend * ((r.roas_days_7_to_1 ->> (7 - (v_today - i.day)))::numeric), 2)
      from jsonb_to_recordset(coalesce(p_data #> '{paid_media,meta_roas}', '[]')) as r(campaign_id text, roas_days_7_to_1 jsonb)
     where i.campaign_id = r.campaign_id and (v_today - i.day) between 1 and 7
       and r.roas_days_7_to_1 ->> (7 - (v_today - i.day)) is not null;
    insert into sample_paid_intraday (platform, campaign_id, hourly_spend)
    select h.platform, h.campaign_id, array(select jsonb_array_elements_text(h.hourly_spend)::numeric)
      from jsonb_to_recordset(coalesce(p_data #> '{paid_media,intraday}', '[]')) as h(platform text, campaign_id text, hourly_spend jsonb);
    insert into sample_paid_accounts (platform, account_id, name, status, disable_reason, spend_cap, amount_spent, payment_failed)
    select a.platform, a.account_id, a.name, a.status, a.disable_reason, a.spend_cap, a.amount_spent, coalesce(a.payment_failed, false)
      from jsonb_to_recordset(coalesce(p_data #> '{paid_media,accounts}', '[]')) as a(
             platform text, account_id text, name text, status text, disable_reason text, spend_cap numeric, amount_spent numeric, payment_failed boolean);
    insert into sample_paid_ad_reviews (platform, ad_id, effective_status, review_feedback)
    select r.platform, r.ad_id, r.effective_status, coalesce(r.review_feedback, '{}'::jsonb)
      from jsonb_to_recordset(coalesce(p_data #> '{paid_media,ad_reviews}', '[]')) as r(platform text, ad_id text, effective_status text, review_feedback jsonb);
    -- The plan for last month and this one (relative to the load, so the 1st and mid-month both
    -- have a month to judge): the planned daily budgets of each platform × brand (the budget
    -- before an edit where one was made) × the month's days × the file's plan factor.
    insert into sample_marketing_plan (month, platform, brand, budget)
    select m.month, b.platform, b.brand,
           round(b.daily * extract(day from (m.month + interval '1 month' - interval '1 day')) * coalesce(f.factor, 1), 2)
      from (select distinct date_trunc('month', d)::date as month from (values (v_today - 1), (v_today)) as days(d)) m
     cross join (
             select 'meta' as platform, coalesce(c.brand, 'HP') as brand, sum(c.daily_budget) as daily from sample_ad_campaigns c group by 2
             union all
             select p.platform, coalesce(p.brand, 'HP'), sum(coalesce(p.previous_daily_budget, p.daily_budget)) from sample_paid_campaigns p group by 1, 2) b
      left join jsonb_to_recordset(coalesce(p_data #> '{paid_media,plan_factors}', '[]')) as f(platform text, brand text, factor numeric)
             on f.platform = b.platform and f.brand = b.brand;
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- The plan rows for the months whose first day is in [p_from, p_to].
create function sample_marketing_plan_list(p_from date, p_to date)
returns table (month date, platform text, brand text, budget numeric)
language sql stable as $$
  select p.month, p.platform, p.brand, p.budget from sample_marketing_plan p where p.month between p_from and p_to order by 1, 2, 3;
$$;

-- Every platform's campaigns: Meta's from sample_ad_campaigns (status, budget) with its config, the rest whole.
create function sample_paid_list_campaigns()
returns table (platform text, campaign_id text, name text, brand text, funnel text, status text, objective text, daily_budget numeric,
               previous_daily_budget numeric, url_tags text, pixel_id text, end_at timestamptz, excludes_purchasers boolean, promo boolean,
               updated_at timestamptz)
language sql stable as $$
  select 'meta', c.id, c.name, c.brand, coalesce(m.funnel, 'prospecting'), c.status, c.objective, c.daily_budget,
         m.previous_daily_budget, m.url_tags, m.pixel_id, m.end_at, m.excludes_purchasers, coalesce(m.promo, false),
         greatest(coalesce(m.updated_at, c.started_at), (select max(x.created_at) from sample_paid_changes x where x.platform = 'meta' and x.object_id = c.id))
    from sample_ad_campaigns c left join sample_meta_campaign_config m on m.campaign_id = c.id
  union all
  select p.platform, p.id, p.name, p.brand, p.funnel, p.status, null, p.daily_budget, p.previous_daily_budget, p.url_tags, p.pixel_id,
         p.end_at, p.excludes_purchasers, p.promo, p.updated_at
    from sample_paid_campaigns p
  order by 1, 3;
$$;

-- Campaign-days in [p_from, p_to]: Meta's recent days from sample_ad_insights, everything else from sample_paid_daily.
create function sample_paid_daily_metrics(p_from date, p_to date)
returns table (platform text, campaign_id text, day date, spend numeric, revenue numeric, purchases integer, impressions integer, clicks integer)
language sql stable as $$
  select 'meta', i.campaign_id, i.day, i.spend, i.purchase_value, i.purchases, i.impressions, i.clicks
    from sample_ad_insights i where i.day between p_from and p_to
  union all
  select d.platform, d.campaign_id, d.day, d.spend, d.revenue, d.purchases, d.impressions, d.clicks
    from sample_paid_daily d
   where d.day between p_from and p_to
     and not (d.platform = 'meta' and exists (select 1 from sample_ad_insights i where i.campaign_id = d.campaign_id and i.day = d.day))
  order by 1, 2, 3;
$$;

create function sample_paid_intraday_list()
returns table (platform text, campaign_id text, hourly_spend numeric[])
language sql stable as $$
  select h.platform, h.campaign_id, h.hourly_spend from sample_paid_intraday h order by 1, 2;
$$;

create function sample_paid_accounts_list()
returns table (platform text, account_id text, name text, status text, disable_reason text, spend_cap numeric, amount_spent numeric, payment_failed boolean)
language sql stable as $$
  select a.platform, a.account_id, a.name, a.status, a.disable_reason, a.spend_cap, a.amount_spent, a.payment_failed from sample_paid_accounts a order by 1;
$$;

-- Ads with a review problem, with their ad set's and campaign's delivery status (Meta ads from sample_ads).
create function sample_paid_ad_reviews_list()
returns table (platform text, ad_id text, name text, ad_set_id text, campaign_id text, effective_status text, review_feedback jsonb,
               ad_set_status text, campaign_status text)
language sql stable as $$
  select r.platform, r.ad_id, coalesce(a.name, r.ad_id), a.ad_set_id, a.campaign_id, r.effective_status, r.review_feedback,
         s.status, c.status
    from sample_paid_ad_reviews r
    left join sample_ads a on r.platform = 'meta' and a.id = r.ad_id
    left join sample_ad_sets s on s.id = a.ad_set_id
    left join sample_ad_campaigns c on c.id = a.campaign_id
   order by 1, 2;
$$;

-- Change a campaign's daily budget once per idempotency key; a repeat returns the first result with changed = false.
create function sample_paid_set_budget(p_idempotency_key text, p_platform text, p_campaign_id text, p_daily_budget numeric, p_reason text default null)
returns table (campaign_id text, previous_daily_budget numeric, daily_budget numeric, changed boolean)
language plpgsql as $$
declare
  v_previous numeric;
  v_done jsonb;
begin
  if p_daily_budget is null or p_daily_budget < 1 then
    raise exception 'daily budget must be at least 1, got %', p_daily_budget using errcode = 'check_violation';
  end if;
  select x.detail into v_done from sample_paid_changes x where x.idempotency_key = p_idempotency_key;
  if v_done is not null then
    return query select p_campaign_id, (v_done ->> 'previous')::numeric, (v_done ->> 'daily_budget')::numeric, false;
    return;
  end if;
  if p_platform = 'meta' then
    select c.daily_budget into v_previous from sample_ad_campaigns c where c.id = p_campaign_id for update;
  else
    select c.daily_budget into v_previous from sample_paid_campaigns c where c.platform = p_platform and c.id = p_campaign_id for update;
  end if;
  if v_previous is null then
    raise exception 'sample % campaign % does not exist', p_platform, p_campaign_id using errcode = 'no_data_found';
  end if;
  insert into sample_paid_changes (idempotency_key, platform, object_id, action, detail)
  values (p_idempotency_key, p_platform, p_campaign_id, 'budget',
          jsonb_build_object('previous', v_previous, 'daily_budget', p_daily_budget, 'reason', p_reason));
  if p_platform = 'meta' then
    update sample_ad_campaigns c set daily_budget = p_daily_budget, updated_at = now() where c.id = p_campaign_id;
  else
    update sample_paid_campaigns c set previous_daily_budget = v_previous, daily_budget = p_daily_budget, updated_at = now()
     where c.platform = p_platform and c.id = p_campaign_id;
  end if;
  return query select p_campaign_id, v_previous, p_daily_budget, true;
end;
$$;

-- Apply a config patch (url_tags, end_at, excludes_purchasers) once per idempotency key.
create function sample_paid_patch_campaign(p_idempotency_key text, p_platform text, p_campaign_id text, p_patch jsonb)
returns table (campaign_id text, changed boolean)
language plpgsql as $$
begin
  if exists (select 1 from sample_paid_changes x where x.idempotency_key = p_idempotency_key) then
    return query select p_campaign_id, false;
    return;
  end if;
  if p_patch - array['url_tags', 'end_at', 'excludes_purchasers'] <> '{}'::jsonb then
    raise exception 'unsupported campaign patch fields: %', (select string_agg(k, ', ') from jsonb_object_keys(p_patch - array['url_tags', 'end_at', 'excludes_purchasers']) k)
      using errcode = 'invalid_parameter_value';
  end if;
  if p_platform = 'meta' then
    if not exists (select 1 from sample_ad_campaigns c where c.id = p_campaign_id) then
      raise exception 'sample meta campaign % does not exist', p_campaign_id using errcode = 'no_data_found';
    end if;
    insert into sample_meta_campaign_config (campaign_id, funnel, updated_at) values (p_campaign_id, 'prospecting', now()) on conflict do nothing;
    update sample_meta_campaign_config m
       set url_tags = case when p_patch ? 'url_tags' then p_patch ->> 'url_tags' else m.url_tags end,
           end_at = case when p_patch ? 'end_at' then (p_patch ->> 'end_at')::timestamptz else m.end_at end,
           excludes_purchasers = case when p_patch ? 'excludes_purchasers' then (p_patch ->> 'excludes_purchasers')::boolean else m.excludes_purchasers end,
           updated_at = now()
     where m.campaign_id = p_campaign_id;
  else
    update sample_paid_campaigns m
       set url_tags = case when p_patch ? 'url_tags' then p_patch ->> 'url_tags' else m.url_tags end,
           end_at = case when p_patch ? 'end_at' then (p_patch ->> 'end_at')::timestamptz else m.end_at end,
           excludes_purchasers = case when p_patch ? 'excludes_purchasers' then (p_patch ->> 'excludes_purchasers')::boolean else m.excludes_purchasers end,
           updated_at = now()
     where m.platform = p_platform and m.id = p_campaign_id;
    if not found then
      raise exception 'sample % campaign % does not exist', p_platform, p_campaign_id using errcode = 'no_data_found';
    end if;
  end if;
  insert into sample_paid_changes (idempotency_key, platform, object_id, action, detail)
  values (p_idempotency_key, p_platform, p_campaign_id, 'config', p_patch);
  return query select p_campaign_id, true;
end;
$$;

-- Raise (or set) an ad account's spend cap once per idempotency key.
create function sample_paid_set_spend_cap(p_idempotency_key text, p_platform text, p_spend_cap numeric)
returns table (account_id text, previous_spend_cap numeric, spend_cap numeric, changed boolean)
language plpgsql as $$
declare
  v_account sample_paid_accounts%rowtype;
  v_done jsonb;
begin
  select * into v_account from sample_paid_accounts a where a.platform = p_platform for update;
  if not found then
    raise exception 'sample % ad account does not exist', p_platform using errcode = 'no_data_found';
  end if;
  select x.detail into v_done from sample_paid_changes x where x.idempotency_key = p_idempotency_key;
  if v_done is not null then
    return query select v_account.account_id, (v_done ->> 'previous')::numeric, (v_done ->> 'spend_cap')::numeric, false;
    return;
  end if;
  if p_spend_cap is null or p_spend_cap <= coalesce(v_account.amount_spent, 0) then
    raise exception 'spend cap % must be above the amount already spent (%)', p_spend_cap, v_account.amount_spent using errcode = 'check_violation';
  end if;
  insert into sample_paid_changes (idempotency_key, platform, object_id, action, detail)
  values (p_idempotency_key, p_platform, v_account.account_id, 'spend_cap', jsonb_build_object('previous', v_account.spend_cap, 'spend_cap', p_spend_cap));
  update sample_paid_accounts a set spend_cap = p_spend_cap where a.platform = p_platform;
  return query select v_account.account_id, v_account.spend_cap, p_spend_cap, true;
end;
$$;

-- Meta ad sets with their learning stage and last 7 days' optimisation events.
create function sample_paid_ad_set_learning()
returns table (ad_set_id text, campaign_id text, name text, status text, daily_budget numeric, learning_status text, last_sig_edit_at timestamptz,
               optimization_goal text, events_7d integer)
language sql stable as $$
  select s.id, s.campaign_id, s.name, s.status, s.daily_budget, coalesce(l.status, 'SUCCESS'), l.last_sig_edit_at, coalesce(l.optimization_goal, 'OFFSITE_CONVERSIONS'),
         coalesce(l.events_7d, 0)
    from sample_ad_sets s left join sample_meta_ad_set_learning l on l.ad_set_id = s.id
   order by s.campaign_id, s.id;
$$;

-- Pause an ad set and/or set its daily budget, once per idempotency key.
create function sample_paid_update_ad_set(p_idempotency_key text, p_ad_set_id text, p_status text default null, p_daily_budget numeric default null)
returns table (ad_set_id text, status text, daily_budget numeric, changed boolean)
language plpgsql as $$
begin
  if p_status is not null and p_status not in ('ACTIVE', 'PAUSED') then
    raise exception 'ad set status must be ACTIVE or PAUSED, got %', p_status using errcode = 'check_violation';
  end if;
  if p_daily_budget is not null and p_daily_budget < 1 then
    raise exception 'daily budget must be at least 1, got %', p_daily_budget using errcode = 'check_violation';
  end if;
  if not exists (select 1 from sample_ad_sets s where s.id = p_ad_set_id) then
    raise exception 'sample ad set % does not exist', p_ad_set_id using errcode = 'no_data_found';
  end if;
  if exists (select 1 from sample_paid_changes x where x.idempotency_key = p_idempotency_key) then
    return query select s.id, s.status, s.daily_budget, false from sample_ad_sets s where s.id = p_ad_set_id;
    return;
  end if;
  insert into sample_paid_changes (idempotency_key, platform, object_id, action, detail)
  select p_idempotency_key, 'meta', p_ad_set_id, 'ad_set', jsonb_build_object('status', p_status, 'daily_budget', p_daily_budget, 'previous_status', s.status,
         'previous_daily_budget', s.daily_budget)
    from sample_ad_sets s where s.id = p_ad_set_id;
  update sample_ad_sets s
     set status = coalesce(p_status, s.status), daily_budget = coalesce(p_daily_budget, s.daily_budget), updated_at = now()
   where s.id = p_ad_set_id;
  return query select s.id, s.status, s.daily_budget, true from sample_ad_sets s where s.id = p_ad_set_id;
end;
$$;

-- Active ads' destinations, with their campaign's status (Meta from sample_ad_campaigns, the rest from sample_paid_campaigns).
create function sample_paid_ad_destinations_list()
returns table (platform text, ad_id text, name text, campaign_id text, campaign_status text, sku text, url text, stated_price numeric)
language sql stable as $$
  select d.platform, d.ad_id, d.name, d.campaign_id, coalesce(m.status, p.status, 'ACTIVE'), d.sku, d.url, d.stated_price
    from sample_paid_ad_destinations d
    left join sample_ad_campaigns m on d.platform = 'meta' and m.id = d.campaign_id
    left join sample_paid_campaigns p on p.platform = d.platform and p.id = d.campaign_id
   order by 1, 4, 2;
$$;

-- The sample store's answer for a path: 200 for the home page, collections and product handles it has, 404 otherwise.
create function sample_store_page_status(p_paths text[])
returns table (path text, status integer, sku text)
language sql stable as $$
  select x.path,
         case when x.path = '/' or x.path like '/collections/%' or c.sku is not null then 200 else 404 end,
         c.sku
    from unnest(p_paths) as x(path)
    left join sample_product_content c on x.path = '/products/' || c.handle;
$$;

-- What approvals changed (tests and the dashboard read it).
create function sample_paid_changes_list()
returns table (idempotency_key text, platform text, object_id text, action text, detail jsonb, created_at timestamptz)
language sql stable as $$
  select x.idempotency_key, x.platform, x.object_id, x.action, x.detail, x.created_at from sample_paid_changes x order by x.created_at, x.idempotency_key;
$$;
