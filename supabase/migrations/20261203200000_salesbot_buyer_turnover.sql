-- salesbot/buyer-turnover on the sample company: hard bounces on contacts (HubSpot's
-- hs_email_hard_bounce_reason_enum) and inbound emails with their text (auto-replies), from
-- salesbot-turnover.json. Planted: 2 bounced buyers that matter (Rosa Thornton, primary on an
-- open Cobblestone deal; Chloe Rossi at Northbound Outfitters, which ordered yesterday), one
-- "no longer with" auto-reply (Nora Brennan, Greenline), and two healthy look-alikes: a bounced
-- AP clerk at an account without recent orders who is no deal's primary contact, and an
-- out-of-office reply. Inbound emails live in their own table so the activity counts other
-- jobs read (rep-activity, quote-expiry replies) stay as they were.

alter table sample_contacts add column hard_bounce_reason text;
alter table sample_contacts add column hard_bounced_at timestamptz;

create table sample_inbound_emails (
  id text primary key,
  from_email text not null,
  deal_id text,
  subject text not null,
  body text not null,
  received_at timestamptz not null
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_sales_c;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
begin
  select * into v_result from sample_company_load_before_sales_c(p_data, p_reset, p_now);
  if v_result.loaded then
    truncate sample_inbound_emails;
    update sample_contacts c set hard_bounce_reason = b.reason, hard_bounced_at = p_now - make_interval(days => b.days_ago)
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_turnover,bounces}', '[]')) as b(contact_id text, reason text, days_ago integer)
     where c.id = b.contact_id;
    insert into sample_inbound_emails (id, from_email, deal_id, subject, body, received_at)
    select e.id, lower(e.from_email), e.deal_id, e.subject, e.body, p_now - make_interval(days => e.days_ago)
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_turnover,inbound_emails}', '[]'))
             as e(id text, from_email text, deal_id text, subject text, body text, days_ago integer);
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Contacts with a hard bounce (HubSpot: hs_email_hard_bounce_reason_enum has a value).
create function sample_crm_bounced_contacts()
returns table (contact_id text, company_id text, first_name text, last_name text, email text, title text, bounce_reason text, bounced_at timestamptz)
language sql stable as $$
  select c.id, c.account_id, c.first_name, c.last_name, c.email, c.title, c.hard_bounce_reason, c.hard_bounced_at
    from sample_contacts c where c.hard_bounce_reason is not null order by c.id;
$$;

-- Inbound emails received since an instant, with their text (HubSpot: emails with hs_email_direction = INCOMING_EMAIL).
create function sample_crm_inbound_emails(p_since timestamptz)
returns table (email_id text, from_email text, deal_id text, subject text, body text, received_at timestamptz)
language sql stable as $$
  select e.id, e.from_email, e.deal_id, e.subject, e.body, e.received_at from sample_inbound_emails e where e.received_at >= p_since order by e.received_at, e.id;
$$;
