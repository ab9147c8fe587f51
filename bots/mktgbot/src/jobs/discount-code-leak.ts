import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import type { CodeRedemption, Discount } from '@jbot/connectors';
import { listSetting } from '../klaviyo/list-setting.js';
import { disableDiscountCode, replacementCode, type DisableDiscountCodeDraft } from '../promotions/disable-discount-code.js';

const DAY_MS = 86_400_000;

/** The job's settings, with the catalogue's values as defaults. */
export const discountLeakSettings = envSettings({
  /** Redemptions in the last 24 h above this multiple of the code's daily median… */
  LEAK_SPIKE_MULTIPLE: envInteger(3, 2, 100),
  /** …and at least this many are a spike. */
  LEAK_MIN_DAILY: envInteger(30, 1, 100_000),
  /** Days the median is taken over. */
  LEAK_MEDIAN_DAYS: envInteger(14, 3, 60),
  /** This share of the last 24 h's redemptions referred by coupon sites is a leak… */
  LEAK_COUPON_SHARE_PCT: envInteger(40, 1, 100),
  /** …once there are at least this many (a handful of orders is no pattern). */
  LEAK_MIN_COUPON_SAMPLE: envInteger(10, 1, 10_000),
  /** A creator code used more than this multiple of its creator's usual daily rate (weekly rate ÷ 7). */
  LEAK_CREATOR_MULTIPLE: envInteger(5, 2, 100),
  LEAK_COUPON_DOMAINS: listSetting([
    'retailmenot.com',
    'coupons.com',
    'honey.io',
    'joinhoney.com',
    'dealspotr.com',
    'knoji.com',
    'couponbirds.com',
    'slickdeals.net',
    'wethrift.com',
    'couponfollow.com',
  ]),
});

type DiscountLeakSettings = ReturnType<typeof discountLeakSettings.load>;

