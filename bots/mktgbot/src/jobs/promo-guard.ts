import { defineJob, envInteger, envNumber, envSettings, fingerprintOf, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import type { Connectors, Discount } from '@jbot/connectors';
import { listSetting } from '../klaviyo/list-setting.js';
import { linksIn, productHandle } from '../klaviyo/send-checks.js';
import { adjustPromotion, type AdjustPromotionDraft } from '../promotions/adjust-promotion.js';

const DAY_MS = 86_400_000;

/** The job's settings, with the catalogue's values as defaults. */
export const promoGuardSettings = envSettings({
  /** Days of cover a promoted SKU needs beyond the promotion's length. */
  PROMO_COVER_BUFFER_DAYS: envInteger(7, 0, 90),
  /** Margin after the discount, the unit cost and fulfilment, below which a SKU is flagged (%). */
  PROMO_MIN_MARGIN_PCT: envInteger(20, 0, 95),
  /** Fulfilment cost per unit sold (pick, pack, box, label), in the store's currency. */
  PROMO_FULFILMENT_COST_PER_UNIT: envNumber(2.5, 0),
  /** Promotions starting within this many days are checked (running ones always are). */
  PROMO_LOOKAHEAD_DAYS: envInteger(14, 1, 90),
  /** A promotion with no end date is judged as if it ran this long. */
  PROMO_OPEN_ENDED_DAYS: envInteger(30, 1, 365),
  KLAVIYO_STORE_HOSTS: listSetting(['harborandpine.com']),
});

type PromoGuardSettings = ReturnType<typeof promoGuardSettings.load>;

/** One problem with one SKU of one promotion. */
export interface PromoSkuRisk {
  sku: string;
  risk: 'low_cover' | 'below_margin' | 'price_conflict';
  detail: string;
}

/** A promotion with its risks. */
export interface RiskyPromotion {
  discount_id: string;
  kind: Discount['kind'];
  title: string;
  percent: number;
  starts_at: string;
  ends_at: string | null;
  skus: string[];
  risks: PromoSkuRisk[];
}

const money = (value: number) => `$${value.toFixed(2)}`;

/**
 * The catalogue's rules over every running or upcoming promotion on named SKUs (whole-order
 * codes are list incentives, judged by discount-code-leak): a SKU's days of cover below the
 * promotion's length plus the buffer → low cover; discounted price − unit cost − fulfilment
 * under the margin floor → below margin; a scheduled email linking a promoted product during
 * the promotion and stating another "N% off" → price conflict.
 */
export async function findRiskyPromotions(
  connectors: Pick<Connectors, 'discounts' | 'commerce' | 'klaviyo'>,
  settings: PromoGuardSettings,
  now: Date,
): Promise<RiskyPromotion[]> {
  const horizon = now.getTime() + settings.PROMO_LOOKAHEAD_DAYS * DAY_MS;
  const promotions = (await connectors.discounts.listDiscounts()).filter(
    (discount) =>
      discount.status !== 'EXPIRED' &&
      discount.percent !== null &&
      discount.skus.length > 0 &&
      Date.parse(discount.startsAt) <= horizon &&
      (discount.endsAt === null || Date.parse(discount.endsAt) > now.getTime()),
  );
  if (promotions.length === 0) return [];
  const [inventory, prices, costs, campaigns] = await Promise.all([
    connectors.commerce.listInventory(),
    connectors.commerce.listPrices(),
    connectors.discounts.listUnitCosts(),
    connectors.klaviyo.listScheduledCampaigns(),
  ]);
  const stock = new Map<string, { name: string; available: number; velocity: number }>();
  for (const level of inventory) {
    const entry = stock.get(level.sku) ?? { name: level.name, available: 0, velocity: 0 };
    entry.available += level.available;
    entry.velocity += level.dailyVelocity;
    stock.set(level.sku, entry);
  }
  const priceOf = new Map(prices.map((price) => [price.sku, price.price]));
  const costOf = new Map(costs.map((cost) => [cost.sku, cost.unitCost]));
  const hosts = new Set(settings.KLAVIYO_STORE_HOSTS.map((host) => host.toLowerCase().replace(/^www\./, '')));
  const risky: RiskyPromotion[] = [];
  for (const promotion of promotions) {
    const percent = promotion.percent ?? 0;
    const start = Math.max(now.getTime(), Date.parse(promotion.startsAt));
    const end = promotion.endsAt === null ? start + settings.PROMO_OPEN_ENDED_DAYS * DAY_MS : Date.parse(promotion.endsAt);
    const lengthDays = Math.max(0, (end - start) / DAY_MS);
    // Cover is counted from today: a promotion starting later sells what is left by then.
    const neededDays = (end - now.getTime()) / DAY_MS + settings.PROMO_COVER_BUFFER_DAYS;
    const risks: PromoSkuRisk[] = [];
    for (const sku of promotion.skus) {
      const level = stock.get(sku);
      if (level !== undefined && level.velocity > 0) {
        const cover = Math.max(0, level.available) / level.velocity;
        if (cover < neededDays)
          risks.push({
            sku,
            risk: 'low_cover',
            detail: `${sku} ${level.name}: ${
              level.available <= 0
                ? `sold out (${level.available} available: orders already wait for stock)`
                : `${cover.toFixed(1)} days of cover (${level.available} available at ${level.velocity.toFixed(1)}/day)`
            } for a ${lengthDays.toFixed(0)}-day promotion + ${settings.PROMO_COVER_BUFFER_DAYS} days`,
          });
      }
      const price = priceOf.get(sku);
      const cost = costOf.get(sku);
      if (price !== undefined && cost !== undefined && cost !== null) {
        const discounted = price * (1 - percent / 100);
        const margin = discounted <= 0 ? -1 : (discounted - cost - settings.PROMO_FULFILMENT_COST_PER_UNIT) / discounted;
        if (margin < settings.PROMO_MIN_MARGIN_PCT / 100)
          risks.push({
            sku,
            risk: 'below_margin',
            detail: `${sku} at ${percent}% off sells for ${money(discounted)}: after ${money(cost)} unit cost and ${money(settings.PROMO_FULFILMENT_COST_PER_UNIT)} fulfilment the margin is ${(margin * 100).toFixed(1)}% (floor ${settings.PROMO_MIN_MARGIN_PCT}%)`,
          });
      }
    }
    // A scheduled email during the promotion that links a promoted product and states another percentage.
    const handles = new Map(promotion.skus.flatMap((sku) => (stock.get(sku) === undefined ? [] : [[productHandle(stock.get(sku)?.name ?? ''), sku] as const])));
    for (const campaign of campaigns) {
      if (campaign.sendAt === null || Date.parse(campaign.sendAt) < start || Date.parse(campaign.sendAt) > end) continue;
      const linked = linksIn(campaign.body)
        .map((link) => {
          try {
            const url = new URL(link);
            return hosts.has(url.hostname.toLowerCase().replace(/^www\./, '')) ? /^\/products\/([^/?#]+)/.exec(url.pathname)?.[1] : undefined;
          } catch {
            return undefined;
          }
        })
        .map((handle) => (handle === undefined ? undefined : handles.get(decodeURIComponent(handle).toLowerCase())))
        .filter((sku): sku is string => sku !== undefined);
      const stated = [...`${campaign.subject ?? ''} ${campaign.body.replace(/<[^>]+>/g, ' ')}`.matchAll(/(\d{1,2})\s*%\s*off/gi)].map((match) =>
        Number(match[1]),
      );
      const other = stated.filter((value) => value !== percent);
      for (const sku of new Set(linked))
        if (other.length > 0)
          risks.push({
            sku,
            risk: 'price_conflict',
            detail: `email "${campaign.name}" (sends ${campaign.sendAt}) says ${other.map((value) => `${value}% off`).join(', ')} on ${sku}; the promotion gives ${percent}%`,
          });
    }
    if (risks.length > 0)
      risky.push({
        discount_id: promotion.id,
        kind: promotion.kind,
        title: promotion.title,
        percent,
        starts_at: promotion.startsAt,
        ends_at: promotion.endsAt,
        skus: promotion.skus,
        risks,
      });
  }
  return risky;
}

/**
 * The adjustment that removes a promotion's stock and margin risks: drop the risky SKUs when
 * others stay in it; otherwise end it — when cover is the only problem, at the day cover still
 * allows (cover − buffer from now), else now. Price conflicts are the email's to fix: no adjustment.
 */
export function adjustmentFor(
  promotion: RiskyPromotion,
  settings: PromoGuardSettings,
  now: Date,
  coverDays: ReadonlyMap<string, number>,
): AdjustPromotionDraft | null {
  const stockOrMargin = promotion.risks.filter((risk): risk is PromoSkuRisk & { risk: 'low_cover' | 'below_margin' } => risk.risk !== 'price_conflict');
  if (stockOrMargin.length === 0) return null;
  const bad = [...new Set(stockOrMargin.map((risk) => risk.sku))];
  const keep = promotion.skus.filter((sku) => !bad.includes(sku));
  let endsAt: string | null = null;
  if (keep.length === 0) {
    const onlyCover = stockOrMargin.every((risk) => risk.risk === 'low_cover');
    const allowedDays = onlyCover ? Math.min(...bad.map((sku) => coverDays.get(sku) ?? 0)) - settings.PROMO_COVER_BUFFER_DAYS : 0;
    endsAt = new Date(now.getTime() + Math.max(0, allowedDays) * DAY_MS).toISOString();
  }
  return {
    discount_id: promotion.discount_id,
    kind: promotion.kind,
    title: promotion.title,
    ends_at: endsAt,
    exclude_skus: keep.length === 0 ? [] : bad,
    risks: stockOrMargin.map((risk) => ({ sku: risk.sku, risk: risk.risk, detail: risk.detail })),
    note:
      keep.length === 0
        ? 'On approval mktgbot ends the promotion in Shopify at the time above (no SKU in it is safe to keep discounting).'
        : `On approval mktgbot takes ${bad.join(', ')} out of the promotion in Shopify; ${keep.join(', ')} stay discounted.`,
  };
}

/** The #mktg-bot post: one block per promotion, its risks below it. */
export function promoGuardMessage(promotions: readonly RiskyPromotion[]): string {
  const lines: string[] = [];
  for (const promotion of promotions) {
    lines.push(
      `**${promotion.title}** (${promotion.percent}% off ${promotion.skus.join(', ')}, ${promotion.starts_at.slice(0, 10)} → ${promotion.ends_at?.slice(0, 10) ?? 'open'})`,
    );
    for (const risk of promotion.risks) lines.push(`• ${risk.risk.replace('_', ' ')}: ${risk.detail}`);
  }
  lines.push('', 'Approve adjust_promotion to end a promotion early or take the risky SKUs out of it.');
  return lines.join('\n');
}

/** Run the guard once: find the risky promotions, post on change, `promo_risk` per promotion and risk, `adjust_promotion` per promotion. */
export async function runPromoGuard(
  context: BotContext & JobRunInfo,
  settings = promoGuardSettings.load({}),
  now = new Date(),
): Promise<{
  outcome: Awaited<ReturnType<typeof reportFindings>>;
  promotions: RiskyPromotion[];
  approvals: Array<{ discount_id: string; approval_id: string; created: boolean }>;
  signals: number;
}> {
  const promotions = await findRiskyPromotions(context.connectors, settings, now);
  const outcome = await reportFindings(context, {
    // Figures that drift with the clock (cover, margin text) stay out of the fingerprint: the same SKUs and risks are the same finding.
    findings: promotions.map((promotion) => ({ id: promotion.discount_id, risks: promotion.risks.map((risk) => [risk.sku, risk.risk]) })),
    noun: 'risky promotion',
    message: () => ({
      title: `Promo guard: ${promotions.length} promotion${promotions.length === 1 ? '' : 's'} at risk`,
      text: promoGuardMessage(promotions),
      kind: 'note',
    }),
    nothingLine: `Every running or upcoming promotion has ${settings.PROMO_COVER_BUFFER_DAYS} days of cover to spare, keeps a ${settings.PROMO_MIN_MARGIN_PCT}% margin and matches its emails.`,
  });
  const cover = new Map<string, number>();
  if (promotions.length > 0) {
    const totals = new Map<string, { available: number; velocity: number }>();
    for (const level of await context.connectors.commerce.listInventory()) {
      const entry = totals.get(level.sku) ?? { available: 0, velocity: 0 };
      entry.available += level.available;
      entry.velocity += level.dailyVelocity;
      totals.set(level.sku, entry);
    }
    for (const [sku, entry] of totals) if (entry.velocity > 0) cover.set(sku, Math.max(0, entry.available) / entry.velocity);
  }
  const day = now.toISOString().slice(0, 10);
  const approvals: Array<{ discount_id: string; approval_id: string; created: boolean }> = [];
  let signals = 0;
  for (const promotion of promotions) {
    for (const risk of new Set(promotion.risks.map((entry) => entry.risk))) {
      const ofRisk = promotion.risks.filter((entry) => entry.risk === risk);
      const emitted = await context.signals.emit(
        'promo_risk',
        {
          discount_id: promotion.discount_id,
          skus: [...new Set(ofRisk.map((entry) => entry.sku))],
          risk,
          detail: ofRisk.map((entry) => entry.detail).join('; '),
          title: promotion.title,
        },
        { severity: 'warning', dedupeKey: `promo_risk:${promotion.discount_id}:${risk}:${day}`, dedupeWindowMs: DAY_MS },
      );
      if (!emitted.deduplicated) signals += 1;
    }
    const draft = adjustmentFor(promotion, settings, now, cover);
    if (draft === null) continue;
    const { approval, created } = await context.approvals.request({
      action: adjustPromotion,
      title: `${draft.ends_at === null ? `Take ${draft.exclude_skus.join(', ')} out of` : 'End early:'} "${promotion.title}" (${[...new Set(draft.risks.map((risk) => risk.risk.replace('_', ' ')))].join(', ')})`,
      draft,
      // Per promotion and risky SKU set: the same risks tomorrow find this approval, not a new one.
      requestKey: `promo-guard:${promotion.discount_id}:${fingerprintOf(draft.risks.map((risk) => [risk.sku, risk.risk]))}`,
    });
    approvals.push({ discount_id: promotion.discount_id, approval_id: approval.id, created });
  }
  context.log.info({ promotions: promotions.length, approvals, signals }, `promo guard: ${promotions.length} promotion(s) at risk`);
  return { outcome, promotions, approvals, signals };
}

/** mktgbot's promo-guard: daily 11:00 (fleet time zone). */
export const promoGuard = defineJob({
  id: 'promo-guard',
  schedule: '0 11 * * *',
  description: 'Promotions that would sell stock we lack or discount below the margin floor → promo_risk (warning) + adjust_promotion',
  timeoutMs: 120_000,
  // A daily check: a missed run catches up once.
  missed: 'once',
  settings: promoGuardSettings,
  async run(context) {
    const { outcome, approvals, signals } = await runPromoGuard(context, context.config);
    const fresh = approvals.filter((approval) => approval.created).length;
    return jobOutcome(
      `${outcome.outcome}${approvals.length === 0 ? '' : `; adjust_promotion asked for ${fresh} (${approvals.length - fresh} already asked)`}`,
      {
        ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
        detail: { ...outcome.detail, approvals, signals },
      },
    );
  },
});
