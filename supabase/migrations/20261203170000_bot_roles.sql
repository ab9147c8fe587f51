-- One database role per bot, so a bot's session (a bug, or a model steered by an injected email)
-- cannot act as another bot or as the operator.
--
--   fleet_<bot>      one LOGIN role per bot (password set by the local start / `fleet roles`),
--                    all members of the NOLOGIN group fleet_bots
--   fleet_operator   LOGIN: the CLI and the dashboard
--   fleet_channels   LOGIN: the channel handlers inside the bot processes (Discord clicks,
--                    Telegram taps) — the processes that carry the operator's decision
--   fleet_deciders   NOLOGIN group of the two above: deciding approvals, flipping the kill
--                    switch back off, registering operator chats
--   the owner        (postgres, or Supabase's service role) applies migrations; no bot gets it
--
-- Bots reach the brain only through SQL functions: every function in public becomes SECURITY
-- DEFINER with a fixed search_path (fleet_secure_schema, re-run by `fleet migrate` after every
-- migration, so functions other migrations add are covered without them doing anything), table
-- DML is revoked from every fleet role, and RLS is on for every table. Who is calling is taken
-- from the session's role (current_setting('role') under SET ROLE / PostgREST, else
-- session_user), never from an argument: triggers on the tables compare the rows a call writes
-- with the caller's bot, so `p_source_bot => 'opsbot'` from salesbot's role is refused whichever
-- function passes it on.

do $$
declare
  v_bot text;
begin
  if not exists (select 1 from pg_roles where rolname = 'fleet_bots') then create role fleet_bots nologin; end if;
  foreach v_bot in array array['jbot', 'salesbot', 'mktgbot', 'opsbot', 'shipbot', 'contentbot', 'adsbot', 'socialbot', 'studiobot', 'sysbot'] loop
    if not exists (select 1 from pg_roles where rolname = 'fleet_' || v_bot) then
      execute format('create role %I login in role fleet_bots', 'fleet_' || v_bot);
    end if;
  end loop;
  if not exists (select 1 from pg_roles where rolname = 'fleet_deciders') then create role fleet_deciders nologin; end if;
  if not exists (select 1 from pg_roles where rolname = 'fleet_operator') then create role fleet_operator login; end if;
  if not exists (select 1 from pg_roles where rolname = 'fleet_channels') then create role fleet_channels login; end if;
end
$$;

-- Which role is which bot. A bot added later: insert its row and run fleet_ensure_bot_role.
create table fleet_bot_roles (
  role_name text primary key,
  bot text not null unique
);
insert into fleet_bot_roles (role_name, bot)
select 'fleet_' || b, b from unnest(array['jbot', 'salesbot', 'mktgbot', 'opsbot', 'shipbot', 'contentbot', 'adsbot', 'socialbot', 'studiobot', 'sysbot']) b;

-- Functions bots may not call, by name pattern (LIKE): 'operator' ones the deciders and the owner
-- still may, 'owner' ones only the owner. A migration adding such a function appends a row here.
create table fleet_operator_functions (
  name_pattern text primary key,
  audience text not null default 'operator' check (audience in ('operator', 'owner')),
  why text not null
);
insert into fleet_operator_functions (name_pattern, why) values
  ('decide_approval', 'deciding an approval is the operator''s, carried by a channel handler, the CLI or the dashboard'),
  ('register_operator_chats', 'which chats are the operator''s comes from the operator''s configuration'),
  ('reset_fleet_activity', '`fleet seed --reset` is the operator''s'),
  ('sample_company_load%', 'loading the sample company is the local start''s and `fleet seed`''s');
insert into fleet_operator_functions (name_pattern, audience, why) values
  ('fleet\_secure\_schema', 'owner', 'run by migrations'),
  ('fleet\_ensure\_bot\_role', 'owner', 'run by migrations'),
  ('fleet\_set\_role\_password', 'owner', 'a role''s password is set by whoever holds the owner''s');

