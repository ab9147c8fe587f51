import type { BotContext, SignalHandlerOf } from '@jbot/core';

// Where a UGC grant allows organic posting.
const ORGANIC_SCOPES = new Set(['organic', 'organic_social', 'social']);

/** `stockout_risk` → no post features the SKU (post-drafts skips it, calendar-gaps flags planned ones). */
export const holdSkuOnStockout: SignalHandlerOf<'stockout_risk', BotContext> = async (signal, context) => {
  await context.db.rpc('hold_social_sku', { p_sku: signal.payload.sku, p_days_of_cover: signal.payload.days_of_cover, p_signal_id: signal.id });
};

/** `back_in_stock` → the SKU can be featured again (re-queued for post-drafts). */
export const releaseSkuBackInStock: SignalHandlerOf<'back_in_stock', BotContext> = async (signal, context) => {
  const [released] = await context.db.rpc('release_social_sku', { p_sku: signal.payload.sku });
  context.log.info({ sku: signal.payload.sku, released: released?.['release_social_sku'] }, 'SKU back in stock: posts may feature it again');
};

/** `ugc_available` → the post-drafts library, when its rights cover organic posts. */
export const addUgcToPostLibrary: SignalHandlerOf<'ugc_available', BotContext> = async (signal, context) => {
  const { payload } = signal;
  if (!payload.rights_scope.some((scope) => ORGANIC_SCOPES.has(scope))) return;
  await context.db.rpc('record_ugc_asset', {
    p_bot: context.bot,
    p_asset_id: payload.asset_id,
    p_brand: payload.brand,
    p_platform: payload.platform,
    p_permalink: payload.permalink,
    p_rights_scope: payload.rights_scope,
    p_expires_at: payload.expires_at,
    p_signal_id: signal.id,
  });
};

/** `launch_at_risk` naming socialbot → run post-drafts now for the launch. */
export const draftForLaunch: SignalHandlerOf<'launch_at_risk', BotContext> = async (signal, context) => {
  if (!signal.payload.missing.some((item) => item.owner_bot === context.bot)) return;
  await context.db.rpc('request_manual_run', { p_bot: context.bot, p_job: 'post-drafts', p_requested_by: `signal:${signal.id}` });
};
