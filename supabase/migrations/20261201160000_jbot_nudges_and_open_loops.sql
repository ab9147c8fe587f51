-- jbot's approval-nudge and open-loops jobs (catalogue, jbot section). Both read only the brain.
--
-- approval-nudge: the Telegram outbox is the record of what was offered. Every approval line
-- (the first offer, a "Full draft" part, a nudge) is an outbox row with the approval's id and
-- body kind 'approval', so "not nudged in the last 2 h" is a look at those rows, and a local
-- reset (reset_fleet_activity clears the outbox) forgets nudges with everything else.

-- Pending, unexpired approvals with what the nudge rule needs: how long they have waited, when
-- they expire, and when they were last offered to this chat on Telegram (null: never).
create function approvals_to_nudge(p_chat_id text, p_limit integer default 50)
returns table (approval_id uuid, bot text, action text, title text, draft jsonb, signal_id uuid,
               requested_at timestamptz, expires_at timestamptz, last_offered_at timestamptz, db_now timestamptz)
language sql stable as $$
  select a.id, a.bot, a.action, a.title, a.draft, a.signal_id, a.requested_at, a.expires_at,
         (select max(o.created_at) from telegram_outbox o
           where o.approval_id = a.id and o.chat_id = p_chat_id and o.body ->> 'kind' = 'approval'),
         now()
    from approvals a
   where a.status = 'pending' and a.expires_at > now()
   order by a.expires_at asc, a.requested_at asc
   limit p_limit;
$$;

-- Queue one nudge message for a chat: a header line and one approval line per item, all in one
-- transaction so the dispatcher claims them together and sends ONE batched message. Under a
-- per-chat lock each item is checked again (still pending, not offered to this chat within
-- p_repeat_after_seconds), so a manual run racing the scheduled one never nudges twice.
-- p_items: [{approval_id, bot, text, buttons, signal_id}]. Returns the approvals queued now.
create function enqueue_approval_nudges(
  p_chat_id text, p_header text, p_items jsonb, p_repeat_after_seconds integer, p_key text
) returns table (approval_id uuid)
language plpgsql as $$
#variable_conflict use_column
declare
  v_item jsonb;
  v_id uuid;
  v_queued uuid[] := '{}';
  v_inserted boolean;
begin
  perform pg_advisory_xact_lock(hashtextextended('approval_nudge:' || p_chat_id, 0));
  for v_item in select jsonb_array_elements(p_items) loop
    v_id := (v_item ->> 'approval_id')::uuid;
    continue when not exists (select 1 from approvals a where a.id = v_id and a.status = 'pending' and a.expires_at > now());
    continue when exists (select 1 from telegram_outbox o
                           where o.approval_id = v_id and o.chat_id = p_chat_id and o.body ->> 'kind' = 'approval'
                             and o.created_at > now() - make_interval(secs => p_repeat_after_seconds));
    v_queued := v_queued || v_id;
  end loop;
  if cardinality(v_queued) = 0 then
    return;
  end if;
  perform enqueue_telegram_message(p_chat_id, 'jbot', p_header, jsonb_build_object('kind', 'note', 'nudge', true),
                                   null, null, null, 'approval-nudge:' || p_key || ':' || p_chat_id);
  for v_item in select jsonb_array_elements(p_items) loop
    v_id := (v_item ->> 'approval_id')::uuid;
    continue when not (v_id = any (v_queued));
    select e.inserted into v_inserted from enqueue_telegram_message(
      p_chat_id, v_item ->> 'bot', v_item ->> 'text',
      jsonb_build_object('kind', 'approval', 'buttons', v_item -> 'buttons', 'nudge', true),
      nullif(v_item ->> 'signal_id', '')::uuid, v_id, null,
      'approval-nudge:' || p_key || ':' || p_chat_id || ':' || v_id) e;
    if v_inserted then
      return query select v_id;
    end if;
  end loop;
end
$$;

-- open-loops: what the operator asked for that has not closed, three kinds of item.
--   instruction: a message routed to a bot more than p_instruction_age_seconds ago with no
--                approval of that bot about the same signal (or the instruction). An approval
--                asked before the reply counts too: a second "draft it" finds the first draft.
--   approval:    approved more than p_execution_grace_seconds ago and still not executed, or failed;
--   escalation:  answered by the operator, yet its source bot is still raising it (the signal
--                repeated after the answer, or a newer one of the same key arrived).
-- Only items from the last p_lookback_seconds: an old loop is history, not this afternoon's list.
create function open_loops(
  p_instruction_age_seconds integer default 7200,
  p_execution_grace_seconds integer default 1800,
  p_lookback_seconds integer default 604800
) returns table (kind text, item_id uuid, bot text, text text, signal_id uuid, since timestamptz, detail text)
language sql stable as $$
  with instructions as (
    select o.id, o.routed_to, o.text, o.created_at, o.reply_to_signal_id, o.status,
           (select s.id from bot_signals s
             where s.signal_type = 'operator_instruction' and s.payload ->> 'operator_message_id' = o.id::text
             order by s.created_at limit 1) as instruction_signal_id
      from operator_messages o
     where o.routed_to is not null and o.routed_to <> 'jbot'
       and o.status in ('routed', 'handled', 'failed')
       and o.created_at < now() - make_interval(secs => p_instruction_age_seconds)
       and o.created_at >= now() - make_interval(secs => p_lookback_seconds)
  )
  select 'instruction', i.id, i.routed_to, i.text, i.reply_to_signal_id, i.created_at,
         coalesce((select r.status::text from signal_receipts r
                    where r.signal_id = i.instruction_signal_id and r.consumer_bot = i.routed_to), i.status)
    from instructions i
   where not exists (
     select 1 from approvals a
      where a.bot = i.routed_to
        and (a.signal_id = i.reply_to_signal_id or a.signal_id = i.instruction_signal_id))
  union all
  select 'approval', a.id, a.bot, a.title, a.signal_id, a.decided_at,
         case when a.status = 'failed' then 'failed: ' || left(coalesce(a.error, 'no error recorded'), 200) else a.status end
    from approvals a
   where a.decided_at >= now() - make_interval(secs => p_lookback_seconds)
     and (a.status = 'failed'
          or (a.status in ('approved', 'executing') and a.decided_at < now() - make_interval(secs => p_execution_grace_seconds)))
  union all
  select 'escalation', e.signal_id, e.source_bot, e.line, e.signal_id, e.answered_at,
         case when s.last_repeated_at > e.answered_at then 'repeated ' || s.repeat_count || '×, last ' || to_char(s.last_repeated_at, 'YYYY-MM-DD HH24:MI TZ')
              else 'raised again since the answer' end
    from escalations e join bot_signals s on s.id = e.signal_id
   where e.status = 'answered' and e.answered_at >= now() - make_interval(secs => p_lookback_seconds)
     and (s.expires_at is null or s.expires_at > now())
     and (s.last_repeated_at > e.answered_at
          or exists (select 1 from bot_signals n
                      where n.source_bot = s.source_bot and n.signal_type = s.signal_type and n.id <> s.id
                        and n.dedupe_key is not distinct from s.dedupe_key and n.created_at > e.answered_at))
   order by 6 asc;
$$;
