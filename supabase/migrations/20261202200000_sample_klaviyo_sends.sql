-- mktgbot/klaviyo-send-guard on the sample company: Klaviyo campaigns carry their channel,
-- message (subject, body) and audiences; two campaigns are scheduled inside the next 24 hours
-- (klaviyo-sends.json); unscheduling one (the `fix_or_unschedule_campaign` approval) happens
-- once per idempotency key and is visible in the campaign's status.

alter table sample_klaviyo_campaigns
  add column channel text not null default 'email' check (channel in ('email', 'sms')),
  add column subject text,
  add column body text,
  add column included_audiences jsonb not null default '[]',
  add column excluded_audiences jsonb not null default '[]';

-- What approvals did to campaigns. No foreign key to sample_klaviyo_campaigns, so the original
-- loader's TRUNCATE still runs; the unschedule function checks the campaign instead.
create table sample_klaviyo_campaign_actions (
  idempotency_key text primary key,
  campaign_id text not null,
  action text not null,
  previous_status text not null,
  reason text,
  applied_at timestamptz not null default now()
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_mktgbot_klaviyo;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
begin
  select * into v_result from sample_company_load_before_mktgbot_klaviyo(p_data, p_reset, p_now);
  if v_result.loaded then
    delete from sample_klaviyo_campaign_actions;
    -- A send in hours from the load, or at the next local wall-clock time in a zone (the SMS
    -- planted at 21:30 ET must be at 21:30 ET whenever the company is loaded).
    insert into sample_klaviyo_campaigns (id, name, brand, send_at, status, channel, subject, body, included_audiences, excluded_audiences)
    select s.id, s.name, s.brand,
           case
             when s.send_local is not null then (
               select case when local_send > p_now then local_send else local_send + interval '1 day' end
                 from (select (((p_now at time zone (s.send_local ->> 'zone'))::date + (s.send_local ->> 'time')::time)
                                 at time zone (s.send_local ->> 'zone')) as local_send) t)
             else p_now + make_interval(hours => coalesce(s.send_in_hours, 24))
           end,
           'scheduled', s.channel, s.subject, s.body, coalesce(s.included_audiences, '[]'), coalesce(s.excluded_audiences, '[]')
      from jsonb_to_recordset(coalesce(p_data #> '{klaviyo_sends,scheduled}', '[]')) as s(
             id text, name text, brand text, channel text, send_in_hours integer, send_local jsonb, subject text, body text,
             included_audiences jsonb, excluded_audiences jsonb);
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Campaigns with their messages and audiences, optionally of one status, by send time.
create function sample_klaviyo_campaign_messages(p_status text default null)
returns table (campaign_id text, name text, brand text, channel text, status text, send_at timestamptz, subject text, body text,
               included_audiences jsonb, excluded_audiences jsonb)
language sql stable as $$
  select c.id, c.name, c.brand, c.channel, c.status, c.send_at, c.subject, c.body, c.included_audiences, c.excluded_audiences
    from sample_klaviyo_campaigns c
   where p_status is null or c.status = p_status
   order by c.send_at, c.id;
$$;

-- Unschedule a scheduled campaign (Klaviyo sends it back to draft), once per idempotency key:
-- a repeat returns the first result with changed = false; a campaign not scheduled is left alone.
create function sample_klaviyo_unschedule_campaign(p_idempotency_key text, p_campaign_id text, p_reason text default null)
returns table (campaign_id text, status text, changed boolean)
language plpgsql as $$
declare
  v_status text;
begin
  select c.status into v_status from sample_klaviyo_campaigns c where c.id = p_campaign_id for update;
  if v_status is null then
    raise exception 'sample Klaviyo campaign % does not exist', p_campaign_id using errcode = 'no_data_found';
  end if;
  if exists (select 1 from sample_klaviyo_campaign_actions a where a.idempotency_key = p_idempotency_key) then
    return query select p_campaign_id, v_status, false;
    return;
  end if;
  insert into sample_klaviyo_campaign_actions (idempotency_key, campaign_id, action, previous_status, reason)
  values (p_idempotency_key, p_campaign_id, 'unschedule', v_status, p_reason);
  if v_status <> 'scheduled' then
    return query select p_campaign_id, v_status, false;
    return;
  end if;
  update sample_klaviyo_campaigns c set status = 'draft' where c.id = p_campaign_id;
  return query select p_campaign_id, 'draft'::text, true;
end;
$$;
