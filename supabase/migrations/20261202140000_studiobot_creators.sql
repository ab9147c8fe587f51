-- studiobot: creators and UGC. Two brain tables the bot owns — the creator collaborations and the
-- UGC rights register (catalogue §10.6: one migration, state changes through SQL functions) — and
-- the sample company's creator world (Instagram candidates, tagged UGC, creators' posts, EasyPost
-- seeding trackers, attribution, where rights-held assets are used, the creator message outbox),
-- loaded from sample-data/creators.json by a wrapper around the current sample_company_load.

-- ── Brain tables ────────────────────────────────────────────────────────────────────────────

-- One collaboration: a creator, a brand, what they deliver, by when, and what they need for it.
create table creator_collaborations (
  collab_id text primary key,
  creator text not null,
  brand text not null,
  platform text not null default 'instagram',
  deliverable text not null,
  fee_usd numeric not null default 0 check (fee_usd >= 0),
  contract_signed boolean not null default false,
  discount_code text,
  utm_link text,
  required_tags text[] not null default '{}',
  -- The seeding parcel (EasyPost tracker): delivery is read from the carrier, not stored here.
  tracking_code text,
  carrier text,
  started_at timestamptz not null,
  post_due date,
  posted_media_id text,
  posted_url text,
  posted_at timestamptz,
  status text not null default 'active' check (status in ('active', 'completed', 'cancelled')),
  updated_at timestamptz not null default now()
);

-- The rights register: one asset per source post, requested → granted (with an expiry) or declined.
create table ugc_rights (
  asset_id text primary key,
  brand text not null,
  licensor text not null,
  platform text not null,
  source_media_id text not null unique,
  permalink text not null,
  media_type text,
  channels text[] not null default '{}',
  status text not null check (status in ('requested', 'granted', 'declined')),
  -- The approval key the request went out under (null for rights that came with the data).
  request_key text unique,
  requested_at timestamptz,
  granted_at timestamptz,
  expires_at timestamptz,
  renewal_requested_at timestamptz,
  updated_at timestamptz not null default now(),
  check (status <> 'granted' or (granted_at is not null and expires_at is not null))
);

create sequence ugc_asset_number;

-- Every collaboration, oldest first.
create function creator_collabs_list()
returns setof creator_collaborations
language sql stable as $$
  select * from creator_collaborations order by collab_id;
$$;

-- The creator's post for a collaboration was found live: recorded once (a later find does not move it).
create function creator_collab_record_post(p_collab_id text, p_media_id text, p_url text, p_posted_at timestamptz)
returns table (collab_id text, recorded boolean)
language plpgsql as $$
declare
  v_id text;
begin
  update creator_collaborations c
     set posted_media_id = p_media_id, posted_url = p_url, posted_at = p_posted_at, updated_at = now()
   where c.collab_id = p_collab_id and c.posted_media_id is null
  returning c.collab_id into v_id;
  if v_id is null and not exists (select 1 from creator_collaborations c where c.collab_id = p_collab_id) then
    raise exception 'creator collaboration % does not exist', p_collab_id using errcode = 'no_data_found';
  end if;
  return query select p_collab_id, v_id is not null;
end;
$$;

-- A new discount code for a collaboration (the old one leaked): the reminder that announces it sets it.
create function creator_collab_set_code(p_collab_id text, p_code text)
returns table (collab_id text, previous_code text, discount_code text)
language plpgsql as $$
declare
  v_previous text;
begin
  select c.discount_code into v_previous from creator_collaborations c where c.collab_id = p_collab_id for update;
  if not found then
    raise exception 'creator collaboration % does not exist', p_collab_id using errcode = 'no_data_found';
  end if;
  update creator_collaborations c set discount_code = p_code, updated_at = now() where c.collab_id = p_collab_id;
  return query select p_collab_id, v_previous, p_code;
end;
$$;

-- The whole register, assets first by expiry.
create function ugc_rights_list()
returns setof ugc_rights
language sql stable as $$
  select * from ugc_rights order by expires_at nulls last, asset_id;
$$;

-- A rights request went out for a post: recorded once per post (a repeat returns the first asset).
create function ugc_rights_record_request(
  p_source_media_id text, p_brand text, p_licensor text, p_platform text, p_permalink text,
  p_media_type text, p_channels text[], p_request_key text, p_now timestamptz default now())
returns table (asset_id text, created boolean)
language plpgsql as $$
declare
  v_asset text;
