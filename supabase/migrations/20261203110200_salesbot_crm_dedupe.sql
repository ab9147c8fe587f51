-- salesbot/crm-dedupe on the sample company: when each company and contact was created, the
-- records created today (salesbot-crm-new.json, two of them duplicate companies and one a
-- duplicate contact), search by creation time / domain / state / email domain, and the merge the
-- `merge_crm_records` approval makes — once per idempotency key, like HubSpot's v3 merge.

-- Existing records were created long ago (the HubSpot import); new ones carry their own time.
alter table sample_accounts add column created_at timestamptz not null default '2024-01-15T17:00:00Z';
alter table sample_contacts add column created_at timestamptz not null default '2024-01-15T17:00:00Z';

create table sample_crm_merges (
  idempotency_key text primary key,
  object_type text not null check (object_type in ('companies', 'contacts')),
  primary_id text not null,
  merged_id text not null,
  merged_at timestamptz not null default now()
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_sales_b_dedupe;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
begin
  select * into v_result from sample_company_load_before_sales_b_dedupe(p_data, p_reset, p_now);
  if v_result.loaded then
    truncate sample_crm_merges;
    insert into sample_accounts (id, name, domain, city, state, country, segment, owner_id, created_at)
    select c.id, c.name, c.domain, c.city, c.state, c.country, c.segment, null, p_now - make_interval(mins => c.minutes_ago)
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_crm_new,companies}', '[]'))
             as c(id text, name text, domain text, city text, state text, country text, segment text, minutes_ago integer);
    insert into sample_contacts (id, account_id, first_name, last_name, email, title, created_at)
    select c.id, c.account_id, c.first_name, c.last_name, c.email, c.title, p_now - make_interval(mins => c.minutes_ago)
      from jsonb_to_recordset(coalesce(p_data #> '{salesbot_crm_new,contacts}', '[]'))
             as c(id text, account_id text, first_name text, last_name text, email text, title text, minutes_ago integer);
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- Companies created since an instant, or sharing a domain, or in a state (OR-ed, as HubSpot filter groups).
create function sample_crm_search_companies(p_created_since timestamptz default null, p_domain text default null, p_state text default null)
returns table (company_id text, name text, domain text, city text, state text, segment text, owner_id text, owner_name text,
               properties jsonb, contacts integer, deals integer, created_at timestamptz)
language sql stable as $$
  select a.id, a.name, a.domain, a.city, a.state, a.segment, a.owner_id, o.first_name || ' ' || o.last_name, a.properties,
         (select count(*)::integer from sample_contacts c where c.account_id = a.id),
         (select count(*)::integer from sample_deals d where d.account_id = a.id),
         a.created_at
    from sample_accounts a
    left join sample_owners o on o.id = a.owner_id
   where (p_created_since is not null and a.created_at >= p_created_since)
      or (p_domain is not null and lower(a.domain) = lower(p_domain))
      or (p_state is not null and a.state = p_state)
   order by a.created_at, a.id;
$$;

-- Contacts created since an instant, or with an email at a domain (OR-ed).
create function sample_crm_search_contacts(p_created_since timestamptz default null, p_email_domain text default null)
returns table (contact_id text, company_id text, first_name text, last_name text, email text, title text, deals integer, created_at timestamptz)
language sql stable as $$
  select c.id, c.account_id, c.first_name, c.last_name, c.email, c.title,
         (select count(*)::integer from sample_deals d where d.contact_id = c.id),
         c.created_at
    from sample_contacts c
   where (p_created_since is not null and c.created_at >= p_created_since)
      or (p_email_domain is not null and lower(split_part(c.email, '@', 2)) = lower(p_email_domain))
   order by c.created_at, c.id;
$$;

-- Merge one record into another, exactly once per idempotency key: the merged record's contacts
-- and deals move to the primary and the merged record is gone (HubSpot archives it). A repeat
-- merges nothing and answers the first merge.
create function sample_crm_merge_records(p_idempotency_key text, p_object_type text, p_primary_id text, p_merged_id text)
returns table (primary_id text, merged_id text, merged boolean)
language plpgsql as $$
begin
  if exists (select 1 from sample_crm_merges m where m.idempotency_key = p_idempotency_key) then
    return query select m.primary_id, m.merged_id, false from sample_crm_merges m where m.idempotency_key = p_idempotency_key;
    return;
  end if;
  if p_primary_id = p_merged_id then
    raise exception 'cannot merge % into itself', p_primary_id using errcode = 'invalid_parameter_value';
  end if;
  if p_object_type = 'companies' then
    if not exists (select 1 from sample_accounts a where a.id = p_primary_id) or not exists (select 1 from sample_accounts a where a.id = p_merged_id) then
      raise exception 'sample company % or % does not exist', p_primary_id, p_merged_id using errcode = 'no_data_found';
    end if;
    update sample_contacts set account_id = p_primary_id where account_id = p_merged_id;
    update sample_deals set account_id = p_primary_id where account_id = p_merged_id;
    update sample_orders set account_id = p_primary_id where account_id = p_merged_id;
    delete from sample_accounts where id = p_merged_id;
  elsif p_object_type = 'contacts' then
    if not exists (select 1 from sample_contacts c where c.id = p_primary_id) or not exists (select 1 from sample_contacts c where c.id = p_merged_id) then
      raise exception 'sample contact % or % does not exist', p_primary_id, p_merged_id using errcode = 'no_data_found';
    end if;
    update sample_deals set contact_id = p_primary_id where contact_id = p_merged_id;
    delete from sample_contacts where id = p_merged_id;
  else
    raise exception 'unknown object type %', p_object_type using errcode = 'invalid_parameter_value';
  end if;
  insert into sample_crm_merges (idempotency_key, object_type, primary_id, merged_id) values (p_idempotency_key, p_object_type, p_primary_id, p_merged_id);
  return query select p_primary_id, p_merged_id, true;
end;
$$;

-- Companies as before, with when each was created.
drop function sample_crm_list_companies();
create function sample_crm_list_companies()
returns table (company_id text, name text, domain text, city text, state text, segment text, owner_id text, owner_name text,
               properties jsonb, contacts integer, deals integer, created_at timestamptz)
language sql stable as $$
  select * from sample_crm_search_companies(p_created_since => '-infinity'::timestamptz) order by 1;
$$;
