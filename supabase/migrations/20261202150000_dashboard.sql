-- The dashboard (packages/dashboard): the NOTIFY hints it was missing and the read functions its
-- panels need. Hints are only wake-ups (NOTIFY has no replay): the dashboard refetches what a panel
-- shows, and its poll is the guarantee. Every hint goes on one channel, `fleet_changes`, so the
-- dashboard holds one LISTEN connection; the payload names the topic and the row.

create function notify_fleet_change() returns trigger
language plpgsql as $$
declare v_row record;
begin
  v_row := new;
  -- TG_ARGV[0] is the topic; TG_ARGV[1] the column that identifies the row for the page.
  perform pg_notify('fleet_changes', json_build_object('topic', TG_ARGV[0], 'id', to_jsonb(v_row) ->> TG_ARGV[1])::text);
  return null;
end
$$;

-- Channel posts (the work floor) and their edits.
create trigger channel_messages_notify after insert or update of status, text on channel_messages
  for each row execute function notify_fleet_change('posts', 'id');

-- Run endings and missed runs: any change of a run's status, and every row a tick or a gap adds.
create trigger cron_runs_notify_insert after insert on cron_runs
  for each row execute function notify_fleet_change('runs', 'id');
create trigger cron_runs_notify_status after update of status on cron_runs
  for each row when (old.status is distinct from new.status) execute function notify_fleet_change('runs', 'id');

-- LLM usage, once settled (a reservation that is only held moves no figure on the costs panel).
create trigger llm_usage_notify after insert or update of status on llm_usage
  for each row when (new.status = 'settled') execute function notify_fleet_change('costs', 'id');

-- The operator's inbox: escalations (sent, held, briefed, answered) and the operator's messages.
create trigger escalations_notify after insert or update on escalations
  for each row execute function notify_fleet_change('inbox', 'signal_id');
create trigger operator_messages_notify after insert or update of status on operator_messages
  for each row execute function notify_fleet_change('inbox', 'id');

-- Deliveries per consumer (pending → handled or dead) update the signals panel.
create trigger signal_receipts_notify after update of status on signal_receipts
  for each row when (old.status is distinct from new.status) execute function notify_fleet_change('signals', 'signal_id');

-- A bot starting or stopping (its tile); the heartbeat age itself moves with the poll.
create trigger bot_heartbeats_notify_insert after insert on bot_heartbeats
  for each row execute function notify_fleet_change('health', 'bot');
create trigger bot_heartbeats_notify_status after update of status on bot_heartbeats
  for each row when (old.status is distinct from new.status) execute function notify_fleet_change('health', 'bot');

-- The costs chart: settled spend per time bucket and group, the same filter and grouping as
-- list_llm_costs (`fleet costs`), so the series of one group add up to its row there.
create function llm_cost_series(p_since timestamptz, p_bucket text default 'hour', p_by text default 'bot')
returns table (bucket timestamptz, grp text, calls bigint, cost_usd double precision)
language plpgsql stable as $$
begin
  if p_bucket not in ('minute', 'hour', 'day') then
    raise exception 'llm_cost_series: p_bucket must be minute, hour or day, not %', p_bucket using errcode = '22023';
  end if;
  return query
  select date_trunc(p_bucket, u.created_at, 'UTC'),
         case p_by when 'job' then u.bot || '/' || coalesce(u.job, '-') when 'model' then u.model else u.bot end,
         count(*), coalesce(sum(u.cost_usd), 0)::double precision
    from llm_usage u
   where u.status = 'settled' and u.created_at >= p_since
   group by 1, 2 order by 1, 2;
end
$$;

-- The operator's messages, newest first: what they typed, where it came from, what it answered.
create function list_operator_messages(p_limit integer default 50, p_since timestamptz default null)
returns table (operator_message_id uuid, channel text, sender_id text, text text, reply_to_signal_id uuid, reply_to_approval_id uuid,
               routed_to text, status text, error text, created_at timestamptz, handled_at timestamptz)
language sql stable as $$
  select m.id, m.channel, m.sender_id, m.text, m.reply_to_signal_id, m.reply_to_approval_id, m.routed_to, m.status, m.error,
         m.created_at, m.handled_at
    from operator_messages m
   where p_since is null or m.created_at >= p_since
   order by m.created_at desc
   limit p_limit;
$$;

-- The operator's inbox: each escalation with one state as the operator would say it (answered,
-- held for quiet hours, briefed, sent, queued) and the replies linked to its signal.
create function dashboard_inbox(p_limit integer default 30)
returns table (signal_id uuid, source_bot text, signal_type text, severity signal_severity, line text, state text,
               created_at timestamptz, briefed_at timestamptz, answered_at timestamptz, replies jsonb)
language sql stable as $$
  select e.signal_id, e.source_bot, e.signal_type, e.severity, e.line,
         case
           when e.status = 'answered' then 'answered'
           when e.status = 'held' and e.briefed_at is null then 'held'
           when e.briefed_at is not null then 'briefed'
           when exists (select 1 from telegram_outbox o where o.signal_id = e.signal_id and o.status = 'sent') then 'sent'
           else 'queued'
         end,
         e.created_at, e.briefed_at, e.answered_at,
         coalesce((select jsonb_agg(jsonb_build_object('id', m.id, 'text', m.text, 'sender', m.sender_id, 'channel', m.channel,
                                                       'status', m.status, 'routed_to', m.routed_to, 'at', m.created_at)
                                    order by m.created_at)
                     from operator_messages m where m.reply_to_signal_id = e.signal_id), '[]'::jsonb)
    from escalations e
   order by e.created_at desc
   limit p_limit;
$$;

-- Runs filtered by any set of statuses (missed, failed, timed_out, abandoned stand out), newest first.
create function list_cron_runs_by_status(p_statuses text[] default null, p_bot text default null, p_limit integer default 50)
returns table (run_id uuid, bot text, job text, scheduled_for timestamptz, status text, manual boolean, host text, attempt integer,
               started_at timestamptz, finished_at timestamptz, error text, requested_by text)
language sql stable as $$
  select r.id, r.bot, r.job, r.scheduled_for, r.status, r.manual, r.host, r.attempt, r.started_at, r.finished_at, r.error, r.requested_by
    from cron_runs r
   where (p_statuses is null or r.status = any (p_statuses)) and (p_bot is null or r.bot = p_bot)
   order by r.scheduled_for desc
   limit p_limit;
$$;

-- "Run now" from a page: a second click (or a second tab) while the first request still waits or
-- runs, or within p_within_seconds of it (a quick job may already be done), returns that run
-- instead of asking for another, so one intent makes one manual run. The advisory lock serialises
-- two requests for the same job, from one dashboard process or two.
create function request_manual_run_once(p_bot text, p_job text, p_requested_by text default 'dashboard', p_within_seconds integer default 5)
returns table (run_id uuid, scheduled_for timestamptz, created boolean)
language plpgsql as $$
declare v_id uuid; v_at timestamptz;
begin
  perform pg_advisory_xact_lock(hashtext('request_manual_run_once'), hashtext(p_bot || '/' || p_job));
  select r.id, r.scheduled_for into v_id, v_at from cron_runs r
   where r.bot = p_bot and r.job = p_job and r.manual
     and (r.status in ('requested', 'running') or r.scheduled_for > clock_timestamp() - make_interval(secs => p_within_seconds))
   order by r.scheduled_for desc limit 1;
  if v_id is not null then
    return query select v_id, v_at, false;
    return;
  end if;
  return query select m.run_id, m.scheduled_for, true from request_manual_run(p_bot, p_job, p_requested_by) m;
end
$$;
