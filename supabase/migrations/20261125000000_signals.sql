-- The shared brain, part 1: signals and their per-consumer delivery receipts.
-- Every state transition that processes race on is a function here; TypeScript calls them by
-- name with named arguments (packages/core/src/db). Append-only: change a function in a new file.

create type signal_severity as enum ('info', 'warning', 'alert', 'critical');
create type receipt_status as enum ('pending', 'processing', 'handled', 'dead', 'expired');

create table bot_signals (
  id uuid primary key default gen_random_uuid(),
  seq bigint generated always as identity unique,
  source_bot text not null check (source_bot ~ '^[a-z][a-z0-9_-]*$'),
  signal_type text not null check (signal_type ~ '^[a-z][a-z0-9_.]*$'),
  severity signal_severity not null default 'info',
  payload jsonb not null default '{}'::jsonb,
  dedupe_key text,
  -- Repeats of the same dedupe_key inside the window bump this instead of adding rows, so the
  -- operator sees "10× the same warning" as one line with a count.
  repeat_count integer not null default 1,
  last_repeated_at timestamptz,
  created_at timestamptz not null default now(),
  expires_at timestamptz
);
create index bot_signals_dedupe on bot_signals (dedupe_key, created_at desc) where dedupe_key is not null;
create index bot_signals_type_time on bot_signals (signal_type, created_at desc);
create index bot_signals_time on bot_signals (created_at desc);

-- Which bot consumes which signal type. A bot registers its subscriptions at start; emit creates
-- one receipt per subscriber so a consumer that is down still gets the signal when it returns.
create table signal_subscriptions (
  consumer_bot text not null,
  signal_type text not null,
  created_at timestamptz not null default now(),
  primary key (consumer_bot, signal_type)
);
create index signal_subscriptions_type on signal_subscriptions (signal_type);

create table signal_receipts (
  signal_id uuid not null references bot_signals (id) on delete cascade,
  consumer_bot text not null,
  status receipt_status not null default 'pending',
  attempts integer not null default 0,
  -- When the receipt is next due: for `pending` the retry time, for `processing` the lease end.
  -- One column keeps "what can I claim now" a single index range.
  available_at timestamptz not null default now(),
  leased_by text,
  error text,
  handled_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (signal_id, consumer_bot)
);
create index signal_receipts_due on signal_receipts (consumer_bot, available_at)
  where status in ('pending', 'processing');

-- Emit: validate nothing here (TypeScript validates the payload with zod before calling), write
-- the signal and its receipts in one transaction, then NOTIFY so listeners wake at once.
create function emit_signal(
  p_source_bot text,
  p_signal_type text,
  p_severity signal_severity,
  p_payload jsonb,
  p_dedupe_key text default null,
  p_dedupe_window_seconds integer default 3600,
  p_expires_at timestamptz default null
) returns table (signal_id uuid, deduplicated boolean, repeat_count integer, created_at timestamptz)
language plpgsql as $$
#variable_conflict use_column
declare
  v_id uuid;
  v_count integer;
  v_created timestamptz;
begin
  if p_dedupe_key is not null then
    -- Serialise emits of one key so two hosts cannot both insert "the first" one.
    perform pg_advisory_xact_lock(hashtextextended('bot_signals:' || p_dedupe_key, 0));
    update bot_signals s
       set repeat_count = s.repeat_count + 1, last_repeated_at = now()
     where s.id = (
       select b.id from bot_signals b
        where b.dedupe_key = p_dedupe_key
          and b.created_at > now() - make_interval(secs => p_dedupe_window_seconds)
        order by b.created_at desc
        limit 1)
    returning s.id, s.repeat_count, s.created_at into v_id, v_count, v_created;
    if found then
      return query select v_id, true, v_count, v_created;
      return;
    end if;
  end if;

  insert into bot_signals (source_bot, signal_type, severity, payload, dedupe_key, expires_at)
  values (p_source_bot, p_signal_type, p_severity, coalesce(p_payload, '{}'::jsonb), p_dedupe_key, p_expires_at)
  returning id, created_at into v_id, v_created;

  insert into signal_receipts (signal_id, consumer_bot)
  select v_id, sub.consumer_bot from signal_subscriptions sub where sub.signal_type = p_signal_type;

  perform pg_notify('bot_signals', json_build_object('id', v_id, 'type', p_signal_type)::text);
  return query select v_id, false, 1, v_created;
