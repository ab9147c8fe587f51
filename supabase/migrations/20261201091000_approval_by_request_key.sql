-- A bot's approval for one request key, if it asked already: a handler checks before it drafts,
-- so a redelivered or repeated signal makes no second model call for the same request.
create function find_approval_by_request_key(p_bot text, p_request_key text)
returns table (approval_id uuid)
language sql stable as $$
  select a.id from approvals a where a.bot = p_bot and a.request_key = p_request_key;
$$;
