import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import { approveDealPricing, type DealPricingDraft } from '../pricing/approve-deal-pricing.js';
import { priceLine, type FloorRules, type PricedLine, type SignOffTier } from '../pricing/price-floor.js';

/** The job's settings: the catalogue's floor (15% / 35% → finance, 25% / 25% → CFO) and the $20k line for margin_exception. */
export const discountGuardSettings = envSettings({
  SALES_FINANCE_DISCOUNT_PCT: envInteger(15, 0, 100),
  SALES_FINANCE_MARGIN_PCT: envInteger(35, 0, 100),
  SALES_CFO_DISCOUNT_PCT: envInteger(25, 0, 100),
  SALES_CFO_MARGIN_PCT: envInteger(25, 0, 100),
  SALES_MARGIN_EXCEPTION_DEAL_USD: envInteger(20_000, 0, 100_000_000),
});

/** A deal with lines below the floor. */
export interface PricingException {
  deal_id: string;
  deal: string;
  owner: string | null;
  /** The deal's value: its amount, or its lines' total when that is larger (HubSpot rolls amounts up from line items). */
  deal_value: number;
  tier: SignOffTier;
  min_margin_pct: number | null;
  lines: PricedLine[];
}

const rulesOf = (settings: ReturnType<typeof discountGuardSettings.load>): FloorRules => ({
  financeDiscountPct: settings.SALES_FINANCE_DISCOUNT_PCT,
  financeMarginPct: settings.SALES_FINANCE_MARGIN_PCT,
  cfoDiscountPct: settings.SALES_CFO_DISCOUNT_PCT,
  cfoMarginPct: settings.SALES_CFO_MARGIN_PCT,
});

/**
 * Open deals whose line items are priced below the floor and not yet signed off (deal property
 * pricing_approved), CFO-tier first, then the largest.
 */
export async function findPricingExceptions(
  context: Pick<BotContext, 'connectors'>,
  settings: ReturnType<typeof discountGuardSettings.load>,
): Promise<PricingException[]> {
  const { crm } = context.connectors;
  const deals = (await crm.listDeals()).filter((deal) => !deal.isClosed && deal.properties['pricing_approved'] !== 'true');
  const [lines, products] = await Promise.all([crm.listDealLineItems(deals.map((deal) => deal.id)), crm.listProducts()]);
  const bySku = new Map(products.map((product) => [product.sku, product]));
  const rules = rulesOf(settings);
  return deals
    .flatMap((deal): PricingException[] => {
      const mine = lines.filter((line) => line.dealId === deal.id);
      const below = mine.flatMap((line) => priceLine(line, bySku.get(line.sku), rules) ?? []);
      if (below.length === 0) return [];
      const total = mine.reduce((sum, line) => sum + line.quantity * line.price * (1 - line.discountPct / 100), 0);
      const margins = below.flatMap((line) => (line.margin_pct === null ? [] : [line.margin_pct]));
      return [
        {
          deal_id: deal.id,
          deal: deal.name,
          owner: deal.ownerName,
          deal_value: Math.round(Math.max(deal.amount ?? 0, total)),
          tier: below.some((line) => line.tier === 'cfo') ? 'cfo' : 'finance',
          min_margin_pct: margins.length === 0 ? null : Math.min(...margins),
          lines: below,
        },
      ];
    })
    .sort(
      (left, right) =>
        Number(right.tier === 'cfo') - Number(left.tier === 'cfo') || right.deal_value - left.deal_value || left.deal_id.localeCompare(right.deal_id),
    );
}