end
$$;

-- Register (and prune) one consumer's subscriptions. p_signal_types is a JSON array of strings.
create function register_subscriptions(p_consumer_bot text, p_signal_types jsonb)
returns table (signal_type text)
language sql as $$
  with wanted as (select jsonb_array_elements_text(p_signal_types) as signal_type),
  removed as (
    delete from signal_subscriptions s
     where s.consumer_bot = p_consumer_bot
       and s.signal_type not in (select w.signal_type from wanted w)
  ),
  added as (
    insert into signal_subscriptions (consumer_bot, signal_type)
    select p_consumer_bot, w.signal_type from wanted w
    on conflict do nothing
  )
  select w.signal_type from wanted w;
$$;

-- Claim up to p_limit due receipts for one consumer. A receipt whose lease expired on its last
-- attempt goes dead instead of being handed out again; a signal past expires_at is not delivered.
create function claim_signals(
  p_consumer_bot text,
  p_limit integer default 50,
  p_lease_seconds numeric default 30,
  p_max_attempts integer default 5,
  p_worker text default null
) returns table (
  signal_id uuid, seq bigint, source_bot text, signal_type text, severity signal_severity,
  payload jsonb, dedupe_key text, repeat_count integer, created_at timestamptz, attempt integer
)
language plpgsql as $$
#variable_conflict use_column
begin
  update signal_receipts r
     set status = 'dead', error = 'lease expired on attempt ' || r.attempts || ' of ' || p_max_attempts
   where r.consumer_bot = p_consumer_bot and r.status = 'processing'
     and r.available_at <= now() and r.attempts >= p_max_attempts;

  update signal_receipts r
     set status = 'expired'
    from bot_signals s
   where s.id = r.signal_id and r.consumer_bot = p_consumer_bot
     and r.status in ('pending', 'processing') and r.available_at <= now()
     and s.expires_at is not null and s.expires_at <= now();

  return query
  with due as (
    select r.signal_id
      from signal_receipts r
     where r.consumer_bot = p_consumer_bot
       and r.status in ('pending', 'processing')
       and r.available_at <= now()
     order by r.available_at
     limit p_limit
       for update skip locked
  )
  update signal_receipts r
     set status = 'processing',
         attempts = r.attempts + 1,
         available_at = clock_timestamp() + make_interval(secs => p_lease_seconds::double precision),
         leased_by = p_worker
    from due, bot_signals s
   where r.signal_id = due.signal_id and r.consumer_bot = p_consumer_bot and s.id = r.signal_id
  returning s.id, s.seq, s.source_bot, s.signal_type, s.severity, s.payload, s.dedupe_key,
            s.repeat_count, s.created_at, r.attempts;
end
$$;

-- Keep a long-running handler's lease alive. Returns false when the lease was lost.
create function extend_signal_lease(p_signal_id uuid, p_consumer_bot text, p_attempt integer, p_lease_seconds numeric default 30)
returns table (extended boolean)
language sql as $$
  with updated as (
    update signal_receipts r
       set available_at = clock_timestamp() + make_interval(secs => p_lease_seconds::double precision)
     where r.signal_id = p_signal_id and r.consumer_bot = p_consumer_bot
       and r.status = 'processing' and r.attempts = p_attempt
    returning 1)
  select exists (select 1 from updated);
$$;

