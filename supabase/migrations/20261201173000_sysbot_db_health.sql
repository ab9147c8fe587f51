-- sysbot/db-health: the shared brain's own vital signs in one read. Client backends only (not
-- autovacuum or replication); this query's own backend is not a long query.
create function brain_health(p_long_query_seconds numeric default 300, p_dead_since timestamptz default null)
returns table (
  database_bytes bigint, connections integer, max_connections integer,
  long_queries integer, longest_query_seconds double precision,
  pending_receipts integer, oldest_pending_seconds double precision, dead_receipts integer
)
language sql stable as $$
  select pg_database_size(current_database()),
         (select count(*)::integer from pg_stat_activity a where a.backend_type = 'client backend'),
         current_setting('max_connections')::integer,
         (select count(*)::integer from pg_stat_activity a
           where a.backend_type = 'client backend' and a.state = 'active' and a.pid <> pg_backend_pid()
             and a.query_start < clock_timestamp() - make_interval(secs => p_long_query_seconds::double precision)),
         (select max(extract(epoch from (clock_timestamp() - a.query_start)))::double precision from pg_stat_activity a
           where a.backend_type = 'client backend' and a.state = 'active' and a.pid <> pg_backend_pid()),
         (select count(*)::integer from signal_receipts r where r.status in ('pending', 'processing')),
         (select extract(epoch from (clock_timestamp() - min(r.created_at)))::double precision
            from signal_receipts r where r.status in ('pending', 'processing')),
         (select count(*)::integer from signal_receipts r
           where r.status = 'dead' and r.created_at >= coalesce(p_dead_since, '-infinity'));
$$;
