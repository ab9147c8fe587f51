-- reset_fleet_activity again: connector_side_effects now references approvals (on delete set
-- null), so a TRUNCATE of approvals is refused. Rows are deleted instead, in the order the
-- foreign keys allow; the side-effect ledger keeps its rows (their approval_id becomes null),
-- as live vendors' idempotency must survive a local reset.

create or replace function reset_fleet_activity()
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
  delete from operator_messages;
  get diagnostics v_operator = row_count;
  delete from telegram_outbox;
  delete from channel_messages;
  get diagnostics v_channel = row_count;
  delete from approvals;
  get diagnostics v_approvals = row_count;
  -- Receipts and escalations go with their signal (on delete cascade).
  delete from bot_signals;
  get diagnostics v_signals = row_count;
  delete from bot_outputs;
  return query select v_signals, v_approvals, v_channel, v_operator;
end;
$$;
