-- Which migrations the brain has applied, for `fleet doctor` ("database migrated?") over either
-- transport. Reads the Supabase CLI's bookkeeping table that `fleet migrate` also writes.
create function applied_migrations()
returns table (version text, name text)
language sql stable as $$
  select m.version, m.name from supabase_migrations.schema_migrations m order by m.version;
$$;