-- The handler finished. Accepted while the receipt is still processing (even after its lease
-- moved on: the work is done either way, and handlers are idempotent).
create function ack_signal(p_signal_id uuid, p_consumer_bot text)
returns table (acked boolean)
language sql as $$
  with updated as (
    update signal_receipts r
       set status = 'handled', handled_at = now(), error = null
     where r.signal_id = p_signal_id and r.consumer_bot = p_consumer_bot and r.status = 'processing'
    returning 1)
  select exists (select 1 from updated);
$$;

-- Ack many at once: a busy consumer flushes its finished signals in one round trip.
create function ack_signals(p_consumer_bot text, p_signal_ids jsonb)
returns table (signal_id uuid)
language sql as $$
  update signal_receipts r
     set status = 'handled', handled_at = now(), error = null
   where r.consumer_bot = p_consumer_bot and r.status = 'processing'
     and r.signal_id in (select (jsonb_array_elements_text(p_signal_ids))::uuid)
  returning r.signal_id;
$$;

-- The handler threw: retry with exponential backoff, or dead after p_max_attempts.
create function fail_signal(
  p_signal_id uuid,
  p_consumer_bot text,
  p_error text,
  p_max_attempts integer default 5,
  p_backoff_base_ms integer default 1000,
  p_backoff_max_ms integer default 300000,
  p_permanent boolean default false
) returns table (status receipt_status, attempts integer, available_at timestamptz)
language sql as $$
  update signal_receipts r
     set status = case when p_permanent or r.attempts >= p_max_attempts then 'dead'::receipt_status
                       else 'pending'::receipt_status end,
         error = left(p_error, 4000),
         available_at = now() + make_interval(secs =>
           least(p_backoff_max_ms, p_backoff_base_ms * power(2, greatest(r.attempts - 1, 0)))::double precision / 1000)
   where r.signal_id = p_signal_id and r.consumer_bot = p_consumer_bot and r.status = 'processing'
  returning r.status, r.attempts, r.available_at;
$$;

-- Shutdown hands unfinished work back without spending an attempt.
create function release_signal(p_signal_id uuid, p_consumer_bot text)
returns table (released boolean)
language sql as $$
  with updated as (
    update signal_receipts r
       set status = 'pending', attempts = greatest(r.attempts - 1, 0), available_at = now(), leased_by = null
     where r.signal_id = p_signal_id and r.consumer_bot = p_consumer_bot and r.status = 'processing'
    returning 1)
  select exists (select 1 from updated);
$$;

-- Read side for the CLI and the monitors (kept as functions so the supabase transport can call them).
create function list_signals(
  p_limit integer default 50,
  p_signal_type text default null,
  p_source_bot text default null,
  p_since timestamptz default null
) returns table (
  signal_id uuid, source_bot text, signal_type text, severity signal_severity, payload jsonb,
  dedupe_key text, repeat_count integer, created_at timestamptz, receipts jsonb
)
language sql stable as $$
  select s.id, s.source_bot, s.signal_type, s.severity, s.payload, s.dedupe_key, s.repeat_count, s.created_at,
         coalesce((select jsonb_agg(jsonb_build_object('consumer', r.consumer_bot, 'status', r.status,
                    'attempts', r.attempts, 'error', r.error) order by r.consumer_bot)
                     from signal_receipts r where r.signal_id = s.id), '[]'::jsonb)
    from bot_signals s
   where (p_signal_type is null or s.signal_type = p_signal_type)
     and (p_source_bot is null or s.source_bot = p_source_bot)
     and (p_since is null or s.created_at >= p_since)
   order by s.seq desc
   limit p_limit;
$$;

create function get_signal(p_signal_id uuid)
returns table (
  signal_id uuid, source_bot text, signal_type text, severity signal_severity, payload jsonb,
  dedupe_key text, repeat_count integer, created_at timestamptz, expires_at timestamptz
)
language sql stable as $$
  select s.id, s.source_bot, s.signal_type, s.severity, s.payload, s.dedupe_key, s.repeat_count,
         s.created_at, s.expires_at
    from bot_signals s where s.id = p_signal_id;
$$;

create function db_now() returns table (now timestamptz)
language sql stable as $$ select clock_timestamp(); $$;
