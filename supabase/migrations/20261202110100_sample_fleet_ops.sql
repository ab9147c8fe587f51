-- sysbot on the sample company: the fleet's own operations as the sample connectors see them —
-- credentials with their expiry and last probe (credential-expiry), nightly backups and restore
-- tests (backup-check), log lines (security-audit) and a seeded connector call history with a
-- Klaviyo 429 burst (connector-health). Offsets in fleet.json resolve against the load time.

create table sample_credentials (
  connector text not null,
  credential text not null,
  kind text not null check (kind in ('token', 'app_authorisation', 'certificate', 'api_key')),
  expires_at timestamptz,
  probe_status integer,
  checked_at timestamptz not null default now(),
  primary key (connector, credential)
);

create table sample_backups (
  name text primary key,
  created_at timestamptz not null,
  size_bytes bigint not null check (size_bytes >= 0)
);

create table sample_backup_restore_tests (
  id bigint generated always as identity primary key,
  tested_at timestamptz not null,
  backup_name text not null,
  ok boolean not null,
  tables integer,
  rows bigint,
  detail text
);

create table sample_log_lines (
  id bigint generated always as identity primary key,
  logged_at timestamptz not null,
  bot text not null,
  line text not null
);

alter function sample_company_load(jsonb, boolean, timestamptz) rename to sample_company_load_before_sysbot_jobs2;

create function sample_company_load(p_data jsonb, p_reset boolean default false, p_now timestamptz default now())
returns table (loaded boolean, loaded_at timestamptz, deals integer, shipments integer, campaigns integer, orders integer)
language plpgsql as $$
declare
  v_result record;
  v_fleet jsonb := coalesce(p_data -> 'fleet', '{}'::jsonb);
  v_now timestamptz := coalesce(p_now, now());
  v_call jsonb;
  v_burst jsonb := v_fleet #> '{connector_calls,klaviyo_burst}';
