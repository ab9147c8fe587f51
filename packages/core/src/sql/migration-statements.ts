// SQL for applying migrations. The bookkeeping table is the one the Supabase CLI uses, so
// `supabase db push` and `pnpm fleet migrate` agree on what has been applied.

/** Serialises concurrent migrators (two hosts deploying at once). */
export const MIGRATION_LOCK_KEY = 727_001;

export const ensureBookkeeping = `
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text primary key,
  statements text[],
  name text
);`;

export const appliedVersions = 'select version from supabase_migrations.schema_migrations order by version';

export const recordVersion = 'insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)';

/** Re-lock the schema after migrations (a no-op before the bot-roles migration exists). */
export const secureSchema = `do $$ begin
  if to_regprocedure('public.fleet_secure_schema()') is not null then perform public.fleet_secure_schema(); end if;
end $$`;
