-- `fleet seed --reset` on a local or demo brain: the sample company is reloaded, and what the
-- fleet did with the old copy goes with it, so the demos run like the first time (a stale-deals
-- warning is raised afresh instead of being deduplicated into last week's, old approvals and
-- Telegram lines do not reappear). Kept: cron history, the LLM ledger, heartbeats, settings,
-- leases, and the connectors' side-effect ledger (live vendors' idempotency must survive).
-- The CLI calls this only for the embedded brain or with FLEET_SAMPLE_DATA=true.

create function reset_fleet_activity()
returns table (signals integer, approvals integer, channel_messages integer, operator_messages integer)
language plpgsql as $$
declare
  v_signals integer;
  v_approvals integer;
  v_channel integer;
  v_operator integer;
begin
  -- The same lock as sample_company_load: a reset and a load never interleave.
  perform pg_advisory_xact_lock(hashtext('sample_company_load'));
  select count(*) into v_signals from bot_signals;
  select count(*) into v_approvals from approvals;
  select count(*) into v_channel from channel_messages;
  select count(*) into v_operator from operator_messages;
  truncate bot_signals, signal_receipts, escalations, approvals, channel_messages, operator_messages, telegram_outbox, bot_outputs;
  return query select v_signals, v_approvals, v_channel, v_operator;
end;
$$;