begin
  select * into v_result from sample_company_load_before_sysbot_jobs2(p_data, p_reset, p_now);
  if v_result.loaded then
    delete from sample_credentials;
    insert into sample_credentials (connector, credential, kind, expires_at, probe_status, checked_at)
    select x.connector, x.credential, x.kind,
           case when x.days_left is null then null else v_now + make_interval(days => x.days_left) end,
           x.probe_status, v_now
      from jsonb_to_recordset(coalesce(v_fleet -> 'credentials', '[]'::jsonb))
           as x(connector text, credential text, kind text, days_left integer, probe_status integer);

    delete from sample_backups;
    insert into sample_backups (name, created_at, size_bytes)
    select x.name, v_now - make_interval(hours => x.hours_ago), x.size_bytes
      from jsonb_to_recordset(coalesce(v_fleet -> 'backups', '[]'::jsonb)) as x(name text, hours_ago integer, size_bytes bigint);

    delete from sample_backup_restore_tests;
    insert into sample_backup_restore_tests (tested_at, backup_name, ok, tables, rows, detail)
    select v_now - make_interval(hours => x.hours_ago), x.backup_name, x.ok, x.tables, x.rows, x.detail
      from jsonb_to_recordset(coalesce(v_fleet -> 'restore_tests', '[]'::jsonb))
           as x(hours_ago integer, backup_name text, ok boolean, tables integer, rows bigint, detail text);

    delete from sample_log_lines;
    insert into sample_log_lines (logged_at, bot, line)
    select v_now - make_interval(mins => x.minutes_ago), x.bot,
           (jsonb_build_object('level', x.level, 'time', (extract(epoch from v_now - make_interval(mins => x.minutes_ago)) * 1000)::bigint,
                               'bot', x.bot, 'msg', x.msg) || coalesce(x.fields, '{}'::jsonb))::text
      from jsonb_to_recordset(coalesce(v_fleet -> 'log_lines', '[]'::jsonb))
           as x(minutes_ago integer, bot text, level integer, msg text, fields jsonb);

    -- The seeded call history is the sample company's; calls the fleet makes itself stay.
    delete from connector_calls where bot = 'sample-company';
    for v_call in select * from jsonb_array_elements(coalesce(v_fleet #> '{connector_calls,healthy}', '[]'::jsonb)) loop
      insert into connector_calls (called_at, bot, connector, source, operation, outcome, latency_ms, rate_limit_remaining_pct)
      select v_now - make_interval(mins => (v_call ->> 'every_minutes')::integer * n) + interval '1 minute', 'sample-company',
             v_call ->> 'connector', v_call ->> 'source', v_call ->> 'operation', 'ok',
             (v_call ->> 'latency_ms')::integer + (n % 3) * 20, (v_call ->> 'rate_limit_remaining_pct')::numeric
        from generate_series(0, (v_call ->> 'count')::integer - 1) as n;
    end loop;
    if v_burst is not null then
      -- calls_per_window calls in each of the last `windows` 15-minute windows, the first
      -- rate_limited_per_window of them answered 429 (no headroom left).
      insert into connector_calls (called_at, bot, connector, source, operation, outcome, http_status, latency_ms, rate_limit_remaining_pct)
      select v_now - make_interval(mins => w * 15) - make_interval(secs => 30 + c * 60), 'sample-company',
             v_burst ->> 'connector', v_burst ->> 'source', v_burst ->> 'operation',
             case when c < (v_burst ->> 'rate_limited_per_window')::integer then 'rate_limited' else 'ok' end,
             case when c < (v_burst ->> 'rate_limited_per_window')::integer then 429 end,
             (v_burst ->> 'latency_ms')::integer,
             case when c < (v_burst ->> 'rate_limited_per_window')::integer then 0 else 12 end
        from generate_series(0, (v_burst ->> 'windows')::integer - 1) as w,
             generate_series(0, (v_burst ->> 'calls_per_window')::integer - 1) as c;
    end if;
  end if;
  return query select v_result.loaded, v_result.loaded_at, v_result.deals, v_result.shipments, v_result.campaigns, v_result.orders;
end;
$$;

-- The sample connectors' reads.
create function sample_fleet_credentials()
returns table (connector text, credential text, kind text, expires_at timestamptz, probe_status integer, checked_at timestamptz)
language sql stable as $$
  select c.connector, c.credential, c.kind, c.expires_at, c.probe_status, c.checked_at from sample_credentials c order by c.connector, c.credential;
$$;

create function sample_fleet_backups()
returns table (name text, created_at timestamptz, size_bytes bigint)
language sql stable as $$
  select b.name, b.created_at, b.size_bytes from sample_backups b order by b.created_at desc;
$$;

create function sample_fleet_restore_tests()
returns table (tested_at timestamptz, backup_name text, ok boolean, tables integer, rows bigint, detail text)
language sql stable as $$
  select t.tested_at, t.backup_name, t.ok, t.tables, t.rows, t.detail from sample_backup_restore_tests t order by t.tested_at desc;
$$;

create function sample_fleet_log_lines(p_since timestamptz)
returns table (logged_at timestamptz, bot text, line text)
language sql stable as $$
  select l.logged_at, l.bot, l.line from sample_log_lines l where l.logged_at >= p_since order by l.logged_at, l.id;
$$;

-- Recorded LLM use per model over a period (settled calls), for llm-invoice-reconcile and the
-- sample Anthropic cost report that prices the same tokens with Anthropic's own table.
create function llm_usage_by_model(p_from timestamptz, p_to timestamptz)
returns table (model text, calls integer, input_tokens bigint, output_tokens bigint, cache_write_tokens bigint, cache_read_tokens bigint, cost_usd numeric)
language sql stable as $$
  select u.model, count(*)::integer, sum(u.input_tokens)::bigint, sum(u.output_tokens)::bigint,
         sum(u.cache_write_tokens)::bigint, sum(u.cache_read_tokens)::bigint, sum(u.cost_usd)
    from llm_usage u
   where u.status = 'settled' and u.created_at >= p_from and u.created_at < p_to
   group by u.model order by u.model;
$$;
