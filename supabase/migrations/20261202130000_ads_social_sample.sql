-- adsbot and socialbot on the sample company: Meta-shaped ad sets, ads and ad-level daily
-- insights, creative tests, the creative library and brand guidelines (adsbot); organic posts
-- with 7-day metrics, comments and DMs, launches, content pillars and the content calendar
-- (socialbot). Every write an approval makes goes through a function keyed by its idempotency
-- key, so an approved rotation, post, reply or hide happens once and visibly changes the data.

create table sample_ad_sets (
  id text primary key,
  campaign_id text not null,
  name text not null,
  -- prospecting (cold) or retargeting: the fatigue rule's frequency ceiling differs.
  audience text not null check (audience in ('prospecting', 'retargeting')),
  daily_budget numeric not null,
  brand text,
  status text not null default 'ACTIVE',
  updated_at timestamptz not null default now()
);

create table sample_ads (
  id text primary key,
  ad_set_id text not null,
  campaign_id text not null,
  name text not null,
  status text not null check (status in ('ACTIVE', 'PAUSED', 'ARCHIVED')),
  -- A paused creative waiting its turn (Meta: the ad label "queued").
  queued boolean not null default false,
  format text not null,
  hook text,
  creator text,
  paid_partnership_label boolean not null default false,
  asset_id text,
  brand text,
  sku text,
  body text not null,
  title text,
  description text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  paused_reason text,
  -- The approval (idempotency key) that created it, for drafts adsbot made.
  created_by_key text unique
);

create table sample_ad_daily (
  ad_id text not null references sample_ads (id),
  day date not null,
  impressions integer not null,
  reach integer not null,
  -- Meta's frequency over the trailing 7 days as of this day (reach is not additive across days).
  frequency_7d numeric not null,
  link_clicks integer not null,
  spend numeric not null,
  purchases integer not null,
  video_3s_views integer not null,
  thruplays integer not null,
  primary key (ad_id, day)
);

-- What approvals did to ads: one row per idempotency key.
create table sample_ad_changes (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  ad_id text not null,
  action text not null,
  detail jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);

create table sample_creative_tests (
  id text primary key,
  name text not null,
  ad_set_id text not null,
  ad_ids text[] not null,
  target_cpa numeric not null,
  started_at timestamptz not null
);

create table sample_creative_library (
  id text primary key,
  brand text not null,
  format text not null,
  name text not null,
  tags text[] not null default '{}',
  rights text not null
);

create table sample_brand_guidelines (
  brand text primary key,
  voice text not null,
  -- Claims the brand holds a substantiation file or certificate for.
  substantiated text[] not null default '{}'
);

create table sample_social_posts (
  id text primary key,
  platform text not null,
  brand text,
  format text not null,
  pillar text,
  hook text,
  published_at timestamptz not null,
  caption text not null,
  permalink text,
  reach integer not null,
  interactions integer not null,
  saves integer not null,
  shares integer not null,
  views integer not null
);

create table sample_social_comments (
  id text primary key,
  kind text not null check (kind in ('comment', 'dm')),
  platform text not null,
  post_id text,
  author text not null,
  text text not null,
  created_at timestamptz not null,
  hidden boolean not null default false,
  reply_text text,
  replied_at timestamptz
);

-- What approvals did on the organic accounts: posts scheduled, replies sent, comments hidden.
create table sample_social_actions (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  action text not null,
  platform text not null,
  target text,
  detail jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);

create table sample_social_launches (
  id text primary key,
  name text not null,
  brand text,
  starts_on date not null,
  ends_on date not null
);

create table sample_content_pillars (
  id text primary key,
  description text not null
);

alter table sample_content_calendar
  add column sku text,
  add column pillar text;

-- Brain tables the two bots own ---------------------------------------------------------------

-- The posts socialbot scheduled (an executed schedule_social_posts), once per approval key. The
-- calendar socialbot plans against is these plus the company's own calendar (on the sample
-- company, sample_content_calendar): content_calendar_list reads both, so reloading the sample
-- company never touches what socialbot scheduled, and brain history ages apart from it.
create table content_calendar (
  id text primary key,
  title text not null,
  brand text,
  platform text not null,
  scheduled_for date not null,
  owner text not null,
  status text not null,
  sku text,
  pillar text,
  caption text,
  idempotency_key text unique,
  source text not null default 'socialbot',
  updated_at timestamptz not null default now()
);

