import { fingerprintOf, type BotContext, type SignalHandlerOf } from '@jbot/core';
import { rotateCreatives } from './actions/rotate-creatives.js';

// Where a UGC grant allows paid use: studiobot's rights scopes name the channel.
const PAID_SCOPES = new Set(['meta_ads', 'paid_ads', 'ads', 'paid_social', 'whitelisting']);

/** `ad_fatigue` → a creative-briefs trigger for the ad's ad set (once per ad). */
export const briefOnFatigue: SignalHandlerOf<'ad_fatigue', BotContext> = async (signal, context) => {
  const { payload } = signal;
  await context.db.rpc('record_ad_brief_trigger', {
    p_kind: 'fatigue',
    p_ref: payload.ad_id,
    p_brand: payload.brand ?? null,
    p_ad_set_id: payload.ad_set_id,
    p_detail: payload,
    p_signal_id: signal.id,
  });
};

/** `launch_at_risk` naming adsbot → a creative-briefs trigger for the launch (once per launch and date). */
export const briefOnLaunch: SignalHandlerOf<'launch_at_risk', BotContext> = async (signal, context) => {
  const { payload } = signal;
  if (!payload.missing.some((item) => item.owner_bot === context.bot)) return;
  await context.db.rpc('record_ad_brief_trigger', {
    p_kind: 'launch',
    p_ref: `${payload.launch}:${payload.date}`,
    p_brand: payload.brand ?? null,
    p_ad_set_id: null,
    p_detail: payload,
    p_signal_id: signal.id,
  });
};

/** `ugc_available` → the creative library, when its rights cover paid ads (studiobot → adsbot in the creative chain). */
export const addUgcToLibrary: SignalHandlerOf<'ugc_available', BotContext> = async (signal, context) => {
  const { payload } = signal;
  if (!payload.rights_scope.some((scope) => PAID_SCOPES.has(scope))) {
    context.log.info({ assetId: payload.asset_id, scope: payload.rights_scope }, 'UGC not cleared for paid ads: not added to the creative library');
    return;
  }
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
  // A replacement for a fatigued ad: make sure its ad set gets a brief even if the fatigue trigger was briefed already.
  if (payload.replaces_ad_id !== undefined) {
    const ad = (await context.connectors.ads.listAds()).find((candidate) => candidate.id === payload.replaces_ad_id);
    if (ad !== undefined)
      await context.db.rpc('record_ad_brief_trigger', {
        p_kind: 'fatigue',
        p_ref: `${ad.id}:ugc:${payload.asset_id}`,
        p_brand: payload.brand,
        p_ad_set_id: ad.adSetId,
        p_detail: { ad_name: ad.name, ugc_asset_id: payload.asset_id },
        p_signal_id: signal.id,
      });
  }
};

/** `ugc_rights_expiring` → pause (and replace with the queued creative) every live ad using the asset. */
export const pauseAdsOnExpiringRights: SignalHandlerOf<'ugc_rights_expiring', BotContext> = async (signal, context) => {
  const { payload } = signal;
  const ads = await context.connectors.ads.listAds();
  const named = new Set(payload.in_use.filter((use) => /ad/i.test(use.kind)).map((use) => use.id));
  const using = ads.filter((ad) => ad.status === 'ACTIVE' && (named.has(ad.id) || ad.assetId === payload.asset_id));
  if (using.length === 0) return;
  const rotations = using.map((ad) => {
    const queued = ads.find((other) => other.adSetId === ad.adSetId && other.status === 'PAUSED' && other.queued && other.assetId !== payload.asset_id);
    return { pause_ad_id: ad.id, pause_ad: ad.name, activate_ad_id: queued?.id ?? null, activate_ad: queued?.name ?? null };
  });
  await context.approvals.request({
    action: rotateCreatives,
    title: `Pause ${using.length} ad${using.length === 1 ? '' : 's'} using ${payload.asset_id} (rights ${new Date(payload.expires_at) <= new Date() ? 'expired' : `expire ${payload.expires_at.slice(0, 10)}`})`,
    draft: { reason: `usage rights for ${payload.asset_id} (${payload.licensor}) end ${payload.expires_at.slice(0, 10)}`, rotations },
    requestKey: `ugc-rights:${payload.asset_id}:${payload.expires_at}:${fingerprintOf(using.map((ad) => ad.id))}`,
    signalId: signal.id,
  });
};
