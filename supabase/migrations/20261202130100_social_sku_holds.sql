-- socialbot's hold on posts featuring a SKU at stockout risk (stockout_risk), released when it is
-- back in stock (back_in_stock). One row per SKU; a repeat of the same signal changes nothing.
create table social_sku_holds (
  sku text primary key,
  days_of_cover numeric,
  signal_id uuid,
  held_at timestamptz not null default now(),
  released_at timestamptz
);

create function hold_social_sku(p_sku text, p_days_of_cover numeric, p_signal_id uuid default null)
returns void
language sql as $$
  insert into social_sku_holds (sku, days_of_cover, signal_id) values (p_sku, p_days_of_cover, p_signal_id)
  on conflict (sku) do update set days_of_cover = excluded.days_of_cover, signal_id = excluded.signal_id,
     held_at = case when social_sku_holds.released_at is null then social_sku_holds.held_at else now() end, released_at = null;
$$;

create function release_social_sku(p_sku text)
returns boolean
language sql as $$
  with released as (update social_sku_holds h set released_at = now() where h.sku = p_sku and h.released_at is null returning 1)
  select exists (select 1 from released);
$$;

create function list_social_sku_holds()
returns table (sku text, days_of_cover numeric, held_at timestamptz)
language sql stable as $$
  select h.sku, h.days_of_cover, h.held_at from social_sku_holds h where h.released_at is null order by h.sku;
$$;