-- What makes adsbot write a brief: new fatigue, a launch without ads (signals) — once per ref.
create table ad_brief_triggers (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('fatigue', 'launch')),
  ref text not null,
  brand text,
  ad_set_id text,
  detail jsonb not null default '{}'::jsonb,
  signal_id uuid,
  created_at timestamptz not null default now(),
  briefed_at timestamptz,
  unique (kind, ref)
);

-- Rights-cleared UGC studiobot announced (ugc_available): adsbot's and socialbot's library additions.
create table ugc_library (
  asset_id text not null,
  bot text not null,
  brand text,
  platform text,
  permalink text,
  rights_scope text[] not null default '{}',
  expires_at timestamptz,
  signal_id uuid,
  received_at timestamptz not null default now(),
  used_at timestamptz,
  primary key (asset_id, bot)
);

-- What tests and posts taught (adsbot creative tests, socialbot performance), by tag.
create table creative_learnings (
  bot text not null,
  source text not null,
  tag_kind text not null,
  tag_value text not null,
  verdict text not null,
  metric text not null,
  value numeric,
  n integer not null,
  recorded_at timestamptz not null default now(),
  primary key (bot, source, tag_kind, tag_value)
);

-- socialbot's triage of each comment or DM: classified once (rules or model), acted on once.
create table social_inbox_triage (
  item_id text primary key,
  platform text not null,
  kind text not null,
  category text not null,
  negative boolean not null,
  by_model boolean not null default false,
  reply_draft text,
  triaged_at timestamptz not null default now()
);

