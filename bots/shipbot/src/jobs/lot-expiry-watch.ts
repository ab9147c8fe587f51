import { z } from 'zod';
import {
  defineJob,
  envInteger,
  envSettings,
  fingerprintOf,
  jobOutcome,
  reportFindings,
  timeZone,
  type BotContext,
  type JobRunInfo,
  type SettingsOf,
} from '@jbot/core';
import type { Connectors, InventoryLot } from '@jbot/connectors';
import { addDays, daysBetween, localDay } from '../company-day.js';
import { scheduleDonation } from '../stock/schedule-donation.js';

/** lot-expiry-watch's rules (catalogue defaults). */
export const lotExpirySettings = envSettings({
  /** Days of shelf life a DTC customer must still get. */
  SHIP_LOT_MIN_SHELF_DAYS_DTC: envInteger(30, 0, 3650),
  /** Days of shelf life grocery wholesale buyers require. */
  SHIP_LOT_MIN_SHELF_DAYS_WHOLESALE: envInteger(90, 0, 3650),
  /** Closer than this to its best-by, a lot is donated or written off. */
  SHIP_LOT_DONATE_DAYS: envInteger(14, 0, 365),
  SHIP_LOT_DONATION_PARTNER: z.string().min(1).default('Oregon Food Bank'),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type LotExpiryConfig = SettingsOf<typeof lotExpirySettings>;

/** A lot that will not sell through in time. */
export interface LotAtRisk {
  lot: InventoryLot;
  /** Days until the lot is sold through, first-expiry-first-out. */
  daysToSellThrough: number;
  sellThroughDate: string;
  daysToExpiry: number;
  /** Donate (or write off) now, or clear it (promo, wholesale clearance). */
  action: 'donate' | 'clear';
  /** Whether grocery wholesale can still take it. */
  wholesaleEligible: boolean;
}

/**
 * FEFO projection per SKU and location: lots sell in best-by order at the SKU's rate there; a lot
 * whose sell-through date is after its best-by less the DTC minimum shelf life is at risk; under
 * `SHIP_LOT_DONATE_DAYS` to its best-by it is donated.
 */
export async function findExpiringLots(connectors: Pick<Connectors, 'warehouse' | 'fulfilment'>, config: LotExpiryConfig, now: Date): Promise<LotAtRisk[]> {
  const today = localDay(now, config.FLEET_TZ);
  const [lots, levels] = await Promise.all([connectors.warehouse.listLots(), connectors.fulfilment.listStockLevels()]);
  const velocity = new Map(levels.map((level) => [`${level.sku}@${level.location}`, level.dailyVelocity]));
  const groups = new Map<string, InventoryLot[]>();
  for (const lot of lots) groups.set(`${lot.sku}@${lot.location}`, [...(groups.get(`${lot.sku}@${lot.location}`) ?? []), lot]);
  const risks: LotAtRisk[] = [];
  for (const [key, group] of groups) {
    const rate = velocity.get(key) ?? 0;
    let cumulative = 0;
    for (const lot of [...group].sort((left, right) => left.expiry.localeCompare(right.expiry) || left.lot.localeCompare(right.lot))) {
      cumulative += lot.qty;
      const daysToSellThrough = rate <= 0 ? Number.POSITIVE_INFINITY : Math.round((cumulative / rate) * 10) / 10;
      const daysToExpiry = daysBetween(today, lot.expiry);
      const lastSellDay = daysToExpiry - config.SHIP_LOT_MIN_SHELF_DAYS_DTC;
      if (daysToExpiry >= config.SHIP_LOT_DONATE_DAYS && daysToSellThrough <= lastSellDay) continue;
      risks.push({
        lot,
        daysToSellThrough: Number.isFinite(daysToSellThrough) ? daysToSellThrough : 9999,
        sellThroughDate: Number.isFinite(daysToSellThrough) ? addDays(today, Math.ceil(daysToSellThrough)) : '9999-12-31',
        daysToExpiry,
        action: daysToExpiry < config.SHIP_LOT_DONATE_DAYS ? 'donate' : 'clear',
        wholesaleEligible: daysToExpiry >= config.SHIP_LOT_MIN_SHELF_DAYS_WHOLESALE,
      });
    }
  }
  return risks.sort((left, right) => left.daysToExpiry - right.daysToExpiry || left.lot.sku.localeCompare(right.lot.sku));
}

/** The #ship-bot list. */
export function lotsMessage(risks: readonly LotAtRisk[]) {
  return {
    kind: 'report',
    title: `Lot expiry: ${risks.length} lot${risks.length === 1 ? '' : 's'} at risk`,
    text: risks
      .map(
        (risk) =>
          `• ${risk.action === 'donate' ? '🎁 donate' : '🏷️ clear'} ${risk.lot.sku} lot ${risk.lot.lot} @ ${risk.lot.location}: ${risk.lot.qty} units, best-by ${risk.lot.expiry} (${risk.daysToExpiry} d), sells through ${risk.sellThroughDate}${risk.wholesaleEligible ? '' : '; too short-dated for grocery wholesale'}`,
      )
      .join('\n'),
    severity: 'warning' as const,
  };
}

/**
 * Run lot-expiry-watch once: `expiring_inventory` per lot to clear (mktgbot's clearance promo,
 * salesbot's clearance offer), `schedule_donation` for the lots to donate, posted on change.
 */
// `now` is the world's clock (the data is as of now, also on a catch-up run); tests pass a fixed instant.
export async function runLotExpiryWatch(context: BotContext & JobRunInfo, config: LotExpiryConfig, now = new Date()) {
  const risks = await findExpiringLots(context.connectors, config, now);
  for (const risk of risks.filter((candidate) => candidate.action === 'clear'))
    await context.signals.emit(
      'expiring_inventory',
      { sku: risk.lot.sku, lot: risk.lot.lot, expiry: risk.lot.expiry, units: risk.lot.qty, days_to_sell_through: risk.daysToSellThrough },
      { dedupeKey: `expiring_inventory:${risk.lot.sku}:${risk.lot.lot}`, dedupeWindowMs: 7 * 86_400_000 },
    );
  const donations = risks.filter((candidate) => candidate.action === 'donate');
  let approvalId: string | null = null;
  if (donations.length > 0) {
    const { approval } = await context.approvals.request({
      action: scheduleDonation,
      title: `Donate ${donations.reduce((sum, risk) => sum + risk.lot.qty, 0)} units in ${donations.length} lot${donations.length === 1 ? '' : 's'} to ${config.SHIP_LOT_DONATION_PARTNER} before best-by`,
      draft: {
        partner: config.SHIP_LOT_DONATION_PARTNER,
        lines: donations.map((risk) => ({ sku: risk.lot.sku, lot: risk.lot.lot, location: risk.lot.location, qty: risk.lot.qty, expiry: risk.lot.expiry })),
      },
      requestKey: `lot-expiry-watch:donate:${fingerprintOf(donations.map((risk) => [risk.lot.sku, risk.lot.lot, risk.lot.qty]))}`,
    });
    approvalId = approval.id;
  }
  const outcome = await reportFindings(context, {
    findings: risks.map((risk) => [risk.lot.sku, risk.lot.lot, risk.action]),
    noun: 'lot at risk',
    message: () => lotsMessage(risks),
    nothingLine: 'Every lot sells through, first-expiry-first-out, with the shelf life its channel needs.',
  });
  return jobOutcome(outcome.outcome.replace('lot at risks', 'lots at risk'), {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: { ...outcome.detail, lots: risks.map((risk) => `${risk.lot.sku}/${risk.lot.lot}`), approvalId },
  });
}

/** shipbot's lot-expiry-watch: daily 07:30 (fleet time zone). */
export const lotExpiryWatch = defineJob({
  id: 'lot-expiry-watch',
  schedule: '30 7 * * *',
  description: 'Granola and coffee lots that will not sell through before best-by (FEFO) → expiring_inventory; under 14 days → schedule_donation',
  timeoutMs: 120_000,
  missed: 'once',
  settings: lotExpirySettings,
  run: (context) => runLotExpiryWatch(context, context.config),
});
