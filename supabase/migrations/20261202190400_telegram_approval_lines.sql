-- A Telegram approval line shows its decision wherever the decision was made. jbot used to edit
-- the line only when it was tapped, so a decision on Discord, the CLI or the dashboard left the
-- buttons on the operator's phone until the next tap. Each line now records the status it shows;
-- jbot edits lines whose approval has moved on (woken by NOTIFY 'approvals', with a poll).
alter table channel_messages add column shown_approval_status text;
create index channel_messages_telegram_approval_lines on channel_messages (created_at)
  where channel = 'telegram' and approval_id is not null and external_message_id is not null;

-- Single-approval lines of the last week whose approval was decided (or executed, failed,
-- expired) since the line last showed it.
create function telegram_approval_lines_to_refresh(p_limit integer default 20)
returns table (channel_message_id uuid, chat_id text, external_message_id text, approval_id uuid, status text)
language sql stable as $$
  select m.id, m.target, m.external_message_id, m.approval_id, a.status
    from channel_messages m join approvals a on a.id = m.approval_id
   where m.channel = 'telegram' and m.approval_id is not null and m.external_message_id is not null
     and m.created_at > now() - interval '7 days'
     and a.status <> 'pending'
     and a.status is distinct from coalesce(m.shown_approval_status, 'pending')
   order by m.created_at
   limit p_limit;
$$;

-- The line (chat + Telegram message id) now shows this status.
create function mark_telegram_approval_line(p_chat_id text, p_external_message_id text, p_status text)
returns void
language sql as $$
  update channel_messages m set shown_approval_status = p_status
   where m.channel = 'telegram' and m.target = p_chat_id and m.external_message_id = p_external_message_id;
$$;