-- Loading ------------------------------------------------------------------------------------

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_ads_social;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  v_today date := (p_now at time zone 'UTC')::date;
begin
  select * into v_result from sample_company_load_before_ads_social(p_data, p_reset, p_now);
  if v_result.loaded then
    truncate sample_ad_daily, sample_ads, sample_ad_sets, sample_ad_changes, sample_creative_tests, sample_creative_library,
      sample_brand_guidelines, sample_social_posts, sample_social_comments, sample_social_actions, sample_social_launches,
      sample_content_pillars;

    insert into sample_ad_sets (id, campaign_id, name, audience, daily_budget, brand, status, updated_at)
    select s.id, s.campaign_id, s.name, s.audience, s.daily_budget, s.brand, coalesce(s.status, 'ACTIVE'), p_now
      from jsonb_to_recordset(p_data #> '{ads_creative,ad_sets}') as s(id text, campaign_id text, name text, audience text, daily_budget numeric,
           brand text, status text);
    insert into sample_ads (id, ad_set_id, campaign_id, name, status, queued, format, hook, creator, paid_partnership_label, asset_id, brand, sku,
                            body, title, description, created_at, updated_at)
    select a.id, a.ad_set_id, a.campaign_id, a.name, a.status, coalesce(a.queued, false), a.format, a.hook, a.creator,
           coalesce(a.paid_partnership_label, false), a.asset_id, a.brand, a.sku, a.body, a.title, a.description,
           p_now - make_interval(days => a.created_days_ago), p_now - make_interval(days => a.created_days_ago)
      from jsonb_to_recordset(p_data #> '{ads_creative,ads}') as a(id text, ad_set_id text, campaign_id text, name text, status text, queued boolean,
           format text, hook text, creator text, paid_partnership_label boolean, asset_id text, brand text, sku text, body text, title text,
           description text, created_days_ago integer);
    insert into sample_ad_daily (ad_id, day, impressions, reach, frequency_7d, link_clicks, spend, purchases, video_3s_views, thruplays)
    select i.ad_id, v_today - i.days_ago, i.impressions, i.reach, i.frequency_7d, i.link_clicks, i.spend, i.purchases, i.video_3s_views, i.thruplays
      from jsonb_to_recordset(p_data #> '{ads_creative,insights}') as i(ad_id text, days_ago integer, impressions integer, reach integer,
           frequency_7d numeric, link_clicks integer, spend numeric, purchases integer, video_3s_views integer, thruplays integer);
    insert into sample_creative_tests (id, name, ad_set_id, ad_ids, target_cpa, started_at)
    select t.id, t.name, t.ad_set_id, array(select jsonb_array_elements_text(t.ad_ids)), t.target_cpa, p_now - make_interval(days => t.started_days_ago)
      from jsonb_to_recordset(p_data #> '{ads_creative,creative_tests}') as t(id text, name text, ad_set_id text, ad_ids jsonb, target_cpa numeric,
           started_days_ago integer);
    insert into sample_creative_library (id, brand, format, name, tags, rights)
    select l.id, l.brand, l.format, l.name, array(select jsonb_array_elements_text(coalesce(l.tags, '[]'::jsonb))), l.rights
      from jsonb_to_recordset(p_data #> '{ads_creative,library}') as l(id text, brand text, format text, name text, tags jsonb, rights text);
    insert into sample_brand_guidelines (brand, voice, substantiated)
    select g.brand, g.voice, array(select jsonb_array_elements_text(coalesce(g.claims_file, '[]'::jsonb)))
      from jsonb_to_recordset(p_data #> '{ads_creative,brand_guidelines}') as g(brand text, voice text, claims_file jsonb);

    insert into sample_social_posts (id, platform, brand, format, pillar, hook, published_at, caption, permalink, reach, interactions, saves, shares, views)
    select p.id, p.platform, p.brand, p.format, p.pillar, p.hook,
           (v_today - p.days_ago)::timestamp at time zone 'UTC' + make_interval(hours => p.hour), p.caption, p.permalink,
           p.reach, p.interactions, p.saves, p.shares, p.views
      from jsonb_to_recordset(p_data #> '{social,posts}') as p(id text, platform text, brand text, format text, pillar text, hook text,
           days_ago integer, hour integer, caption text, permalink text, reach integer, interactions integer, saves integer, shares integer, views integer);
    insert into sample_social_comments (id, kind, platform, post_id, author, text, created_at)
    select c.id, c.kind, c.platform, c.post_id, c.author, c.text, p_now - make_interval(mins => c.minutes_ago)
      from jsonb_to_recordset(p_data #> '{social,comments}') as c(id text, kind text, platform text, post_id text, author text, text text,
           minutes_ago integer);
    insert into sample_social_launches (id, name, brand, starts_on, ends_on)
    select l.id, l.name, l.brand, v_today + l.starts_in_days, v_today + l.ends_in_days
      from jsonb_to_recordset(p_data #> '{social,launches}') as l(id text, name text, brand text, starts_in_days integer, ends_in_days integer);
    insert into sample_content_pillars (id, description)
    select p.id, p.description from jsonb_to_recordset(p_data #> '{social,pillars}') as p(id text, description text);

    insert into sample_content_calendar (id, title, brand, platform, scheduled_for, owner, status, sku, pillar)
    select e.id, e.title, e.brand, e.platform, v_today + e.in_days, e.owner, e.status, e.sku, e.pillar
      from jsonb_to_recordset(p_data #> '{social,calendar}') as e(id text, title text, brand text, platform text, in_days integer, owner text,
           status text, sku text, pillar text);
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Ads (sample Meta) --------------------------------------------------------------------------

create function sample_ads_list_ad_sets()
returns table (ad_set_id text, campaign_id text, name text, audience text, daily_budget numeric, brand text, status text, updated_at timestamptz)
language sql stable as $$
  select s.id, s.campaign_id, s.name, s.audience, s.daily_budget, s.brand, s.status, s.updated_at from sample_ad_sets s order by s.id;
$$;

create function sample_ads_list_ads()
returns table (ad_id text, ad_set_id text, campaign_id text, name text, status text, queued boolean, format text, hook text, creator text,
               paid_partnership_label boolean, asset_id text, brand text, sku text, body text, title text, description text,
               created_at timestamptz, updated_at timestamptz, paused_reason text)
language sql stable as $$
  select a.id, a.ad_set_id, a.campaign_id, a.name, a.status, a.queued, a.format, a.hook, a.creator, a.paid_partnership_label, a.asset_id,
         a.brand, a.sku, a.body, a.title, a.description, a.created_at, a.updated_at, a.paused_reason
    from sample_ads a order by a.id;
$$;

create function sample_ads_ad_insights(p_since date default null)
returns table (ad_id text, day date, impressions integer, reach integer, frequency_7d numeric, link_clicks integer, spend numeric,
               purchases integer, video_3s_views integer, thruplays integer)
language sql stable as $$
  select d.ad_id, d.day, d.impressions, d.reach, d.frequency_7d, d.link_clicks, d.spend, d.purchases, d.video_3s_views, d.thruplays
    from sample_ad_daily d where p_since is null or d.day >= p_since order by d.ad_id, d.day;
$$;

-- Set an ad's status once per idempotency key (pause a fatigued or losing ad, activate a queued
-- one). A repeat changes nothing and answers changed = false.
create function sample_ads_set_ad_status(p_idempotency_key text, p_ad_id text, p_status text, p_reason text default null)
returns table (ad_id text, status text, changed boolean)
language plpgsql as $$
declare
  v_changed boolean := false;
begin
  if p_status not in ('ACTIVE', 'PAUSED') then
    raise exception 'ad status must be ACTIVE or PAUSED, not %', p_status using errcode = 'invalid_parameter_value';
  end if;
  if not exists (select 1 from sample_ads a where a.id = p_ad_id) then
    raise exception 'sample ad % does not exist', p_ad_id using errcode = 'no_data_found';
  end if;
  insert into sample_ad_changes (idempotency_key, ad_id, action, detail)
  values (p_idempotency_key, p_ad_id, lower(p_status), jsonb_build_object('reason', p_reason))
  on conflict (idempotency_key) do nothing;
  if found then
    update sample_ads a set status = p_status, queued = case when p_status = 'ACTIVE' then false else a.queued end,
           paused_reason = case when p_status = 'PAUSED' then p_reason else null end, updated_at = now()
     where a.id = p_ad_id and a.status <> p_status;
    v_changed := found;
  end if;
  return query select a.id, a.status, v_changed from sample_ads a where a.id = p_ad_id;
end;
$$;

-- Create an ad (PAUSED, with its creative) once per idempotency key: a drafted replacement or
-- a compliant copy fix. A repeat returns the first ad with created = false.
create function sample_ads_create_ad(p_idempotency_key text, p_ad_set_id text, p_name text, p_body text, p_title text, p_asset_id text,
                                     p_format text, p_hook text default null, p_creator text default null,
                                     p_paid_partnership_label boolean default false, p_sku text default null)
returns table (ad_id text, created boolean)
language plpgsql as $$
declare
  v_set sample_ad_sets%rowtype;
  v_id text;
begin
  select * into v_set from sample_ad_sets s where s.id = p_ad_set_id;
  if not found then
    raise exception 'sample ad set % does not exist', p_ad_set_id using errcode = 'no_data_found';
  end if;
  select a.id into v_id from sample_ads a where a.created_by_key = p_idempotency_key;
  if v_id is not null then
    return query select v_id, false;
    return;
  end if;
  v_id := '2386' || lpad((floor(random() * 1e10))::bigint::text, 10, '0');
  insert into sample_ads (id, ad_set_id, campaign_id, name, status, queued, format, hook, creator, paid_partnership_label, asset_id, brand, sku,
                          body, title, created_at, updated_at, created_by_key)
  values (v_id, p_ad_set_id, v_set.campaign_id, p_name, 'PAUSED', true, p_format, p_hook, p_creator, p_paid_partnership_label, p_asset_id,
          v_set.brand, p_sku, p_body, p_title, now(), now(), p_idempotency_key);
  insert into sample_ad_changes (idempotency_key, ad_id, action, detail)
  values (p_idempotency_key, v_id, 'create', jsonb_build_object('name', p_name));
  return query select v_id, true;
end;
$$;

create function sample_ads_list_changes()
returns table (idempotency_key text, ad_id text, action text, detail jsonb, created_at timestamptz)
language sql stable as $$
  select c.idempotency_key, c.ad_id, c.action, c.detail, c.created_at from sample_ad_changes c order by c.id;
$$;

create function sample_ads_creative_tests()
returns table (test_id text, name text, ad_set_id text, ad_ids text[], target_cpa numeric, started_at timestamptz)
language sql stable as $$
  select t.id, t.name, t.ad_set_id, t.ad_ids, t.target_cpa, t.started_at from sample_creative_tests t order by t.id;
$$;

create function sample_ads_creative_library()
returns table (asset_id text, brand text, format text, name text, tags text[], rights text)
language sql stable as $$
  select l.id, l.brand, l.format, l.name, l.tags, l.rights from sample_creative_library l order by l.id;
$$;

create function sample_brand_guidelines()
returns table (brand text, voice text, substantiated text[])
language sql stable as $$
  select g.brand, g.voice, g.substantiated from sample_brand_guidelines g order by g.brand;
$$;

-- Organic social (sample IG / FB / TikTok / Pinterest) ---------------------------------------

create function sample_social_posts(p_since timestamptz default null)
returns table (post_id text, platform text, brand text, format text, pillar text, hook text, published_at timestamptz, caption text,
               permalink text, reach integer, interactions integer, saves integer, shares integer, views integer)
language sql stable as $$
  select p.id, p.platform, p.brand, p.format, p.pillar, p.hook, p.published_at, p.caption, p.permalink, p.reach, p.interactions,
         p.saves, p.shares, p.views
    from sample_social_posts p where p_since is null or p.published_at >= p_since order by p.published_at, p.id;
$$;

create function sample_social_comments(p_since timestamptz default null)
returns table (item_id text, kind text, platform text, post_id text, author text, text text, created_at timestamptz, hidden boolean,
               reply_text text, replied_at timestamptz)
language sql stable as $$
  select c.id, c.kind, c.platform, c.post_id, c.author, c.text, c.created_at, c.hidden, c.reply_text, c.replied_at
    from sample_social_comments c where p_since is null or c.created_at >= p_since order by c.created_at, c.id;
$$;

-- Hide a comment (never delete) once per key; changed = false when already hidden or repeated.
create function sample_social_hide_comment(p_idempotency_key text, p_item_id text)
returns table (item_id text, hidden boolean, changed boolean)
language plpgsql as $$
declare
  v_changed boolean := false;
  v_platform text;
begin
  select c.platform into v_platform from sample_social_comments c where c.id = p_item_id and c.kind = 'comment';
  if v_platform is null then
    raise exception 'sample comment % does not exist', p_item_id using errcode = 'no_data_found';
  end if;
  insert into sample_social_actions (idempotency_key, action, platform, target) values (p_idempotency_key, 'hide', v_platform, p_item_id)
  on conflict (idempotency_key) do nothing;
  if found then
    update sample_social_comments c set hidden = true where c.id = p_item_id and not c.hidden;
    v_changed := found;
  end if;
  return query select c.id, c.hidden, v_changed from sample_social_comments c where c.id = p_item_id;
end;
$$;

-- Reply to a comment or DM once per key; a repeat sends nothing (sent = false).
create function sample_social_reply(p_idempotency_key text, p_item_id text, p_text text)
returns table (item_id text, reply_id text, sent boolean)
language plpgsql as $$
declare
  v_platform text;
  v_action_id bigint;
begin
  select c.platform into v_platform from sample_social_comments c where c.id = p_item_id;
  if v_platform is null then
    raise exception 'sample comment or DM % does not exist', p_item_id using errcode = 'no_data_found';
  end if;
  insert into sample_social_actions (idempotency_key, action, platform, target, detail)
  values (p_idempotency_key, 'reply', v_platform, p_item_id, jsonb_build_object('text', p_text))
  on conflict (idempotency_key) do nothing returning id into v_action_id;
  if v_action_id is not null then
    update sample_social_comments c set reply_text = p_text, replied_at = now() where c.id = p_item_id;
    return query select p_item_id, 'R-' || v_action_id::text, true;
  else
    return query select p_item_id, 'R-' || a.id::text, false from sample_social_actions a where a.idempotency_key = p_idempotency_key;
  end if;
end;
$$;

-- Schedule (publish at its slot) one organic post once per key.
create function sample_social_publish(p_idempotency_key text, p_platform text, p_brand text, p_caption text, p_publish_at timestamptz,
                                      p_alt_text text default null, p_sku text default null)
returns table (post_id text, published boolean)
language plpgsql as $$
declare
  v_action_id bigint;
begin
  insert into sample_social_actions (idempotency_key, action, platform, target, detail)
  values (p_idempotency_key, 'publish', p_platform, p_brand,
          jsonb_build_object('caption', p_caption, 'publish_at', p_publish_at, 'alt_text', p_alt_text, 'sku', p_sku))
  on conflict (idempotency_key) do nothing returning id into v_action_id;
  if v_action_id is not null then
    return query select 'SCH-' || v_action_id::text, true;
  else
    return query select 'SCH-' || a.id::text, false from sample_social_actions a where a.idempotency_key = p_idempotency_key;
  end if;
end;
$$;

create function sample_social_actions()
returns table (idempotency_key text, action text, platform text, target text, detail jsonb, created_at timestamptz)
language sql stable as $$
  select a.idempotency_key, a.action, a.platform, a.target, a.detail, a.created_at from sample_social_actions a order by a.id;
$$;

create function sample_social_launches()
returns table (launch_id text, name text, brand text, starts_on date, ends_on date)
language sql stable as $$
  select l.id, l.name, l.brand, l.starts_on, l.ends_on from sample_social_launches l order by l.starts_on, l.id;
$$;

create function sample_content_pillars()
returns table (pillar_id text, description text)
language sql stable as $$
  select p.id, p.description from sample_content_pillars p order by p.id;
$$;

-- Brain: the content calendar ----------------------------------------------------------------

create function content_calendar_list(p_from date, p_to date)
returns table (entry_id text, title text, brand text, platform text, scheduled_for date, owner text, status text, sku text, pillar text,
               caption text, source text)
language sql stable as $$
  select * from (
    select e.id, e.title, e.brand, e.platform, e.scheduled_for, e.owner, e.status, e.sku, e.pillar, null::text, 'sample'::text
      from sample_content_calendar e where e.scheduled_for between p_from and p_to
    union all
    select e.id, e.title, e.brand, e.platform, e.scheduled_for, e.owner, e.status, e.sku, e.pillar, e.caption, e.source
      from content_calendar e where e.scheduled_for between p_from and p_to) entries
   order by 5, 1;
$$;

-- A post socialbot scheduled (an executed schedule_social_posts), once per key.
create function content_calendar_add(p_idempotency_key text, p_title text, p_brand text, p_platform text, p_scheduled_for date,
                                     p_caption text, p_sku text default null, p_pillar text default null)
returns table (entry_id text, created boolean)
language plpgsql as $$
declare
  v_id text;
begin
  select e.id into v_id from content_calendar e where e.idempotency_key = p_idempotency_key;
  if v_id is not null then
    return query select v_id, false;
    return;
  end if;
  v_id := 'CC-S' || substr(md5(p_idempotency_key), 1, 10);
  insert into content_calendar (id, title, brand, platform, scheduled_for, owner, status, sku, pillar, caption, idempotency_key, source)
  values (v_id, p_title, p_brand, p_platform, p_scheduled_for, 'socialbot', 'scheduled', p_sku, p_pillar, p_caption, p_idempotency_key, 'socialbot');
  return query select v_id, true;
end;
$$;

-- Brain: adsbot's brief triggers and the UGC library -----------------------------------------

create function record_ad_brief_trigger(p_kind text, p_ref text, p_brand text, p_ad_set_id text, p_detail jsonb, p_signal_id uuid default null)
returns table (trigger_id bigint, created boolean)
language plpgsql as $$
declare
  v_id bigint;
begin
  insert into ad_brief_triggers (kind, ref, brand, ad_set_id, detail, signal_id)
  values (p_kind, p_ref, p_brand, p_ad_set_id, coalesce(p_detail, '{}'::jsonb), p_signal_id)
  on conflict (kind, ref) do nothing returning id into v_id;
  if v_id is not null then
    return query select v_id, true;
  else
    return query select t.id, false from ad_brief_triggers t where t.kind = p_kind and t.ref = p_ref;
  end if;
end;
$$;

create function list_open_ad_brief_triggers()
returns table (trigger_id bigint, kind text, ref text, brand text, ad_set_id text, detail jsonb, created_at timestamptz)
language sql stable as $$
  select t.id, t.kind, t.ref, t.brand, t.ad_set_id, t.detail, t.created_at from ad_brief_triggers t where t.briefed_at is null order by t.id;
$$;

create function mark_ad_brief_triggers_briefed(p_trigger_ids bigint[])
returns integer
language sql as $$
  with done as (update ad_brief_triggers t set briefed_at = now() where t.id = any (p_trigger_ids) and t.briefed_at is null returning 1)
  select count(*)::integer from done;
$$;

create function record_ugc_asset(p_bot text, p_asset_id text, p_brand text, p_platform text, p_permalink text, p_rights_scope text[],
                                 p_expires_at timestamptz, p_signal_id uuid default null)
returns table (asset_id text, created boolean)
language plpgsql as $$
declare
  v_inserted boolean;
begin
  -- A redelivered or renewed grant updates the licence; `created` says whether the asset is new.
  insert into ugc_library as u (asset_id, bot, brand, platform, permalink, rights_scope, expires_at, signal_id)
  values (p_asset_id, p_bot, p_brand, p_platform, p_permalink, coalesce(p_rights_scope, '{}'), p_expires_at, p_signal_id)
  on conflict on constraint ugc_library_pkey do update
     set rights_scope = excluded.rights_scope, expires_at = excluded.expires_at, permalink = excluded.permalink
  returning (u.xmax = 0) into v_inserted;
  return query select p_asset_id, v_inserted;
end;
$$;

-- Rights-cleared UGC still inside its licence, newest first.
create function list_ugc_assets(p_bot text, p_at timestamptz default now())
returns table (asset_id text, brand text, platform text, permalink text, rights_scope text[], expires_at timestamptz, received_at timestamptz,
               used_at timestamptz)
language sql stable as $$
  select u.asset_id, u.brand, u.platform, u.permalink, u.rights_scope, u.expires_at, u.received_at, u.used_at from ugc_library u
   where u.bot = p_bot and (u.expires_at is null or u.expires_at > p_at) order by u.received_at desc, u.asset_id;
$$;

create function mark_ugc_asset_used(p_bot text, p_asset_id text)
returns void
language sql as $$
  update ugc_library u set used_at = coalesce(u.used_at, now()) where u.bot = p_bot and u.asset_id = p_asset_id;
$$;

-- Brain: learnings ---------------------------------------------------------------------------

create function record_creative_learning(p_bot text, p_source text, p_tag_kind text, p_tag_value text, p_verdict text, p_metric text,
                                         p_value numeric, p_n integer)
returns void
language sql as $$
  insert into creative_learnings (bot, source, tag_kind, tag_value, verdict, metric, value, n)
  values (p_bot, p_source, p_tag_kind, p_tag_value, p_verdict, p_metric, p_value, p_n)
  on conflict (bot, source, tag_kind, tag_value) do update
     set verdict = excluded.verdict, metric = excluded.metric, value = excluded.value, n = excluded.n, recorded_at = now();
$$;

create function list_creative_learnings(p_bot text default null)
returns table (bot text, source text, tag_kind text, tag_value text, verdict text, metric text, value numeric, n integer, recorded_at timestamptz)
language sql stable as $$
  select l.bot, l.source, l.tag_kind, l.tag_value, l.verdict, l.metric, l.value, l.n, l.recorded_at from creative_learnings l
   where p_bot is null or l.bot = p_bot order by l.recorded_at desc, l.bot, l.source, l.tag_kind, l.tag_value;
$$;

-- Brain: socialbot's inbox triage ------------------------------------------------------------

create function record_social_triage(p_items jsonb)
returns integer
language sql as $$
  with added as (
    insert into social_inbox_triage (item_id, platform, kind, category, negative, by_model, reply_draft)
    select i.item_id, i.platform, i.kind, i.category, i.negative, coalesce(i.by_model, false), i.reply_draft
      from jsonb_to_recordset(p_items) as i(item_id text, platform text, kind text, category text, negative boolean, by_model boolean,
           reply_draft text)
    on conflict (item_id) do nothing returning 1)
  select count(*)::integer from added;
$$;

create function list_social_triage(p_item_ids text[])
returns table (item_id text, platform text, kind text, category text, negative boolean, by_model boolean, reply_draft text, triaged_at timestamptz)
language sql stable as $$
  select t.item_id, t.platform, t.kind, t.category, t.negative, t.by_model, t.reply_draft, t.triaged_at from social_inbox_triage t
   where t.item_id = any (p_item_ids) order by t.item_id;
$$;

-- Commerce: the live price of each SKU (creative-compliance compares prices quoted in ad copy).
create function sample_commerce_prices()
returns table (sku text, price numeric)
language sql stable as $$
  select p.sku, p.price from sample_products p order by p.sku;
$$;