/** A code redeemed far beyond its audience. */
export interface LeakedCode {
  discount_id: string;
  code: string;
  title: string;
  percent: number;
  creator: string | null;
  redemptions_today: number;
  median: number;
  coupon_share: number;
  reasons: string[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const hostOf = (url: string | null): string | null => {
  if (url === null) return null;
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return null;
  }
};

/**
 * The catalogue's rules over every active code, deterministically: last-24-hour redemptions
 * above the spike multiple of the code's daily median and at least the minimum; or at least the
 * coupon share referred by coupon sites; or, for a creator's code, above the creator multiple of
 * its usual daily rate. `creators` maps a code (upper-cased) to its creator.
 */
export function judgeCodes(
  discounts: readonly Discount[],
  redemptions: readonly CodeRedemption[],
  creators: ReadonlyMap<string, string>,
  settings: DiscountLeakSettings,
  now: Date,
): LeakedCode[] {
  const coupon = settings.LEAK_COUPON_DOMAINS.map((domain) => domain.toLowerCase());
  const isCoupon = (url: string | null) => {
    const host = hostOf(url);
    return host !== null && coupon.some((domain) => host === domain || host.endsWith(`.${domain}`));
  };
  const leaked: LeakedCode[] = [];
  for (const discount of discounts) {
    if (discount.kind !== 'code' || discount.code === null || discount.status !== 'ACTIVE') continue;
    const code = discount.code.toUpperCase();
    const ofCode = redemptions.filter((redemption) => redemption.code.toUpperCase() === code);
    const today = ofCode.filter((redemption) => Date.parse(redemption.createdAt) >= now.getTime() - DAY_MS);
    // The days before the last 24 hours, each a 24-hour bucket back from now.
    const daily = Array.from({ length: settings.LEAK_MEDIAN_DAYS }, (_, index) => {
      const from = now.getTime() - (index + 2) * DAY_MS;
      return ofCode.filter((redemption) => Date.parse(redemption.createdAt) >= from && Date.parse(redemption.createdAt) < from + DAY_MS).length;
    });
    const typical = median(daily);
    const couponShare = today.length === 0 ? 0 : today.filter((redemption) => isCoupon(redemption.referrerUrl)).length / today.length;
    const creator = creators.get(code) ?? null;
    const usualDaily = daily.reduce((sum, count) => sum + count, 0) / Math.max(1, daily.length);
    const reasons: string[] = [];
    if (today.length >= settings.LEAK_MIN_DAILY && today.length > settings.LEAK_SPIKE_MULTIPLE * typical)
      reasons.push(`${today.length} redemptions in 24 h, over ${settings.LEAK_SPIKE_MULTIPLE}× its ${settings.LEAK_MEDIAN_DAYS}-day median of ${typical}/day`);
    if (today.length >= settings.LEAK_MIN_COUPON_SAMPLE && couponShare >= settings.LEAK_COUPON_SHARE_PCT / 100)
      reasons.push(`${Math.round(couponShare * 100)}% of them referred by coupon sites`);
    if (creator !== null && usualDaily > 0 && today.length > settings.LEAK_CREATOR_MULTIPLE * usualDaily)
      reasons.push(
        `creator code at ${(today.length / usualDaily).toFixed(0)}× @${creator}'s usual ${usualDaily.toFixed(1)}/day (${(usualDaily * 7).toFixed(0)}/week)`,
      );
    if (reasons.length === 0) continue;
    leaked.push({
      discount_id: discount.id,
      code: discount.code,
      title: discount.title,
      percent: discount.percent ?? 0,
      creator,
      redemptions_today: today.length,
      median: typical,
      coupon_share: Math.round(couponShare * 1000) / 1000,
      reasons,
    });
  }
  return leaked.sort((left, right) => right.redemptions_today - left.redemptions_today);
}

/** Run the check once: codes and 15 days of redemptions, the post on change, `discount_leak` and `disable_discount_code` per leaked code. */
export async function runDiscountLeak(
  context: BotContext & JobRunInfo,
  settings = discountLeakSettings.load({}),
  now = new Date(),
): Promise<{
  outcome: Awaited<ReturnType<typeof reportFindings>>;
  leaked: LeakedCode[];
  approvals: Array<{ code: string; approval_id: string; created: boolean }>;
  signals: number;
}> {
  const { discounts: store } = context.connectors;
  const [discounts, redemptions, collaborations] = await Promise.all([
    store.listDiscounts(),
    store.listCodeRedemptions({ since: new Date(now.getTime() - (settings.LEAK_MEDIAN_DAYS + 1) * DAY_MS), until: now }),
    // studiobot's creator book (the brain) says whose code is whose.
    context.db.rpc('creator_collabs_list'),
  ]);
  const creators = new Map(
    collaborations
      .filter((row) => row['discount_code'] !== null && row['status'] !== 'cancelled')
      .map((row) => [String(row['discount_code']).toUpperCase(), String(row['creator'])]),
  );
  const leaked = judgeCodes(discounts, redemptions, creators, settings, now);
  const outcome = await reportFindings(context, {
    findings: leaked.map((code) => ({ code: code.code, reasons: code.reasons.length })),
    noun: 'leaked code',
    message: (found) => ({
      title: `Discount codes: ${found.length} leaked`,
      text: [
        ...leaked.map((code) => `• **${code.code}**${code.creator === null ? '' : ` (@${code.creator})`}: ${code.reasons.join('; ')}`),
        '',
        'Approve disable_discount_code to deactivate a code and create its replacement; studiobot tells the creator.',
      ].join('\n'),
      kind: 'note',
    }),
    nothingLine: 'No discount code is redeemed beyond its audience.',
  });
  const taken = new Set(discounts.flatMap((discount) => (discount.code === null ? [] : [discount.code.toUpperCase()])));
  const day = now.toISOString().slice(0, 10);
  const approvals: Array<{ code: string; approval_id: string; created: boolean }> = [];
  let signals = 0;
  for (const code of leaked) {
    const emitted = await context.signals.emit(
      'discount_leak',
      { code: code.code, redemptions_today: code.redemptions_today, median: code.median, coupon_share: code.coupon_share, creator: code.creator },
      { severity: 'warning', dedupeKey: `discount_leak:${code.code.toUpperCase()}:${day}`, dedupeWindowMs: DAY_MS },
    );
    if (!emitted.deduplicated) signals += 1;
    const replacement = replacementCode(code.code, taken);
    const draft: DisableDiscountCodeDraft = {
      discount_id: code.discount_id,
      code: code.code,
      title: code.title,
      percent: code.percent,
      creator: code.creator,
      replacement_code: replacement,
      redemptions_today: code.redemptions_today,
      median: code.median,
      coupon_share: code.coupon_share,
      reasons: code.reasons,
      note: `On approval mktgbot deactivates ${code.code} in Shopify and creates ${replacement} (${code.percent}% off).${code.creator === null ? '' : ` studiobot asks separately to give @${code.creator} the new code.`}`,
    };
    const { approval, created } = await context.approvals.request({
      action: disableDiscountCode,
      title: `Disable leaked code ${code.code} (${code.redemptions_today} uses in 24 h) and replace it with ${replacement}`,
      draft,
      // Per code: the same leak tomorrow finds this approval.
      requestKey: `discount-code-leak:${code.code.toUpperCase()}`,
      signalId: emitted.id,
    });
    approvals.push({ code: code.code, approval_id: approval.id, created });
  }
  context.log.info({ codes: discounts.length, leaked: leaked.length, signals }, `discount code leak: ${leaked.length} leaked`);
  return { outcome, leaked, approvals, signals };
}

/** mktgbot's discount-code-leak: daily 10:00 (fleet time zone). */
export const discountCodeLeak = defineJob({
  id: 'discount-code-leak',
  schedule: '0 10 * * *',
  description: 'Discount codes redeemed far beyond their audience (coupon sites, creator spikes) → discount_leak (warning) + disable_discount_code',
  timeoutMs: 180_000,
  // A daily check: a missed run catches up once.
  missed: 'once',
  settings: discountLeakSettings,
  async run(context) {
    const { outcome, approvals, signals } = await runDiscountLeak(context, context.config);
    const fresh = approvals.filter((approval) => approval.created).length;
    return jobOutcome(
      `${outcome.outcome}${approvals.length === 0 ? '' : `; disable_discount_code asked for ${fresh} (${approvals.length - fresh} already asked)`}`,
      {
        ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
        detail: { ...outcome.detail, approvals, signals },
      },
    );
  },
});
