import { runOnce, type SignalHandlerOf } from '@jbot/core';
import { listRights } from '../brain/creator-book.js';
import { brandFromAdName, brandOf } from '../brands.js';
import { findStrongUgc, ugcHarvestSettings } from '../jobs/ugc-harvest.js';

const DAY_MS = 86_400_000;
/** Cleared assets offered per fatigued ad. */
const SHORTLIST_SIZE = 5;
/** An asset is offered only with at least this much licence left (a new ad needs a run). */
const MIN_RIGHTS_LEFT_DAYS = 30;

/**
 * The creative chain's middle link (ad_fatigue → UGC shortlist → ugc_available → adsbot drafts):
 * for a fatigued ad, the brand's rights-cleared assets licensed for ads with a month or more left
 * are announced as `ugc_available` (replaces_ad_id set), and strong posts still without rights are
 * listed so the next ugc-harvest asks for them. One post on #studio-bot and a digest note.
 * Redelivery is harmless: each asset's signal is deduplicated per fatigued ad.
 */
export const shortlistUgcForFatigue: SignalHandlerOf<'ad_fatigue'> = async (signal, context) => {
  const fatigue = signal.payload;
  let brand = fatigue.brand ?? brandFromAdName(fatigue.ad_name);
  if (brand === null && fatigue.campaign_id !== undefined) {
    const campaign = (await context.connectors.ads.listCampaigns()).find((candidate) => candidate.id === fatigue.campaign_id);
    brand = brandFromAdName(campaign?.name);
  }
  const now = new Date();
  const register = await listRights(context.db);
  const cleared = register
    .filter(
      (asset) =>
        (brand === null || asset.brand === brand) &&
        asset.status === 'granted' &&
        asset.channels.includes('meta_ads') &&
        asset.expiresAt !== null &&
        Date.parse(asset.expiresAt) >= now.getTime() + MIN_RIGHTS_LEFT_DAYS * DAY_MS,
    )
    // Video first (it holds attention in a fatigued placement), then the longest licence.
    .sort(
      (left, right) =>
        Number(right.mediaType === 'VIDEO') - Number(left.mediaType === 'VIDEO') || String(right.expiresAt).localeCompare(String(left.expiresAt)),
    )
    .slice(0, SHORTLIST_SIZE);
  const uncleared = (await findStrongUgc(context, now, ugcHarvestSettings.load({}), register)).filter((post) => brand === null || post.brand === brand);
  for (const asset of cleared) {
    await context.signals.emit(
      'ugc_available',
      {
        asset_id: asset.assetId,
        brand: asset.brand,
        platform: asset.platform,
        permalink: asset.permalink,
        rights_scope: asset.channels,
        expires_at: asset.expiresAt ?? '',
        licensor: asset.licensor,
        ...(asset.mediaType === null ? {} : { media_type: asset.mediaType }),
        replaces_ad_id: fatigue.ad_id,
      },
      { dedupeKey: `ugc_available:${asset.assetId}:${fatigue.ad_id}`, dedupeWindowMs: 7 * DAY_MS },
    );
  }
  const brandName = brand === null ? 'all brands' : brandOf(brand).name;
  // One shortlist post and note per fatigue signal, however often it is redelivered.
  const posted = await runOnce(context.db, { key: `studiobot:ugc-shortlist:${signal.id}`, bot: context.bot }, async () => {
    await context.channel.post({
      title: `UGC shortlist for fatigued ad ${fatigue.ad_name ?? fatigue.ad_id} (${brandName})`,
      text: [
        `Frequency ${fatigue.frequency_7d.toFixed(1)}, CTR ${fatigue.ctr_drop_pct.toFixed(0)}%, CPM ${fatigue.cpm_change_pct >= 0 ? '+' : ''}${fatigue.cpm_change_pct.toFixed(0)}% — replacements:`,
        ...(cleared.length === 0
          ? ['• no rights-cleared asset with a month of licence left']
          : cleared.map(
              (asset) =>
                `• ✅ ${asset.assetId} by @${asset.licensor} (${asset.mediaType ?? 'media'}, rights to ${String(asset.expiresAt).slice(0, 10)}) ${asset.permalink}`,
            )),
        ...uncleared.slice(0, SHORTLIST_SIZE).map((post) => `• ⏳ @${post.username} ${post.permalink} — strong, rights not yet asked (ugc-harvest asks)`),
        '',
        cleared.length === 0 ? '' : `Sent to adsbot as ugc_available (${cleared.length}).`,
      ]
        .filter((line) => line !== '')
        .join('\n'),
      kind: 'note',
    });
    await context.signals.emit(
      'bot_note',
      {
        text: `UGC shortlist for fatigued ad ${fatigue.ad_id}: ${cleared.length} cleared, ${uncleared.length} awaiting rights`,
        detail: {
          kind: 'ugc_shortlist',
          ad_id: fatigue.ad_id,
          brand,
          cleared: cleared.map((asset) => asset.assetId),
          awaiting_rights: uncleared.map((post) => post.media_id),
        },
      },
      { dedupeKey: `ugc_shortlist:${fatigue.ad_id}`, dedupeWindowMs: DAY_MS },
    );
    return { cleared: cleared.length };
  });
  context.log.info(
    { adId: fatigue.ad_id, brand, cleared: cleared.length, uncleared: uncleared.length },
    `ugc shortlist for a fatigued ad${posted.ran ? '' : ' (already posted for this signal)'}`,
  );
};