begin
  insert into ugc_rights (asset_id, brand, licensor, platform, source_media_id, permalink, media_type, channels, status, request_key, requested_at)
  values ('UGC-R' || lpad(nextval('ugc_asset_number')::text, 4, '0'), p_brand, p_licensor, p_platform, p_source_media_id, p_permalink,
          p_media_type, p_channels, 'requested', p_request_key, p_now)
  on conflict (source_media_id) do nothing
  returning ugc_rights.asset_id into v_asset;
  if v_asset is not null then
    return query select v_asset, true;
  else
    return query select r.asset_id, false from ugc_rights r where r.source_media_id = p_source_media_id;
  end if;
end;
$$;

-- The licensor said yes: a requested asset becomes granted for p_term_days. Only a requested
-- asset moves, so a redelivered reply changes nothing (granted = false).
create function ugc_rights_grant(p_asset_id text, p_granted_at timestamptz, p_term_days integer)
returns table (asset_id text, granted boolean, expires_at timestamptz)
language plpgsql as $$
declare
  v_expires timestamptz;
begin
  if p_term_days < 1 then
    raise exception 'a rights term must be at least one day (got %)', p_term_days using errcode = 'invalid_parameter_value';
  end if;
  update ugc_rights r
     set status = 'granted', granted_at = p_granted_at, expires_at = p_granted_at + make_interval(days => p_term_days), updated_at = now()
   where r.asset_id = p_asset_id and r.status = 'requested'
  returning r.expires_at into v_expires;
  if v_expires is not null then
    return query select p_asset_id, true, v_expires;
  else
    return query select r.asset_id, false, r.expires_at from ugc_rights r where r.asset_id = p_asset_id;
  end if;
end;
$$;

-- A renewal was asked for (the approval that asked it executed): stamped once.
create function ugc_rights_record_renewal(p_asset_id text, p_now timestamptz default now())
returns table (asset_id text, renewal_requested_at timestamptz)
language sql as $$
  update ugc_rights r set renewal_requested_at = coalesce(r.renewal_requested_at, p_now), updated_at = now()
   where r.asset_id = p_asset_id
  returning r.asset_id, r.renewal_requested_at;
$$;

-- ── The sample company's creator world ─────────────────────────────────────────────────────

-- Instagram accounts the discovery job can look up (business_discovery-shaped, last 12 posts).
create table sample_ig_candidates (
  username text primary key,
  brand text not null,
  biography text not null,
  followers_count integer not null,
  followers_7d_ago integer not null,
  media_count integer not null,
  -- [{like_count, comments_count, caption, timestamp}] newest first
  posts jsonb not null
);

-- Media that tags or mentions our brands (the /tags edge, mentions webhooks).
create table sample_ugc_posts (
  media_id text primary key,
  username text not null,
  brand text not null,
  source text not null,
  media_type text not null,
  caption text not null,
  permalink text not null,
  like_count integer not null,
  comments_count integer not null,
  poster_median_engagement integer not null,
  is_public boolean not null,
  products text[] not null,
  posted_at timestamptz not null
);

-- Creators' own posts (business_discovery media of collaborating creators).
create table sample_creator_media (
  media_id text primary key,
  username text not null,
  caption text not null,
  permalink text not null,
  like_count integer not null,
  comments_count integer not null,
  posted_at timestamptz not null
);

-- EasyPost-shaped trackers of the seeding parcels.
create table sample_seeding_trackers (
  tracking_code text primary key,
  carrier text not null,
  status text not null,
  shipped_at timestamptz,
  delivered_at timestamptz,
  updated_at timestamptz not null
);

-- What each creator drove: orders on their code, new customers, revenue, UTM sessions.
create table sample_creator_attribution (
  collab_id text primary key,
  code text not null,
  orders integer not null,
  new_customers integer not null,
  revenue_usd numeric not null,
  utm_sessions integer not null
);

-- Where rights-held assets are used: ads, product media, scheduled posts.
create table sample_asset_usage (
  asset_id text not null,
  kind text not null check (kind in ('meta_ad', 'product_media', 'scheduled_post')),
  ref_id text not null,
  status text not null,
  paused_by text,
  primary key (asset_id, kind, ref_id)
);

-- Everything sent to creators (DMs, comment replies): exactly once per idempotency key.
create table sample_creator_messages (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  recipient text not null,
  channel text not null check (channel in ('dm', 'comment_reply')),
  kind text not null,
  media_id text,
  body text not null,
  sent_at timestamptz not null default now()
);

-- The licensors' answers to rights requests, as the sample company's creators would reply.
create table sample_rights_replies (
  media_id text primary key,
  username text not null,
  text text not null
);

create function sample_creators_candidates(p_usernames text[] default null)
returns setof sample_ig_candidates
language sql stable as $$
  select * from sample_ig_candidates where p_usernames is null or username = any(p_usernames) order by brand, username;
