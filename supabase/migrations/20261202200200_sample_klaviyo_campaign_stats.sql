-- mktgbot/klaviyo-campaign-recap on the sample company: sent campaigns carry recipients and the
-- deliverability rates Klaviyo's campaign values report gives (unsubscribe, spam complaint,
-- bounce); one campaign was sent yesterday at 0.34% spam complaints (klaviyo-campaign-stats.json).

alter table sample_klaviyo_campaigns
  add column recipients integer,
  add column unsubscribe_rate numeric(6, 5),
  add column spam_complaint_rate numeric(6, 5),
  add column bounce_rate numeric(6, 5);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_mktgbot_klaviyo_stats;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
begin
  select * into v_result from sample_company_load_before_mktgbot_klaviyo_stats(p_data, p_reset, p_now);
  if v_result.loaded then
    update sample_klaviyo_campaigns c
       set recipients = s.recipients, unsubscribe_rate = s.unsubscribe_rate, spam_complaint_rate = s.spam_complaint_rate, bounce_rate = s.bounce_rate
      from jsonb_to_recordset(coalesce(p_data #> '{klaviyo_campaign_stats,stats}', '[]'))
             as s(id text, recipients integer, unsubscribe_rate numeric, spam_complaint_rate numeric, bounce_rate numeric)
     where c.id = s.id;
    -- Sent at a local wall-clock time N days before the load, so "yesterday" holds wherever the company is loaded.
    insert into sample_klaviyo_campaigns (id, name, brand, send_at, status, channel, open_rate, click_rate, revenue, recipients,
                                          unsubscribe_rate, spam_complaint_rate, bounce_rate)
    select s.id, s.name, s.brand,
           (((p_now at time zone (s.send_local ->> 'zone'))::date - (s.send_local ->> 'days_ago')::integer + (s.send_local ->> 'time')::time)
              at time zone (s.send_local ->> 'zone')),
           'sent', coalesce(s.channel, 'email'), s.open_rate, s.click_rate, s.revenue, s.recipients, s.unsubscribe_rate, s.spam_complaint_rate, s.bounce_rate
      from jsonb_to_recordset(coalesce(p_data #> '{klaviyo_campaign_stats,sent_yesterday}', '[]')) as s(
             id text, name text, brand text, channel text, send_local jsonb, recipients integer, open_rate numeric, click_rate numeric,
             revenue numeric, unsubscribe_rate numeric, spam_complaint_rate numeric, bounce_rate numeric);
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Sent campaigns with their figures, newest first (the recap's yesterday and its trailing median).
create function sample_klaviyo_sent_campaigns(p_limit integer default 50)
returns table (campaign_id text, name text, brand text, channel text, send_at timestamptz, recipients integer, open_rate numeric, click_rate numeric,
               revenue numeric, unsubscribe_rate numeric, spam_complaint_rate numeric, bounce_rate numeric)
language sql stable as $$
  select c.id, c.name, c.brand, c.channel, c.send_at, c.recipients, c.open_rate, c.click_rate, c.revenue, c.unsubscribe_rate, c.spam_complaint_rate, c.bounce_rate
    from sample_klaviyo_campaigns c
   where c.status = 'sent'
   order by c.send_at desc, c.id
   limit p_limit;
$$;
