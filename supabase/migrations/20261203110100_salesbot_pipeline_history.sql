-- salesbot/sales-eod and weekly-forecast on the sample company: the pipeline's stage
-- probabilities (HubSpot pipelines API), the quarter's new-bookings goal (HubSpot goal_targets)
-- and each deal's property history (HubSpot propertiesWithHistory: dealstage, amount, closedate),
-- from salesbot-pipeline.json. Two planted deals slip out of the current quarter: their close
-- date moves to the next quarter here, relative to the load's quarter, so the case holds on any day.

create table sample_deal_stages (
  id text primary key,
  label text not null,
  probability numeric(4, 3) not null,
  display_order integer not null
);

create table sample_goal_targets (
  id text primary key,
  name text not null,
  target numeric(14, 2) not null,
  starts_on date not null,
  ends_on date not null
);

-- No foreign key to sample_deals, so the base loader's TRUNCATE still runs.
create table sample_deal_history (
  id bigint generated always as identity primary key,
  deal_id text not null,
  property text not null,
  value text,
  changed_at timestamptz not null
);
create index sample_deal_history_changed on sample_deal_history (changed_at);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_sales_b_pipeline;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  v_quarter_start date := date_trunc('quarter', p_now at time zone 'UTC')::date;
  v_quarter_end date := (date_trunc('quarter', p_now at time zone 'UTC') + interval '3 months' - interval '1 day')::date;
  v_today date := (p_now at time zone 'UTC')::date;
begin
  select * into v_result from sample_company_load_before_sales_b_pipeline(p_data, p_reset, p_now);
  if v_result.loaded then
    truncate sample_deal_stages, sample_goal_targets, sample_deal_history;
    insert into sample_deal_stages (id, label, probability, display_order)
    select s.id, s.label, s.probability, s.display_order
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_pipeline,stages}', '[]')) as s(id text, label text, probability numeric, display_order integer);
    insert into sample_goal_targets (id, name, target, starts_on, ends_on)
    select g.id, g.name, g.target, (v_quarter_start + make_interval(months => 3 * g.quarter_offset))::date,
           (v_quarter_start + make_interval(months => 3 * g.quarter_offset + 3) - interval '1 day')::date
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_pipeline,goals}', '[]')) as g(id text, name text, target numeric, quarter_offset integer);
    -- The slipped deals: now closing in the next quarter; 3 days ago they were due at this quarter's end.
    update sample_deals d set close_date = v_quarter_end + x.days_after_quarter
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_pipeline,slipped}', '[]')) as x(deal_id text, days_after_quarter integer, days_ago integer)
     where d.id = x.deal_id;
    insert into sample_deal_history (deal_id, property, value, changed_at)
    select h.deal_id, h.property,
           case
             when h.value_rule = 'current' then (select d.close_date::text from sample_deals d where d.id = h.deal_id)
             when h.value_rule like 'close_in_days:%' then (v_today + split_part(h.value_rule, ':', 2)::integer)::text
             else h.value
           end,
           p_now - make_interval(days => coalesce(h.days_ago, 0), hours => coalesce(h.hours_ago, 0), mins => coalesce(h.minutes_ago, 0))
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_pipeline,history}', '[]'))
             as h(deal_id text, property text, value text, value_rule text, days_ago integer, hours_ago integer, minutes_ago integer);
    insert into sample_deal_history (deal_id, property, value, changed_at)
    select x.deal_id, 'closedate', greatest(v_quarter_end - 10, v_today)::text, d.created_at
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_pipeline,slipped}', '[]')) as x(deal_id text, days_after_quarter integer, days_ago integer)
      join sample_deals d on d.id = x.deal_id
    union all
    select x.deal_id, 'closedate', d.close_date::text, p_now - make_interval(days => x.days_ago)
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_pipeline,slipped}', '[]')) as x(deal_id text, days_after_quarter integer, days_ago integer)
      join sample_deals d on d.id = x.deal_id;
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Property changes since an instant, oldest first, each with the value it replaced.
create function sample_crm_deal_history(p_since timestamptz)
returns table (deal_id text, property text, value text, previous_value text, changed_at timestamptz)
language sql stable as $$
  select h.deal_id, h.property, h.value,
         (select p.value from sample_deal_history p
           where p.deal_id = h.deal_id and p.property = h.property and (p.changed_at, p.id) < (h.changed_at, h.id)
           order by p.changed_at desc, p.id desc limit 1),
         h.changed_at
    from sample_deal_history h
   where h.changed_at >= p_since
   order by h.changed_at, h.id;
$$;

-- The deal pipeline's stages with their win probabilities.
create function sample_crm_deal_stages()
returns table (stage_id text, label text, probability numeric, display_order integer)
language sql stable as $$
  select s.id, s.label, s.probability, s.display_order from sample_deal_stages s order by s.display_order;
$$;

-- Revenue goals (HubSpot goal_targets).
create function sample_crm_goal_targets()
returns table (goal_id text, name text, target numeric, starts_on date, ends_on date)
language sql stable as $$
  select g.id, g.name, g.target, g.starts_on, g.ends_on from sample_goal_targets g order by g.starts_on, g.id;
$$;
