import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, NOTHING_TO_REPORT, type BotContext } from '@jbot/core';
import type { Connectors, Shipment } from '@jbot/connectors';

const DAY_MS = 86_400_000;

/** The `freight_delay` payload for one late shipment. */
export interface FreightDelayPayload {
  shipment_id: string;
  delay_days: number;
  supplier?: string;
  origin?: string;
  promised_eta?: string;
  expected_eta?: string;
  skus?: string[];
}

/**
 * Shipments still on the way (or arrived) whose expected arrival is at least `thresholdDays`
 * after the promised ETA — a day or two of slack is normal ocean freight, not news.
 */
export async function findLateShipments(connectors: Pick<Connectors, 'freight'>, options: { thresholdDays?: number } = {}): Promise<Shipment[]> {
  const thresholdDays = options.thresholdDays ?? 3;
  const shipments = await connectors.freight.listShipments();
  return shipments
    .filter((shipment) => shipment.arrivedAt === null && shipment.delayDays >= thresholdDays)
    .sort((left, right) => right.delayDays - left.delayDays);
}

/** The signal payload for a late shipment. */
export function freightDelayPayload(shipment: Shipment): FreightDelayPayload {
  return {
    shipment_id: shipment.id,
    delay_days: shipment.delayDays,
    ...(shipment.supplierName === null ? {} : { supplier: shipment.supplierName }),
    origin: shipment.origin,
    promised_eta: shipment.promisedEta,
    expected_eta: shipment.expectedEta,
    skus: shipment.lines.map((line) => line.sku),
  };
}

/** The watch's settings: how many days late a shipment must be to alert (catalogue default 3). */
export const freightWatchSettings = envSettings({ FREIGHT_DELAY_THRESHOLD_DAYS: envInteger(3, 1, 365) });

/** Run the watch once: one `freight_delay` alert per late shipment, at most once per shipment per day. */
export async function runFreightWatch(
  context: Pick<BotContext, 'connectors' | 'signals' | 'log'>,
  settings = freightWatchSettings.load({}),
  now = new Date(),
): Promise<{ checked: number; late: FreightDelayPayload[]; emitted: number }> {
  const late = await findLateShipments(context.connectors, { thresholdDays: settings.FREIGHT_DELAY_THRESHOLD_DAYS });
  let emitted = 0;
  const day = now.toISOString().slice(0, 10);
  for (const shipment of late) {
    const result = await context.signals.emit('freight_delay', freightDelayPayload(shipment), {
      dedupeKey: `freight_delay:${shipment.id}:${day}`,
      dedupeWindowMs: DAY_MS,
    });
    if (!result.deduplicated) emitted += 1;
  }
  context.log.info(
    { late: late.map((shipment) => `${shipment.id} +${shipment.delayDays}d`), emitted },
    `freight watch: ${late.length} late shipment(s), ${emitted} new alert(s)`,
  );
  return { checked: late.length, late: late.map(freightDelayPayload), emitted };
}

/** opsbot's freight watch: every 30 minutes, late inbound shipments → freight_delay alerts. */
export const freightWatch = defineJob({
  id: 'freight-watch',
  schedule: '*/30 * * * *',
  description: 'Inbound shipments late against their promised ETA → freight_delay alert per shipment (once a day)',
  timeoutMs: 60_000,
  settings: freightWatchSettings,
  async run(context) {
    const result = await runFreightWatch(context, context.config);
    // Each new alert already posts its detail to #ops-bot; the fingerprint shows when the late set changed.
    const outcome =
      result.checked === 0
        ? NOTHING_TO_REPORT
        : `${result.checked} late shipment${result.checked === 1 ? '' : 's'}, ${result.emitted} new alert${result.emitted === 1 ? '' : 's'}`;
    return jobOutcome(outcome, { fingerprint: fingerprintOf(result.late.map((shipment) => [shipment.shipment_id, shipment.delay_days])), detail: result });
  },
});
