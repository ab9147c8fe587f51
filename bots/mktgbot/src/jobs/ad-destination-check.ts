import { defineJob, envNumber, envSettings, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import type { AdDestination, LandingCheck } from '@jbot/connectors';
import { pauseCampaigns } from '../propose-pauses.js';

const DAY_MS = 86_400_000;

/** The job's settings. */
export const adDestinationSettings = envSettings({
  /** A stated price this far from the store's price (dollars) is a mismatch. */
  PAID_PRICE_TOLERANCE_USD: envNumber(0.01, 0),
});

type AdDestinationSettings = ReturnType<typeof adDestinationSettings.load>;

/** One ad whose landing page is wrong. */
export interface BrokenDestination {
  platform: AdDestination['platform'];
  ad_id: string;
  ad: string;
  campaign_id: string;
  url: string;
  problem: 'http_4xx' | 'removed' | 'out_of_stock' | 'price_mismatch';
  sku: string | null;
  detail: string;
}

/** What the store says about a SKU: units available (all locations) and its price. */
export interface StoreFacts {
  skuByHandle: ReadonlyMap<string, string>;
  available: ReadonlyMap<string, number>;
  price: ReadonlyMap<string, number>;
}

/**
 * The catalogue's rules per active ad: HTTP ≥ 400; a product URL redirected to the home page or a
 * collection (the product was removed); the promoted SKU with no units available; a price in
 * the ad's copy other than the store's. One problem per ad, the most serious first. Pure.
 */
export function judgeDestinations(
  ads: readonly AdDestination[],
  checks: readonly LandingCheck[],
  store: StoreFacts,
  settings: AdDestinationSettings,
): BrokenDestination[] {
  const byUrl = new Map(checks.map((check) => [check.url, check]));
  const broken: BrokenDestination[] = [];
  for (const ad of ads) {
    if (ad.campaignStatus !== 'ACTIVE') continue;
    const check = byUrl.get(ad.url);
    const path = new URL(ad.url).pathname;
    const handle = /^\/products\/([^/?#]+)/.exec(path)?.[1];
    const sku = ad.sku ?? (handle === undefined ? null : (store.skuByHandle.get(handle) ?? null));
    const base = { platform: ad.platform, ad_id: ad.adId, ad: ad.name, campaign_id: ad.campaignId, url: ad.url, sku };
    if (check !== undefined && check.status >= 400) {
      broken.push({ ...base, problem: 'http_4xx', detail: `${path} answers ${check.status}` });
      continue;
    }
    if (check !== undefined && handle !== undefined && check.redirects > 0 && (check.finalPath === '/' || check.finalPath.startsWith('/collections/'))) {
      broken.push({ ...base, problem: 'removed', detail: `${path} redirects to ${check.finalPath}: the product is gone` });
      continue;
    }
    if (sku !== null && (store.available.get(sku) ?? 1) <= 0) {
      broken.push({ ...base, problem: 'out_of_stock', detail: `${sku} has ${store.available.get(sku) ?? 0} units available` });
      continue;
    }
    const price = sku === null ? undefined : store.price.get(sku);
    if (ad.statedPrice !== null && price !== undefined && Math.abs(ad.statedPrice - price) > settings.PAID_PRICE_TOLERANCE_USD)
      broken.push({ ...base, problem: 'price_mismatch', detail: `the ad says $${ad.statedPrice.toFixed(2)}, the store charges $${price.toFixed(2)}` });
  }
  return broken;
}

/** Run once: every active ad's destination checked, the post on change, ad_destination_broken per ad, pause_campaigns for the Meta campaigns among them. */
export async function runAdDestinationCheck(
  context: BotContext & JobRunInfo,
  settings = adDestinationSettings.load({}),
  now = new Date(),
): Promise<{
  outcome: Awaited<ReturnType<typeof reportFindings>>;
  broken: BrokenDestination[];
  checked: number;
  approval: { id: string; created: boolean } | null;
  signals: number;
}> {
  const { paidMedia, landingPages, storefront, commerce } = context.connectors;
  const ads = (await paidMedia.adDestinations()).filter((ad) => ad.campaignStatus === 'ACTIVE');
  const [checks, content, inventory, prices] = await Promise.all([
    landingPages.check([...new Set(ads.map((ad) => ad.url))]),
    storefront.listProductContent(),
    commerce.listInventory(),
    commerce.listPrices(),
  ]);
  const available = new Map<string, number>();
  for (const level of inventory) available.set(level.sku, (available.get(level.sku) ?? 0) + level.available);
  const store: StoreFacts = {
    skuByHandle: new Map(content.map((product) => [product.handle, product.sku])),
    available,
    price: new Map(prices.map((row) => [row.sku, row.price])),
  };
  const broken = judgeDestinations(ads, checks, store, settings);
  const outcome = await reportFindings(context, {
    findings: broken,
    noun: 'broken ad destination',
    message: () => ({
      title: `Ad destinations: ${broken.length} of ${ads.length} active ads land on a page that is wrong`,
      text: broken.map((row) => `• ${row.platform} "${row.ad}": ${row.problem.replace(/_/g, ' ')} — ${row.detail}`).join('\n'),
      kind: 'note',
    }),
    nothingLine: `All ${ads.length} active ads land on live, in-stock pages at the prices they state.`,
  });
  const day = now.toISOString().slice(0, 10);
  let signals = 0;
  for (const row of broken) {
    const emitted = await context.signals.emit(
      'ad_destination_broken',
      { platform: row.platform, ad_id: row.ad_id, url: row.url, problem: row.problem, sku: row.sku, campaign_id: row.campaign_id, detail: row.detail },
      { severity: 'warning', dedupeKey: `ad_destination_broken:${row.platform}:${row.ad_id}:${row.problem}:${day}`, dedupeWindowMs: DAY_MS },
    );
    if (!emitted.deduplicated) signals += 1;
  }
  // pause_campaigns executes through the Meta ads connector: Meta campaigns are proposed; the other platforms' ads are posted and signalled for a person.
  const metaCampaigns = [...new Set(broken.filter((row) => row.platform === 'meta').map((row) => row.campaign_id))];
  let approval: { id: string; created: boolean } | null = null;
  if (metaCampaigns.length > 0) {
    const names = new Map((await paidMedia.listCampaigns()).map((campaign) => [`${campaign.platform}:${campaign.id}`, campaign]));
    const requested = await context.approvals.request({
      action: pauseCampaigns,
      title: `Pause ${metaCampaigns.length} Meta campaign${metaCampaigns.length === 1 ? '' : 's'} whose ads land on broken or sold-out pages`,
      draft: {
        campaigns: metaCampaigns.map((campaignId) => {
          const problems = broken.filter((row) => row.platform === 'meta' && row.campaign_id === campaignId);
          return {
            campaign_id: campaignId,
            campaign: names.get(`meta:${campaignId}`)?.name ?? campaignId,
            ...(names.get(`meta:${campaignId}`) === undefined ? {} : { daily_budget_usd: names.get(`meta:${campaignId}`)?.dailyBudget ?? 0 }),
            skus: [...new Set(problems.map((row) => row.sku).filter((sku): sku is string => sku !== null))].join(', '),
            reason: `ad destination: ${problems.map((row) => `"${row.ad}" ${row.problem.replace(/_/g, ' ')}`).join('; ')}`,
          };
        }),
        note: 'On approval mktgbot pauses each campaign once; fix the landing page (or restock) and resume it.',
      },
      // The same broken set is one proposal, however many mornings it stays broken.
      requestKey: `ad-destination-check:${metaCampaigns.sort().join(',')}:${broken
        .filter((row) => row.platform === 'meta')
        .map((row) => `${row.ad_id}:${row.problem}`)
        .sort()
        .join(',')}`,
    });
    approval = { id: requested.approval.id, created: requested.created };
  }
  context.log.info({ ads: ads.length, broken: broken.length, signals }, 'ad destination check');
  return { outcome, broken, checked: ads.length, approval, signals };
}

/** mktgbot's ad-destination-check: daily 06:30 (fleet time zone). */
export const adDestinationCheck = defineJob({
  id: 'ad-destination-check',
  schedule: '30 6 * * *',
  description: 'Every active ad lands on a live, in-stock page at the price it states → ad_destination_broken (warning) + pause_campaigns',
  timeoutMs: 300_000,
  // Daily: a missed morning catches up once.
  missed: 'once',
  settings: adDestinationSettings,
  async run(context) {
    const { outcome, approval, signals, checked } = await runAdDestinationCheck(context, context.config);
    return jobOutcome(`${outcome.outcome}${approval === null ? '' : `; pause_campaigns ${approval.created ? 'asked' : 'already asked'}`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, checked, signals, approval },
    });
  },
});
