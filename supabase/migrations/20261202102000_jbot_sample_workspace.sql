-- The operator's workspace in the sample company (jbot's calendar-prep, inbox-triage and
-- meeting-followups): a Google-Calendar-shaped week, meeting notes, a Gmail-shaped inbox of
-- headers, and HubSpot-shaped meeting engagements (the sample CRM's, logged once per key).

create table sample_calendar_events (
  id text primary key,
  summary text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  time_zone text not null,
  location text,
  description text,
  -- [{email, name, organizer, self, response}]
  attendees jsonb not null,
  updated_at timestamptz not null
);

-- Notes the operator took on a meeting (Meet notes attached to the event).
create table sample_meeting_notes (
  event_id text primary key,
  text text not null
);

create table sample_inbox_messages (
  id text primary key,
  history_id bigint not null unique,
  thread_id text not null,
  from_email text not null,
  from_name text not null,
  to_addresses jsonb not null,
  subject text not null,
  snippet text not null,
  received_at timestamptz not null,
  labels jsonb not null,
  list_unsubscribe boolean not null default false
);

-- The mailbox itself: its address and the VIP domains that are not CRM accounts (auditors, board).
create table sample_mailbox (
  account text primary key,
  vip_domains jsonb not null
);

-- HubSpot-shaped meeting engagements: seeded ones and those meeting-followups logs (once per key).
create table sample_crm_meetings (
  id bigint generated always as identity primary key,
  idempotency_key text unique,
  contact_email text not null,
  deal_id text,
  title text not null,
  body text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  created_at timestamptz not null default now()
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_jbot_jobs2_workspace;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
begin
  select * into v_result from sample_company_load_before_jbot_jobs2_workspace(p_data, p_reset, p_now);
  if v_result.loaded then
    truncate sample_calendar_events, sample_meeting_notes, sample_inbox_messages, sample_mailbox, sample_crm_meetings, sample_sent_mail;
    -- An event's day is counted in its own zone, so "today at 10:00" is today in Portland whatever the UTC date.
    insert into sample_calendar_events (id, summary, starts_at, ends_at, time_zone, location, description, attendees, updated_at)
    select x.id, x.summary,
           (((p_now at time zone x.time_zone)::date + x.day_offset) + x.start::time) at time zone x.time_zone,
           (((p_now at time zone x.time_zone)::date + x.day_offset) + x.start::time + make_interval(mins => x.minutes)) at time zone x.time_zone,
           x.time_zone, x.location, nullif(x.description, ''), x.attendees, p_now - interval '2 days'
      from jsonb_to_recordset(p_data #> '{calendar,events}') as x(id text, summary text, day_offset integer, start text, minutes integer, time_zone text,
           location text, description text, attendees jsonb);
    insert into sample_meeting_notes (event_id, text)
    select x.event_id, x.text from jsonb_to_recordset(p_data #> '{calendar,meeting_notes}') as x(event_id text, text text);
    -- Meetings already logged in the CRM for today's events (at the event's time).
    insert into sample_crm_meetings (contact_email, deal_id, title, body, starts_at, ends_at)
    select lower(x.contact_email), null, x.title, x.body, e.starts_at, e.ends_at
      from jsonb_to_recordset(p_data #> '{calendar,logged_meetings}') as x(contact_email text, event_id text, title text, body text)
      join sample_calendar_events e on e.id = x.event_id;
    insert into sample_inbox_messages (id, history_id, thread_id, from_email, from_name, to_addresses, subject, snippet, received_at, labels, list_unsubscribe)
    select x.id, x.history_id, x.thread_id, lower(x.from_email), x.from_name, x."to", x.subject, x.snippet, p_now - make_interval(hours => x.received_hours_ago), x.labels,
           coalesce(x.list_unsubscribe, false)
      from jsonb_to_recordset(p_data #> '{gmail,messages}') as x(id text, history_id bigint, thread_id text, from_email text, from_name text, "to" jsonb, subject text,
           snippet text, received_hours_ago integer, labels jsonb, list_unsubscribe boolean);
    insert into sample_mailbox (account, vip_domains)
    select p_data #>> '{gmail,account}', coalesce(p_data #> '{gmail,vip_domains}', '[]'::jsonb) where p_data #>> '{gmail,account}' is not null;
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Events overlapping [p_from, p_to), with the operator's notes.
create function sample_calendar_list_events(p_from timestamptz, p_to timestamptz)
returns table (event_id text, summary text, starts_at timestamptz, ends_at timestamptz, time_zone text, location text, description text, attendees jsonb,
               notes text, updated_at timestamptz)
language sql stable as $$
  select e.id, e.summary, e.starts_at, e.ends_at, e.time_zone, e.location, e.description, e.attendees, n.text, e.updated_at
    from sample_calendar_events e left join sample_meeting_notes n on n.event_id = e.id
   where e.starts_at < p_to and e.ends_at > p_from
   order by e.starts_at, e.id;
$$;

-- Inbox messages after a history id; with none, those received in the last p_initial_hours.
create function sample_mail_list_new(p_after_history_id bigint default null, p_initial_hours integer default 72)
returns table (message_id text, history_id bigint, thread_id text, from_email text, from_name text, to_addresses jsonb, subject text, snippet text,
               received_at timestamptz, labels jsonb, list_unsubscribe boolean)
language sql stable as $$
  select m.id, m.history_id, m.thread_id, m.from_email, m.from_name, m.to_addresses, m.subject, m.snippet, m.received_at, m.labels, m.list_unsubscribe
    from sample_inbox_messages m
   where case when p_after_history_id is null then m.received_at >= now() - make_interval(hours => p_initial_hours) else m.history_id > p_after_history_id end
     and m.received_at <= now()
   order by m.history_id;
$$;

-- The mailbox's latest history id (0 for an empty one), as Gmail's profile gives it.
create function sample_mail_history_id()
returns table (history_id bigint)
language sql stable as $$
  select coalesce((select max(m.history_id) from sample_inbox_messages m where m.received_at <= now()), 0);
$$;

create function sample_mailbox_info()
returns table (account text, vip_domains jsonb)
language sql stable as $$
  select b.account, b.vip_domains from sample_mailbox b limit 1;
$$;

-- Deliver a message to the sample inbox (tests and the demo: "new mail arrived"), with the next history id.
create function sample_mail_deliver(p_id text, p_from_email text, p_from_name text, p_subject text, p_snippet text, p_list_unsubscribe boolean default false)
returns table (history_id bigint)
language sql as $$
  insert into sample_inbox_messages (id, history_id, thread_id, from_email, from_name, to_addresses, subject, snippet, received_at, labels, list_unsubscribe)
  select p_id, coalesce((select max(m.history_id) from sample_inbox_messages m), 0) + 1, p_id, lower(p_from_email), p_from_name,
         jsonb_build_array(coalesce((select b.account from sample_mailbox b limit 1), 'operator@example.com')), p_subject, p_snippet, now(),
         '["INBOX", "UNREAD"]'::jsonb, p_list_unsubscribe
  returning history_id;
$$;

-- Meeting engagements since p_since.
create function sample_crm_list_meetings(p_since timestamptz)
returns table (meeting_id text, contact_email text, deal_id text, title text, body text, starts_at timestamptz, ends_at timestamptz)
language sql stable as $$
  select 'sample-meeting-' || m.id, m.contact_email, m.deal_id, m.title, m.body, m.starts_at, m.ends_at
    from sample_crm_meetings m where m.starts_at >= p_since order by m.starts_at, m.id;
$$;

-- Log a meeting once per idempotency key (a repeat returns the first with created = false).
create function sample_crm_log_meeting(p_idempotency_key text, p_contact_email text, p_deal_id text, p_title text, p_body text, p_starts_at timestamptz, p_ends_at timestamptz)
returns table (meeting_id text, created boolean)
language plpgsql as $$
declare
  v_id bigint;
begin
  if not exists (select 1 from sample_contacts c where lower(c.email) = lower(p_contact_email)) then
    raise exception 'sample contact % does not exist', p_contact_email using errcode = 'no_data_found';
  end if;
  insert into sample_crm_meetings (idempotency_key, contact_email, deal_id, title, body, starts_at, ends_at)
  values (p_idempotency_key, lower(p_contact_email), p_deal_id, p_title, p_body, p_starts_at, p_ends_at)
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  if v_id is not null then
    return query select 'sample-meeting-' || v_id, true;
    return;
  end if;
  return query select 'sample-meeting-' || m.id, false from sample_crm_meetings m where m.idempotency_key = p_idempotency_key;
end
$$;
