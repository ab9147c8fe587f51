-- salesbot/deal-hygiene on the sample company: the deal fields its rules read (next step,
-- closed-lost reason), HubSpot-style tasks the `create_hygiene_tasks` approval creates (once per
-- idempotency key), and a loader that fills the new fields from the data files.

alter table sample_deals
  add column next_step text,
  add column closed_lost_reason text;

-- Tasks for deal owners (HubSpot: a task associated with the deal). No foreign keys to
-- sample_deals or sample_owners, so the original loader's TRUNCATE still runs; the create
-- function checks the deal and owner instead.
create table sample_tasks (
  id bigint generated always as identity primary key,
  -- Null for tasks that came with the data; unique so an approval's task exists once.
  idempotency_key text unique,
  deal_id text not null,
  owner_id text,
  subject text not null,
  body text not null,
  status text not null default 'NOT_STARTED',
  due_at timestamptz not null,
  created_at timestamptz not null default now()
);

-- The original loader stays as it is under another name; the loader wraps it, so one call (one
-- transaction, the same advisory lock) loads deals and their hygiene fields together.
alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_base;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
begin
  select * into v_result from sample_company_load_base(p_data, p_reset, p_now);
  if v_result.loaded then
    delete from sample_tasks;
    update sample_deals d
       set next_step = nullif(x.next_step, ''), closed_lost_reason = nullif(x.closed_lost_reason, '')
      from jsonb_to_recordset(p_data #> '{hubspot,deals}') as x(id text, next_step text, closed_lost_reason text)
     where d.id = x.id;
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Deals as before, plus next step and closed-lost reason.
drop function sample_crm_list_deals();
create function sample_crm_list_deals()
returns table (deal_id text, name text, stage text, amount numeric, owner_id text, owner_name text, owner_email text,
               account_id text, account_name text, contact_id text, contact_name text, contact_email text, brand text,
               created_at timestamptz, close_date date, closed_at timestamptz, last_activity_at timestamptz, properties jsonb, updated_at timestamptz,
               next_step text, closed_lost_reason text)
language sql stable as $$
  select d.id, d.name, d.stage, d.amount, d.owner_id, o.first_name || ' ' || o.last_name, o.email,
         d.account_id, a.name, d.contact_id, c.first_name || ' ' || c.last_name, c.email, d.brand,
         d.created_at, d.close_date, d.closed_at, d.last_activity_at, d.properties, d.updated_at,
         d.next_step, d.closed_lost_reason
    from sample_deals d
    join sample_accounts a on a.id = d.account_id
    left join sample_owners o on o.id = d.owner_id
    left join sample_contacts c on c.id = d.contact_id
   order by d.created_at desc;
$$;

-- Create a task on a deal, exactly once per idempotency key. A repeat returns the first task
-- with created = false.
create function sample_crm_create_task(p_idempotency_key text, p_deal_id text, p_owner_id text, p_subject text, p_body text, p_due_at timestamptz)
returns table (task_id bigint, created boolean)
language plpgsql as $$
declare
  v_id bigint;
begin
  if not exists (select 1 from sample_deals d where d.id = p_deal_id) then
    raise exception 'sample deal % does not exist', p_deal_id using errcode = 'no_data_found';
  end if;
  if p_owner_id is not null and not exists (select 1 from sample_owners o where o.id = p_owner_id) then
    raise exception 'sample owner % does not exist', p_owner_id using errcode = 'no_data_found';
  end if;
  insert into sample_tasks (idempotency_key, deal_id, owner_id, subject, body, due_at)
  values (p_idempotency_key, p_deal_id, p_owner_id, p_subject, p_body, p_due_at)
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  if v_id is not null then
    return query select v_id, true;
  else
    return query select t.id, false from sample_tasks t where t.idempotency_key = p_idempotency_key;
  end if;
end;
$$;

-- Tasks (newest first), for the CLI and tests.
create function sample_crm_list_tasks(p_deal_id text default null)
returns table (task_id bigint, idempotency_key text, deal_id text, owner_id text, subject text, body text, status text, due_at timestamptz, created_at timestamptz)
language sql stable as $$
  select t.id, t.idempotency_key, t.deal_id, t.owner_id, t.subject, t.body, t.status, t.due_at, t.created_at from sample_tasks t
   where p_deal_id is null or t.deal_id = p_deal_id order by t.id desc;
$$;
