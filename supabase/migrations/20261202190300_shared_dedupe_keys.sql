-- Dedupe is scoped to (source bot, signal type, key) since 20261202190000. A few keys are shared
-- on purpose: the LLM layer's refusal in a bot and sysbot's cost watchdog both raise
-- budget_exceeded:<bot>:<day>, and the operator should see one alert. A shared-key emit raises
-- nothing when any bot already raised this type under this key inside the window; it never
-- touches the other bot's signal, so no bot can use it to change another's.
create function emit_signal_unless_raised(
  p_source_bot text,
  p_signal_type text,
  p_severity signal_severity,
  p_payload jsonb,
  p_dedupe_key text,
  p_dedupe_window_seconds integer default 3600,
  p_expires_at timestamptz default null
) returns table (signal_id uuid, deduplicated boolean, repeat_count integer, created_at timestamptz)
language plpgsql as $$
#variable_conflict use_column
declare
  v_row bot_signals;
begin
  if p_dedupe_key is null then
    raise exception 'emit_signal_unless_raised needs a dedupe key';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('bot_signals_shared:' || p_signal_type || ':' || p_dedupe_key, 0));
  select * into v_row from bot_signals b
   where b.signal_type = p_signal_type and b.dedupe_key = p_dedupe_key and b.source_bot <> p_source_bot
     and b.created_at > now() - make_interval(secs => p_dedupe_window_seconds)
   order by b.created_at desc limit 1;
  if v_row.id is not null then
    return query select v_row.id, true, v_row.repeat_count, v_row.created_at;
    return;
  end if;
  return query select * from emit_signal(p_source_bot, p_signal_type, p_severity, p_payload, p_dedupe_key, p_dedupe_window_seconds, p_expires_at);
end
$$;