$$;

create function sample_creators_ugc_posts(p_since timestamptz)
returns setof sample_ugc_posts
language sql stable as $$
  select * from sample_ugc_posts where posted_at >= p_since order by posted_at desc, media_id;
$$;

create function sample_creators_media(p_usernames text[], p_since timestamptz)
returns setof sample_creator_media
language sql stable as $$
  select * from sample_creator_media where username = any(p_usernames) and posted_at >= p_since order by posted_at desc;
$$;

create function sample_seeding_trackers_list(p_tracking_codes text[])
returns setof sample_seeding_trackers
language sql stable as $$
  select * from sample_seeding_trackers where tracking_code = any(p_tracking_codes) order by tracking_code;
$$;

create function sample_creators_attribution()
returns setof sample_creator_attribution
language sql stable as $$
  select * from sample_creator_attribution order by collab_id;
$$;

create function sample_assets_usage(p_asset_ids text[])
returns setof sample_asset_usage
language sql stable as $$
  select * from sample_asset_usage where asset_id = any(p_asset_ids) order by asset_id, kind, ref_id;
$$;

-- Pause every live use of an asset (an approved renew_or_pause_asset): once per key; a repeat pauses nothing.
create function sample_assets_pause(p_idempotency_key text, p_asset_id text)
returns table (kind text, ref_id text, paused boolean)
language sql as $$
  update sample_asset_usage u set status = 'paused', paused_by = p_idempotency_key
   where u.asset_id = p_asset_id and u.status in ('live', 'scheduled')
  returning u.kind, u.ref_id, true;
$$;

-- Send a creator message once per key; a repeat returns the first with created = false.
create function sample_creators_send_message(p_idempotency_key text, p_recipient text, p_channel text, p_kind text, p_media_id text, p_body text)
returns table (message_id bigint, created boolean)
language plpgsql as $$
declare
  v_id bigint;
begin
  insert into sample_creator_messages (idempotency_key, recipient, channel, kind, media_id, body)
  values (p_idempotency_key, p_recipient, p_channel, p_kind, p_media_id, p_body)
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  if v_id is not null then
    return query select v_id, true;
  else
    return query select m.id, false from sample_creator_messages m where m.idempotency_key = p_idempotency_key;
  end if;
end;
$$;

create function sample_creators_list_messages()
returns setof sample_creator_messages
language sql stable as $$
  select * from sample_creator_messages order by id;
$$;

-- Replies on posts we asked rights for: only for media a request was actually sent on.
create function sample_creators_rights_replies(p_media_ids text[])
returns table (media_id text, username text, text text, replied_at timestamptz)
language sql stable as $$
  select r.media_id, r.username, r.text, m.sent_at + interval '2 hours'
    from sample_rights_replies r
    join sample_creator_messages m on m.media_id = r.media_id and m.kind = 'rights_request'
   where r.media_id = any(p_media_ids);
$$;

