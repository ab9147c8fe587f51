-- Short ids: tables print the first 8 characters of a uuid and commands accept any unique
-- prefix. A prefix is turned into the uuid range it covers, so the lookup is a primary-key range
-- scan however large the table grows. Returns up to p_limit matches: one is the answer, several
-- are the candidates the CLI lists.

create function uuid_prefix_range(p_prefix text, out lower_bound uuid, out upper_bound uuid)
language plpgsql immutable as $$
declare
  v_hex text := lower(replace(coalesce(p_prefix, ''), '-', ''));
begin
  if v_hex !~ '^[0-9a-f]{1,32}$' then
    return;
  end if;
  lower_bound := rpad(v_hex, 32, '0')::uuid;
  upper_bound := rpad(v_hex, 32, 'f')::uuid;
end;
$$;

create function find_signals_by_prefix(p_prefix text, p_limit integer default 10)
returns table (signal_id uuid, source_bot text, signal_type text, severity signal_severity, created_at timestamptz)
language sql stable as $$
  select s.id, s.source_bot, s.signal_type, s.severity, s.created_at
    from bot_signals s, uuid_prefix_range(p_prefix) r
   where s.id between r.lower_bound and r.upper_bound
   order by s.created_at desc
   limit p_limit;
$$;

create function find_approvals_by_prefix(p_prefix text, p_limit integer default 10)
returns table (approval_id uuid, bot text, action text, title text, status text, requested_at timestamptz)
language sql stable as $$
  select a.id, a.bot, a.action, a.title, a.status, a.requested_at
    from approvals a, uuid_prefix_range(p_prefix) r
   where a.id between r.lower_bound and r.upper_bound
   order by a.requested_at desc
   limit p_limit;
$$;