-- The chats a bot may queue Telegram lines for: jbot's TELEGRAM_OPERATOR_CHAT_IDS (and the local
-- console's stand-in), registered at its start through the channel handlers' role, never a bot's.
create table fleet_operator_chats (
  chat_id text primary key,
  registered_by text not null default current_user,
  registered_at timestamptz not null default now()
);

-- Who decided: the role of the session that carried the decision, beside the person's name.
alter table approvals add column decided_role text;

-- The role of the session calling: PostgREST (the JWT's role claim) and tests use SET ROLE,
-- a bot on the postgres transport logs in as its role. Unchanged inside SECURITY DEFINER.
create function fleet_caller_role() returns text
language sql stable as $$
  select coalesce(nullif(current_setting('role', true), 'none'), session_user)::text;
$$;

-- The bot the session speaks for, or null for the owner, the operator and the channel handlers.
-- On Supabase the JWT may also carry a `bot` claim; it must name the role's bot.
create function fleet_caller_bot() returns text
language plpgsql stable as $$
declare
  v_role text := fleet_caller_role();
  v_bot text;
  v_claims jsonb;
begin
  select r.bot into v_bot from fleet_bot_roles r where r.role_name = v_role;
  if v_bot is null then
    -- Trusted: the operator's roles, the owner that migrates (superuser, CREATEROLE or the
    -- database's owner) and Supabase's service role. Anything else (SET ROLE fleet_bots from a
    -- bot's session, authenticated) speaks for nobody and is refused.
    if v_role in ('fleet_operator', 'fleet_channels', 'fleet_deciders')
       or exists (select 1 from pg_roles r where r.rolname = v_role and (r.rolsuper or r.rolbypassrls or r.rolcreaterole))
       or v_role = (select pg_get_userbyid(d.datdba) from pg_database d where d.datname = current_database()) then
      return null;
    end if;
    raise exception 'role % speaks for no bot and is not the operator''s: connect as fleet_<bot>', v_role using errcode = '42501';
  end if;
  begin
    v_claims := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  exception when others then
    v_claims := null;
  end;
  if v_claims ? 'bot' and v_bot is distinct from (v_claims ->> 'bot') then
    raise exception 'the JWT''s bot claim "%" does not match its role %', v_claims ->> 'bot', v_role using errcode = '42501';
  end if;
  return v_bot;
end
$$;

-- A row a bot writes must carry its own name in the column the trigger names (TG_ARGV[0]).
create function fleet_guard_bot_column() returns trigger
language plpgsql as $$
declare
  v_bot text := fleet_caller_bot();
  v_value text;
begin
  if v_bot is null then return new; end if;
  v_value := to_jsonb(new) ->> tg_argv[0];
  if v_value is distinct from v_bot then
    raise exception '% may not write % rows as % (%): a bot acts only as itself', v_bot, tg_table_name, coalesce(v_value, 'null'), tg_argv[0]
      using errcode = '42501';
  end if;
  return new;
end
$$;

create trigger fleet_guard_source_bot before insert or update of source_bot on bot_signals
  for each row execute function fleet_guard_bot_column('source_bot');
create trigger fleet_guard_bot before insert or update of bot on approvals
  for each row execute function fleet_guard_bot_column('bot');
create trigger fleet_guard_bot before insert or update of bot on bot_heartbeats
  for each row execute function fleet_guard_bot_column('bot');
create trigger fleet_guard_bot before insert or update of bot on llm_usage
  for each row execute function fleet_guard_bot_column('bot');

-- An approval's draft, its hash and its decision are not a bot's to change, whatever function
-- it calls; a retry (failed → approved) re-runs an approved action and stays open to bots.
-- Every decision records the role that carried it.
create function fleet_guard_approval_update() returns trigger
language plpgsql as $$
declare
  v_bot text := fleet_caller_bot();
begin
  if new.decided_by is distinct from old.decided_by or (new.status is distinct from old.status and new.status in ('approved', 'rejected')) then
    new.decided_role := fleet_caller_role();
  end if;
  if v_bot is null then return new; end if;
  if new.draft is distinct from old.draft or new.draft_hash is distinct from old.draft_hash then
    raise exception '% may not change the draft of approval %', v_bot, old.id using errcode = '42501';
  end if;
  if old.status = 'pending' and new.status in ('approved', 'rejected') then
    raise exception '% may not decide approval %: only the operator decides (Discord, Telegram, `fleet approve`, the dashboard)', v_bot, old.id
      using errcode = '42501';
  end if;
  return new;
end
$$;
create trigger fleet_guard_approval_update before update on approvals
  for each row execute function fleet_guard_approval_update();

-- A bot may engage the LLM kill switch (sysbot does, on the operator's word) but never release
-- it, and sets no other fleet setting.
create function fleet_guard_fleet_settings() returns trigger
language plpgsql as $$
declare
  v_bot text := fleet_caller_bot();
begin
  if v_bot is null then return coalesce(new, old); end if;
  if tg_op = 'DELETE' or new.key <> 'llm_kill_switch' or coalesce((new.value ->> 'enabled')::boolean, false) is not true then
    raise exception '% may not change fleet setting %: bots may only switch the LLM kill switch on; `pnpm fleet llm on` turns it off',
      v_bot, coalesce(new.key, old.key) using errcode = '42501';
  end if;
  return new;
end
$$;
create trigger fleet_guard_fleet_settings before insert or update or delete on fleet_settings
  for each row execute function fleet_guard_fleet_settings();

-- A bot queues Telegram lines only for a registered operator chat, whatever a payload names.
create function fleet_guard_telegram_chat() returns trigger
language plpgsql as $$
declare
  v_bot text := fleet_caller_bot();
begin
  if v_bot is null then return new; end if;
  if not exists (select 1 from fleet_operator_chats c where c.chat_id = new.chat_id) then
    raise exception '% may not message Telegram chat %: it is not an operator chat (TELEGRAM_OPERATOR_CHAT_IDS)', v_bot, new.chat_id
      using errcode = '42501';
  end if;
  return new;
end
$$;
create trigger fleet_guard_telegram_chat before insert or update of chat_id on telegram_outbox
  for each row execute function fleet_guard_telegram_chat();

/** Register the operator's Telegram chats (adds; never removes, so a stale config loses nothing queued). */
create function register_operator_chats(p_chat_ids text[])
returns integer
language sql as $$
  with added as (
    insert into fleet_operator_chats (chat_id, registered_by)
    select distinct c, fleet_caller_role() from unnest(p_chat_ids) c where c is not null and c <> ''
    on conflict (chat_id) do nothing
    returning 1
  )
  select count(*)::integer from added;
$$;

-- Set a fleet role's password (the local start and `fleet roles` call this as the owner).
create function fleet_set_role_password(p_role text, p_password text)
returns void
language plpgsql as $$
begin
  if p_role not in (select role_name from fleet_bot_roles union all select unnest(array['fleet_operator', 'fleet_channels'])) then
    raise exception '% is not a fleet role', p_role;
  end if;
  execute format('alter role %I with login password %L', p_role, p_password);
end
$$;

-- Create (if missing) the login role of a bot listed in fleet_bot_roles.
create function fleet_ensure_bot_role(p_bot text)
returns text
language plpgsql as $$
declare
  v_role text := 'fleet_' || p_bot;
begin
  if p_bot !~ '^[a-z][a-z0-9]*$' then raise exception 'bot name % is not a plain lower-case name', p_bot; end if;
  if not exists (select 1 from pg_roles where rolname = v_role) then
    execute format('create role %I login in role fleet_bots', v_role);
  end if;
  execute format('grant fleet_bots to %I', v_role);
  insert into fleet_bot_roles (role_name, bot) values (v_role, p_bot) on conflict do nothing;
  -- Supabase: PostgREST's authenticator switches to the role a JWT names.
  if exists (select 1 from pg_roles where rolname = 'authenticator') then
    execute format('grant %I to authenticator', v_role);
  end if;
  return v_role;
end
$$;

/**
 * Lock the schema down, idempotently: every function (but triggers and immutable helpers, which
 * touch no table) SECURITY DEFINER with a fixed search_path, EXECUTE only for the fleet's roles
 * (operator-only ones not for bots), no table DML for any fleet role (nor Supabase's anon and
 * authenticated), RLS on every table and no policy: no fleet role reads or writes a table directly. `fleet migrate`
 * runs it after applying migrations; after `supabase db push`, run `select fleet_secure_schema()`.
 */
create function fleet_secure_schema()
returns table (functions integer, tables integer)
language plpgsql as $$
declare
  v_function record;
  v_table record;
  v_functions integer := 0;
  v_tables integer := 0;
  v_public_roles text := 'public';
  v_bot_role text;
begin
  if exists (select 1 from pg_roles where rolname = 'anon') then v_public_roles := v_public_roles || ', anon'; end if;
  if exists (select 1 from pg_roles where rolname = 'authenticated') then v_public_roles := v_public_roles || ', authenticated'; end if;
  for v_bot_role in select bot from fleet_bot_roles loop
    perform fleet_ensure_bot_role(v_bot_role);
  end loop;
  execute 'grant fleet_deciders to fleet_operator, fleet_channels';
  if exists (select 1 from pg_roles where rolname = 'authenticator') then
    execute 'grant fleet_operator, fleet_channels to authenticator';
  end if;
  execute 'grant usage on schema public to fleet_bots, fleet_deciders';
  for v_function in
    select p.oid::regprocedure as signature, p.proname, p.prosecdef, p.proconfig, p.provolatile, p.prorettype = 'trigger'::regtype as is_trigger
      from pg_proc p
     where p.pronamespace = 'public'::regnamespace and p.prokind = 'f'
       and p.proowner = (select oid from pg_roles where rolname = current_user)
       and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  loop
    -- A trigger function cannot be called directly; it runs as its table's writer (the owner).
    if v_function.is_trigger then
      execute format('revoke all on function %s from %s', v_function.signature, v_public_roles);
      continue;
    end if;
    if v_function.provolatile <> 'i' then
      if not v_function.prosecdef then execute format('alter function %s security definer', v_function.signature); end if;
      if v_function.proconfig is null or not exists (select 1 from unnest(v_function.proconfig) c where c like 'search_path=%') then
        execute format('alter function %s set search_path = public, pg_temp', v_function.signature);
      end if;
    end if;
    execute format('revoke all on function %s from %s', v_function.signature, v_public_roles);
    if exists (select 1 from fleet_operator_functions o where v_function.proname like o.name_pattern and o.audience = 'owner') then
      execute format('revoke all on function %s from fleet_bots, fleet_deciders', v_function.signature);
    elsif exists (select 1 from fleet_operator_functions o where v_function.proname like o.name_pattern) then
      execute format('grant execute on function %s to fleet_deciders', v_function.signature);
      execute format('revoke all on function %s from fleet_bots', v_function.signature);
    else
      execute format('grant execute on function %s to fleet_deciders', v_function.signature);
      execute format('grant execute on function %s to fleet_bots', v_function.signature);
    end if;
    v_functions := v_functions + 1;
  end loop;
  for v_table in
    select c.oid::regclass as name, c.relname from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
  loop
    execute format('alter table %s enable row level security', v_table.name);
    execute format('revoke all on table %s from %s, fleet_bots, fleet_deciders, fleet_operator, fleet_channels', v_table.name, v_public_roles);
    v_tables := v_tables + 1;
  end loop;
  -- Sequences behind identity columns: nothing for fleet roles (inserts happen as the owner).
  execute format('revoke all on all sequences in schema public from %s, fleet_bots, fleet_deciders', v_public_roles);
  return query select v_functions, v_tables;
end
$$;

-- What other migrations create from here on starts closed too, even before the next
-- fleet_secure_schema: no EXECUTE for PUBLIC, and the fleet's groups may call functions.
alter default privileges in schema public revoke execute on functions from public;
alter default privileges in schema public grant execute on functions to fleet_bots, fleet_deciders;

select fleet_secure_schema();