-- ── The loader ─────────────────────────────────────────────────────────────────────────────

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_studiobot;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  v_today date := (p_now at time zone 'UTC')::date;
begin
  select * into v_result from sample_company_load_before_studiobot(p_data, p_reset, p_now);
  if v_result.loaded then
    delete from sample_ig_candidates;
    delete from sample_ugc_posts;
    delete from sample_creator_media;
    delete from sample_seeding_trackers;
    delete from sample_creator_attribution;
    delete from sample_asset_usage;
    delete from sample_creator_messages;
    delete from sample_rights_replies;
    -- The sample company owns the register and the collaborations in local mode.
    delete from ugc_rights;
    delete from creator_collaborations;

    insert into sample_ig_candidates (username, brand, biography, followers_count, followers_7d_ago, media_count, posts)
    select c.username, c.brand, c.biography, c.followers_count, c.followers_7d_ago, c.media_count,
           (select coalesce(jsonb_agg(jsonb_build_object('like_count', p.like_count, 'comments_count', p.comments_count, 'caption', p.caption,
                    'timestamp', p_now - make_interval(days => p.days_ago)) order by p.days_ago), '[]'::jsonb)
              from jsonb_to_recordset(c.posts) as p(days_ago integer, like_count integer, comments_count integer, caption text))
      from jsonb_to_recordset(p_data #> '{creators,candidates}')
        as c(username text, brand text, biography text, followers_count integer, followers_7d_ago integer, media_count integer, posts jsonb);

    insert into sample_ugc_posts (media_id, username, brand, source, media_type, caption, permalink, like_count, comments_count,
                                  poster_median_engagement, is_public, products, posted_at)
    select u.media_id, u.username, u.brand, u.source, u.media_type, u.caption, u.permalink, u.like_count, u.comments_count,
           u.poster_median_engagement, u.public, array(select jsonb_array_elements_text(u.products)), p_now - make_interval(days => u.days_ago, hours => 3)
      from jsonb_to_recordset(p_data #> '{creators,ugc_posts}')
        as u(media_id text, username text, brand text, source text, media_type text, caption text, permalink text, like_count integer,
             comments_count integer, poster_median_engagement integer, public boolean, products jsonb, days_ago integer);

    -- The strong public posts' owners say yes once asked (the sample's licensors are agreeable).
    insert into sample_rights_replies (media_id, username, text)
    select u.media_id, u.username, 'Yes! #YesHarborPine'
      from sample_ugc_posts u where u.is_public and u.like_count + u.comments_count >= u.poster_median_engagement;

    insert into sample_creator_media (media_id, username, caption, permalink, like_count, comments_count, posted_at)
    select m.media_id, m.username, m.caption, m.permalink, m.like_count, m.comments_count, p_now - make_interval(days => m.days_ago, hours => 5)
      from jsonb_to_recordset(p_data #> '{creators,creator_posts}')
        as m(media_id text, username text, caption text, permalink text, like_count integer, comments_count integer, days_ago integer);

    insert into creator_collaborations (collab_id, creator, brand, deliverable, fee_usd, contract_signed, discount_code, utm_link, required_tags,
                                        tracking_code, carrier, started_at, post_due, posted_media_id, posted_url, posted_at)
    select c.collab_id, c.creator, c.brand, c.deliverable, c.fee_usd, c.contract_signed, c.discount_code, c.utm_link,
           array(select jsonb_array_elements_text(c.required_tags)), c.tracking_code, c.carrier,
           p_now - make_interval(days => c.started_days_ago), v_today + c.post_due_in_days,
           m.media_id, m.permalink, m.posted_at
      from jsonb_to_recordset(p_data #> '{creators,collaborations}')
        as c(collab_id text, creator text, brand text, deliverable text, fee_usd numeric, contract_signed boolean, discount_code text,
             utm_link text, required_tags jsonb, tracking_code text, carrier text, started_days_ago integer, post_due_in_days integer,
             posted_media_id text)
      left join sample_creator_media m on m.media_id = c.posted_media_id;

    insert into sample_seeding_trackers (tracking_code, carrier, status, shipped_at, delivered_at, updated_at)
    select c.tracking_code, c.carrier, case when c.delivered_days_ago is null then 'in_transit' else 'delivered' end,
           p_now - make_interval(days => c.shipped_days_ago), p_now - make_interval(days => c.delivered_days_ago, hours => 4),
           p_now - make_interval(days => coalesce(c.delivered_days_ago, 0), hours => 4)
      from jsonb_to_recordset(p_data #> '{creators,collaborations}')
        as c(tracking_code text, carrier text, shipped_days_ago integer, delivered_days_ago integer)
     where c.tracking_code is not null;

    insert into sample_creator_attribution (collab_id, code, orders, new_customers, revenue_usd, utm_sessions)
    select a.collab_id, a.code, a.orders, a.new_customers, a.revenue_usd, a.utm_sessions
      from jsonb_to_recordset(p_data #> '{creators,attribution}')
        as a(collab_id text, code text, orders integer, new_customers integer, revenue_usd numeric, utm_sessions integer);

    insert into ugc_rights (asset_id, brand, licensor, platform, source_media_id, permalink, media_type, channels, status,
                            requested_at, granted_at, expires_at)
    select r.asset_id, r.brand, r.licensor, r.platform, r.source_media_id, r.permalink, r.media_type,
           array(select jsonb_array_elements_text(r.channels)), r.status,
           p_now - make_interval(days => coalesce(r.requested_days_ago, r.granted_days_ago + 2)),
           p_now - make_interval(days => r.granted_days_ago),
           p_now + make_interval(days => r.expires_in_days)
      from jsonb_to_recordset(p_data #> '{creators,rights}')
        as r(asset_id text, brand text, licensor text, platform text, source_media_id text, permalink text, media_type text, channels jsonb,
             status text, requested_days_ago integer, granted_days_ago integer, expires_in_days integer);

    insert into sample_asset_usage (asset_id, kind, ref_id, status)
    select u.asset_id, u.kind, u.ref_id, u.status
      from jsonb_to_recordset(p_data #> '{creators,asset_usage}') as u(asset_id text, kind text, ref_id text, status text);
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;
