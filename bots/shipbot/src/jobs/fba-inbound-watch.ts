import {
  defineJob,
  envInteger,
  envNumber,
  envSettings,
  fingerprintOf,
  jobOutcome,
  reportFindings,
  type BotContext,
  type JobRunInfo,
  type SettingsOf,
} from '@jbot/core';
import type { Connectors, FbaInboundShipment } from '@jbot/connectors';

/** fba-inbound-watch's rules (catalogue defaults). */
export const fbaInboundWatchSettings = envSettings({
  /** Shipped longer ago than this and Amazon not yet receiving it: stuck. */
  SHIP_FBA_INBOUND_STUCK_DAYS: envInteger(10, 1, 120),
  /** A closed shipment received short by more than this percent of what was shipped: open a reconciliation case. */
  SHIP_FBA_INBOUND_SHORT_PCT: envNumber(2),
});

/** The parsed settings. */
export type FbaInboundWatchConfig = SettingsOf<typeof fbaInboundWatchSettings>;

/** A shipment that needs a person: stuck in transit, or closed short. */
export interface InboundDiscrepancy {
  shipment: FbaInboundShipment;
  kind: 'stuck' | 'short';
  daysSinceShipped: number | null;
  shipped: number;
  received: number;
  /** Per SKU, what is missing (short shipments). */
  shortLines: Array<{ sku: string; shipped: number; received: number; missing: number }>;
}

// Amazon has the shipment (or part of it) once it is in one of these.
const ARRIVED = new Set(['DELIVERED', 'CHECKED_IN', 'RECEIVING', 'CLOSED']);
const IN_TRANSIT = new Set(['SHIPPED', 'IN_TRANSIT']);

/** The catalogue's rules: shipped > 10 days and not yet receiving; closed with received < shipped by > 2%. */
export async function findInboundDiscrepancies(connectors: Pick<Connectors, 'fba'>, config: FbaInboundWatchConfig, now: Date): Promise<InboundDiscrepancy[]> {
  const found: InboundDiscrepancy[] = [];
  for (const shipment of await connectors.fba.listInboundShipments()) {
    const shipped = shipment.items.reduce((sum, item) => sum + item.shipped, 0);
    const received = shipment.items.reduce((sum, item) => sum + item.received, 0);
    const daysSinceShipped = shipment.shippedAt === null ? null : Math.floor((now.getTime() - Date.parse(shipment.shippedAt)) / 86_400_000);
    if (
      IN_TRANSIT.has(shipment.status) &&
      !ARRIVED.has(shipment.status) &&
      daysSinceShipped !== null &&
      daysSinceShipped > config.SHIP_FBA_INBOUND_STUCK_DAYS
    ) {
      found.push({ shipment, kind: 'stuck', daysSinceShipped, shipped, received, shortLines: [] });
      continue;
    }
    if (shipment.status === 'CLOSED' && shipped > 0 && ((shipped - received) / shipped) * 100 > config.SHIP_FBA_INBOUND_SHORT_PCT) {
      const shortLines = shipment.items
        .filter((item) => item.received < item.shipped)
        .map((item) => ({ sku: item.sku, shipped: item.shipped, received: item.received, missing: item.shipped - item.received }));
      found.push({ shipment, kind: 'short', daysSinceShipped, shipped, received, shortLines });
    }
  }
  return found;
}

/**
 * The reconciliation-case packet for Seller Support (cases have no API): what to claim and what
 * to attach, ready to paste.
 */
export function casePacket(discrepancy: InboundDiscrepancy): string {
  const { shipment } = discrepancy;
  if (discrepancy.kind === 'stuck')
    return `Case: inbound ${shipment.shipmentId} (“${shipment.name}”, to ${shipment.destination}) shipped ${discrepancy.daysSinceShipped} days ago, still ${shipment.status}, ${discrepancy.shipped} units. Ask Seller Support to locate it; attach the carrier's proof of delivery / tracking and the BOL.`;
  return `Case: inbound ${shipment.shipmentId} (“${shipment.name}”, ${shipment.destination}) closed ${discrepancy.shipped - discrepancy.received} units short (${discrepancy.received}/${discrepancy.shipped}): ${discrepancy.shortLines
    .map((line) => `${line.sku} ${line.received}/${line.shipped} (−${line.missing})`)
    .join(', ')}. Request reconciliation; attach the packing list, box contents, carrier POD and the BOL.`;
}

/**
 * Run fba-inbound-watch once: the case packet and a Seller Central task per stuck or short
 * shipment on #ship-bot, a `bot_note` (kind fba_inbound_discrepancy) for the digest, posted on change.
 */
// `now` is the world's clock; tests pass a fixed instant.
export async function runFbaInboundWatch(context: BotContext & JobRunInfo, config: FbaInboundWatchConfig, now = new Date()) {
  const found = await findInboundDiscrepancies(context.connectors, config, now);
  const fingerprint = fingerprintOf(found.map((item) => [item.shipment.shipmentId, item.kind, item.received]));
  if (found.length > 0)
    await context.signals.emit(
      'bot_note',
      {
        text: `${found.length} FBA inbound shipment${found.length === 1 ? '' : 's'} to reconcile: ${found
          .map(
            (item) =>
              `${item.shipment.shipmentId} ${item.kind === 'short' ? `${item.shipped - item.received} units short` : `stuck ${item.daysSinceShipped} d`}`,
          )
          .join('; ')}`,
        detail: {
          kind: 'fba_inbound_discrepancy',
          shipments: found.map((item) => ({
            shipment_id: item.shipment.shipmentId,
            problem: item.kind,
            shipped: item.shipped,
            received: item.received,
            lines: item.shortLines,
          })),
        },
      },
      { severity: 'info', dedupeKey: `fba_inbound_discrepancy:${fingerprint}`, dedupeWindowMs: 7 * 86_400_000 },
    );
  const outcome = await reportFindings(context, {
    findings: found.map((item) => [item.shipment.shipmentId, item.kind, item.received]),
    noun: 'inbound shipment to reconcile',
    message: () => ({
      kind: 'report',
      title: `FBA inbound: ${found.length} shipment${found.length === 1 ? '' : 's'} to reconcile`,
      text: found
        .map((item) => `• ${casePacket(item)}\n  ☐ Task: open the case in Seller Central → Help → Fulfillment by Amazon → Inbound shipment problems.`)
        .join('\n'),
      severity: 'info' as const,
    }),
    nothingLine: 'Every FBA inbound shipment is moving or received in full.',
  });
  return jobOutcome(outcome.outcome.replace('inbound shipment to reconciles', 'inbound shipments to reconcile'), {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: { ...outcome.detail, shipments: found.map((item) => `${item.shipment.shipmentId}:${item.kind}`) },
  });
}

/** shipbot's fba-inbound-watch: daily 09:00 (fleet time zone). */
export const fbaInboundWatch = defineJob({
  id: 'fba-inbound-watch',
  schedule: '0 9 * * *',
  description:
    'FBA inbound shipments stuck in transit (> 10 days) or closed short (> 2%) → reconciliation-case packet and task; bot_note fba_inbound_discrepancy',
  timeoutMs: 300_000,
  missed: 'once',
  settings: fbaInboundWatchSettings,
  run: (context) => runFbaInboundWatch(context, context.config),
});
