-- The operator's sample outbox: emails jbot sends after approval (the KPI pack, meeting recaps),
-- once per idempotency key, so an approved send visibly lands in the sample company.

create table sample_sent_mail (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  to_addresses jsonb not null,
  subject text not null,
  body text not null,
  -- [{filename, mimeType, content}]
  attachments jsonb not null default '[]'::jsonb,
  sent_at timestamptz not null default now()
);

-- Send once: a repeat under the same key returns the first message with sent = false.
create function sample_mail_send(p_idempotency_key text, p_to jsonb, p_subject text, p_body text, p_attachments jsonb default '[]'::jsonb)
returns table (message_id text, sent boolean)
language plpgsql as $$
declare
  v_id bigint;
begin
  if jsonb_typeof(p_to) <> 'array' or jsonb_array_length(p_to) = 0 then
    raise exception 'sample_mail_send needs at least one recipient' using errcode = 'invalid_parameter_value';
  end if;
  insert into sample_sent_mail (idempotency_key, to_addresses, subject, body, attachments)
  values (p_idempotency_key, p_to, p_subject, p_body, coalesce(p_attachments, '[]'::jsonb))
  on conflict (idempotency_key) do nothing
  returning id into v_id;
  if v_id is not null then
    return query select 'sample-sent-' || v_id, true;
    return;
  end if;
  return query select 'sample-sent-' || m.id, false from sample_sent_mail m where m.idempotency_key = p_idempotency_key;
end
$$;

create function sample_mail_list_sent()
returns table (message_id text, idempotency_key text, to_addresses jsonb, subject text, body text, attachments jsonb, sent_at timestamptz)
language sql stable as $$
  select 'sample-sent-' || m.id, m.idempotency_key, m.to_addresses, m.subject, m.body, m.attachments, m.sent_at from sample_sent_mail m order by m.id;
$$;