const money = (amount: number) => `$${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

/** The #sales-bot post: one block per deal, its lines and floor prices. */
export function discountGuardMessage(exceptions: readonly PricingException[]): string {
  return [
    ...exceptions.map((exception) =>
      [
        `**${exception.deal}** (${money(exception.deal_value)}${exception.owner === null ? '' : `, ${exception.owner}`}) — needs ${exception.tier === 'cfo' ? 'the CFO group' : 'finance'}`,
        ...exception.lines.map(
          (line) =>
            `• ${line.sku} ${line.name}: ${money(line.unit_price)} vs list ${money(line.list_price)} (${line.discount_pct}% off${line.margin_pct === null ? '' : `, margin ${line.margin_pct}%`}); floor ${money(line.floor_price)}`,
        ),
      ].join('\n'),
    ),
    '',
    'Approve approve_deal_pricing to sign the price off on the deal; reject it to send the rep back to the floor prices.',
  ].join('\n');
}

/** Run discount-guard once: post on change, margin_exception (warning) for large deals, one sign-off approval per deal. */
export async function runDiscountGuard(
  context: BotContext & JobRunInfo,
  settings = discountGuardSettings.load({}),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; exceptions: PricingException[]; approvals: string[]; signals: string[] }> {
  const exceptions = await findPricingExceptions(context, settings);
  const approvals: string[] = [];
  const signals: string[] = [];
  for (const exception of exceptions) {
    const fingerprint = fingerprintOf(exception.lines.map((line) => [line.line_item_id, line.unit_price]));
    let signalId: string | undefined;
    if (exception.deal_value >= settings.SALES_MARGIN_EXCEPTION_DEAL_USD) {
      const emitted = await context.signals.emit(
        'margin_exception',
        {
          deal_id: exception.deal_id,
          deal: exception.deal,
          amount: exception.deal_value,
          min_margin_pct: exception.min_margin_pct,
          lines: exception.lines.map((line) => ({ sku: line.sku, price: line.unit_price, discount_pct: line.discount_pct })),
          tier: exception.tier,
        },
        // The same lines at the same prices are one exception, however many mornings they wait.
        { dedupeKey: `margin_exception:${exception.deal_id}:${fingerprint}`, dedupeWindowMs: 30 * 86_400_000 },
      );
      signalId = emitted.id;
      signals.push(emitted.id);
    }
    const draft: DealPricingDraft = {
      deal_id: exception.deal_id,
      deal: exception.deal,
      tier: exception.tier,
      deal_value: exception.deal_value,
      lines: exception.lines.map((line) => ({
        sku: line.sku,
        unit_price: line.unit_price,
        list_price: line.list_price,
        discount_pct: line.discount_pct,
        margin_pct: line.margin_pct,
        floor_price: line.floor_price,
      })),
    };
    const { approval } = await context.approvals.request({
      action: approveDealPricing,
      title: `${exception.tier === 'cfo' ? 'CFO group' : 'Finance'}: sign off pricing on ${exception.deal}`,
      draft,
      requestKey: `deal-pricing:${exception.deal_id}:${fingerprint}`,
      ...(signalId === undefined ? {} : { signalId }),
    });
    approvals.push(approval.id);
  }
  const outcome = await reportFindings(context, {
    findings: exceptions.map((exception) => [exception.deal_id, exception.tier, exception.lines.map((line) => [line.line_item_id, line.unit_price])]),
    noun: 'underpriced deal',
    message: () => ({
      title: `Discount guard: ${exceptions.length} deal${exceptions.length === 1 ? '' : 's'} need pricing sign-off`,
      text: discountGuardMessage(exceptions),
      kind: 'note',
    }),
    nothingLine: 'Every open deal is priced at or above the wholesale floor (or already signed off).',
  });
  return { outcome, exceptions, approvals, signals };
}

/** salesbot's discount-guard: weekdays 11:30 (fleet time zone). */
export const discountGuard = defineJob({
  id: 'discount-guard',
  schedule: '30 11 * * 1-5',
  description: 'Deal lines more than 15% off list or under 35% margin → finance sign-off (CFO past 25% / 25%); deals ≥ $20k → margin_exception warning',
  timeoutMs: 120_000,
  // A daily report: a missed morning catches up once.
  missed: 'once',
  settings: discountGuardSettings,
  async run(context) {
    const { outcome, approvals, signals } = await runDiscountGuard(context, context.config);
    return jobOutcome(`${outcome.outcome}${signals.length === 0 ? '' : `; margin_exception ×${signals.length}`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvals, signals },
    });
  },
});
