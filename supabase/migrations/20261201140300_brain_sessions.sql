-- A read-only `fleet` command that had to start the local embedded Postgres stops it again when
-- it is done, unless someone else started using it meanwhile (a `pnpm start` that attached to
-- it): this counts the other client sessions on the server, the CLI's own excluded.

create function other_brain_sessions(p_application_name text default 'fleet-cli')
returns integer
language sql stable as $$
  select count(*)::integer
    from pg_stat_activity a
   where a.backend_type = 'client backend'
     and a.pid <> pg_backend_pid()
     and coalesce(a.application_name, '') <> p_application_name;
$$;
