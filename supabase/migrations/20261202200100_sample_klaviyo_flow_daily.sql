-- mktgbot/klaviyo-flow-health on the sample company: 60 days of daily flow sends (recipients,
-- revenue, opens, clicks, conversions, unsubscribes, spam complaints) generated from each flow's
-- 30-day totals, with the planted stall of klaviyo-flow-daily.json (Browse Abandonment at 0
-- recipients for the last 3 days), and the report the connector reads.

create table sample_klaviyo_flow_daily (
  flow_id text not null,
  day date not null,
  recipients integer not null,
  revenue numeric(12, 2) not null,
  opens integer not null,
  clicks integer not null,
  conversions integer not null,
  unsubscribes integer not null,
  spam_complaints integer not null,
  primary key (flow_id, day)
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_mktgbot_klaviyo_flows;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  v_days integer := coalesce((p_data #>> '{klaviyo_flow_daily,days}')::integer, 60);
  v_defaults jsonb := coalesce(p_data #> '{klaviyo_flow_daily,defaults}', '{}');
  v_yesterday date := (p_now at time zone 'UTC')::date - 1;
begin
  select * into v_result from sample_company_load_before_mktgbot_klaviyo_flows(p_data, p_reset, p_now);
  if v_result.loaded then
    delete from sample_klaviyo_flow_daily;
    -- Day d (0 = yesterday): the 30-day mean with a ±10% weekly wobble, revenue at the flow's
    -- revenue per recipient; deterministic so tests can count on it.
    insert into sample_klaviyo_flow_daily (flow_id, day, recipients, revenue, opens, clicks, conversions, unsubscribes, spam_complaints)
    select f.id, v_yesterday - d, r.recipients,
           round(r.recipients * coalesce(f.revenue_30d / nullif(f.recipients_30d, 0), 0), 2),
           round(r.recipients * coalesce(f.open_rate, 0))::integer,
           round(r.recipients * coalesce(f.click_rate, 0))::integer,
           round(r.recipients * coalesce((v_defaults ->> 'conversion_rate')::numeric, 0.02))::integer,
           round(r.recipients * coalesce((v_defaults ->> 'unsubscribe_rate')::numeric, 0.002))::integer,
           round(r.recipients * coalesce((v_defaults ->> 'spam_complaint_rate')::numeric, 0.00004))::integer
      from sample_klaviyo_flows f
      cross join generate_series(0, v_days - 1) as d
      cross join lateral (
        select case
                 when exists (select 1 from jsonb_to_recordset(coalesce(p_data #> '{klaviyo_flow_daily,stalled}', '[]')) as s(flow_id text, days integer)
                               where s.flow_id = f.id and d < s.days) then 0
                 else round(coalesce(f.recipients_30d, 0) / 30.0 * (1 + 0.1 * sin(d * 0.9 + length(f.id))))::integer
               end as recipients) r;
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Each flow's daily sends over [p_start, p_end), oldest first, with the flow's name, status and trigger.
create function sample_klaviyo_flow_daily_report(p_start date, p_end date)
returns table (flow_id text, name text, status text, trigger text, day date, recipients integer, revenue numeric, opens integer, clicks integer,
               conversions integer, unsubscribes integer, spam_complaints integer)
language sql stable as $$
  select f.id, f.name, f.status, f.trigger, d.day, d.recipients, d.revenue, d.opens, d.clicks, d.conversions, d.unsubscribes, d.spam_complaints
    from sample_klaviyo_flows f
    join sample_klaviyo_flow_daily d on d.flow_id = f.id
   where d.day >= p_start and d.day < p_end
   order by f.name, d.day;
$$;
