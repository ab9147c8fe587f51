import { z } from 'zod';
import { defineAction, envInteger, envSettings, type SignalHandlerOf } from '@jbot/core';

const DAY_MS = 86_400_000;

/** The clearance proposal's settings: the discount it starts from and the margin it keeps. */
export const clearanceSettings = envSettings({
  /** The clearance discount offered (%), lowered where it would break the margin floor. */
  MKTG_CLEARANCE_PERCENT: envInteger(25, 5, 90),
  /** The margin a clearance keeps after unit cost and fulfilment (%); a lot worth less than the write-off may go lower by hand. */
  MKTG_CLEARANCE_MIN_MARGIN_PCT: envInteger(10, 0, 90),
  MKTG_CLEARANCE_FULFILMENT_COST_PER_UNIT: envInteger(3, 0, 100),
});

// The draft: checked when requested and again when executed, since it crossed the brain as JSON.
const clearanceDraft = z.object({
  sku: z.string().min(1),
  lot: z.string().min(1),
  product: z.string(),
  units: z.number().int().positive(),
  expiry: z.iso.date(),
  days_to_sell_through: z.number().nonnegative(),
  percent: z.number().int().min(5).max(90),
  title: z.string().min(1),
  starts_at: z.string().min(1),
  /** The promotion ends when the lot must be gone. */
  ends_at: z.string().min(1),
  price: z.number().nullable(),
  clearance_price: z.number().nullable(),
  note: z.string().optional(),
});

/** The approval draft: the lot and the promotion that clears it. */
export type ClearanceDraft = z.input<typeof clearanceDraft>;

/** `create_clearance_promo`: a Shopify automatic discount on the lot's SKU until the sell-through date, once per approval key. */
export const createClearancePromo = defineAction({
  name: 'create_clearance_promo',
  draft: clearanceDraft,
  async execute(draft, context): Promise<{ summary: string; discount_id: string; created: boolean }> {
    const result = await context.connectors.discounts.createDiscount({
      idempotencyKey: `${context.idempotencyKey}:clearance:${draft.sku}:${draft.lot}`,
      kind: 'automatic',
      title: draft.title,
      percent: draft.percent,
      skus: [draft.sku],
      startsAt: draft.starts_at,
      endsAt: draft.ends_at,
    });
    context.log.info({ sku: draft.sku, lot: draft.lot, discountId: result.discountId, created: result.created }, 'clearance promotion created');
    return {
      summary: result.created
        ? `"${draft.title}" created (${draft.percent}% off ${draft.sku} until ${draft.ends_at.slice(0, 10)})`
        : `"${draft.title}" already existed (${result.discountId}); nothing changed`,
      discount_id: result.discountId,
      created: result.created,
    };
  },
});

/**
 * shipbot's expiring_inventory → mktgbot: a lot that will not sell through before its date is
 * proposed for a clearance promotion (approval first) — the configured percentage, lowered to keep
 * the margin floor, running until the lot's expiry. One proposal per SKU and lot, however often
 * the signal repeats.
 */
export const proposeClearance: SignalHandlerOf<'expiring_inventory'> = async (signal, context) => {
  const lot = signal.payload;
  const settings = clearanceSettings.load(process.env);
  const { commerce, discounts } = context.connectors;
  const [inventory, prices, costs] = await Promise.all([commerce.listInventory(), commerce.listPrices(), discounts.listUnitCosts()]);
  const product = inventory.find((level) => level.sku === lot.sku)?.name ?? lot.sku;
  const price = prices.find((entry) => entry.sku === lot.sku)?.price ?? null;
  const cost = costs.find((entry) => entry.sku === lot.sku)?.unitCost ?? null;
  // The deepest 5-point step at or under the configured percentage that keeps the margin floor.
  let percent = settings.MKTG_CLEARANCE_PERCENT;
  if (price !== null && cost !== null)
    while (percent > 5) {
      const sale = price * (1 - percent / 100);
      if ((sale - cost - settings.MKTG_CLEARANCE_FULFILMENT_COST_PER_UNIT) / sale >= settings.MKTG_CLEARANCE_MIN_MARGIN_PCT / 100) break;
      percent -= 5;
    }
  const now = new Date();
  const endsAt = new Date(Math.max(Date.parse(`${lot.expiry}T00:00:00Z`), now.getTime() + DAY_MS));
  const draft: ClearanceDraft = {
    sku: lot.sku,
    lot: lot.lot,
    product,
    units: lot.units,
    expiry: lot.expiry,
    days_to_sell_through: lot.days_to_sell_through,
    percent,
    title: `Clearance: ${product} lot ${lot.lot} ${percent}% off`,
    starts_at: now.toISOString(),
    ends_at: endsAt.toISOString(),
    price,
    clearance_price: price === null ? null : Math.round(price * (1 - percent / 100) * 100) / 100,
    note: `${lot.units} units of lot ${lot.lot} need ${lot.days_to_sell_through} days to sell at today's pace but expire ${lot.expiry}. On approval mktgbot creates the automatic discount in Shopify; it ends on the expiry date.`,
  };
  const { approval, created } = await context.approvals.request({
    action: createClearancePromo,
    title: `Clearance promo: ${percent}% off ${lot.sku} ${product} until ${lot.expiry} (${lot.units} units of lot ${lot.lot} expiring)`,
    draft,
    signalId: signal.id,
    requestKey: `clearance:${lot.sku}:${lot.lot}`,
  });
  context.log.info({ sku: lot.sku, lot: lot.lot, approvalId: approval.id, created }, 'clearance promotion proposed');
};
