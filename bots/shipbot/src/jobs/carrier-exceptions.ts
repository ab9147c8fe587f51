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
import type { Connectors, ParcelShipment } from '@jbot/connectors';
import { addDays, localDay } from '../company-day.js';
import { sendCarrierExceptionNotices, type CarrierNoticesDraft } from '../notices/send-carrier-exception-notices.js';

/** carrier-exceptions' thresholds (catalogue defaults). */
export const carrierExceptionsSettings = envSettings({
  /** No scan for this many days is a stalled parcel. */
  SHIP_CARRIER_STALL_DAYS: envInteger(4, 1, 60),
  /** The estimated delivery passed by this many days is a late parcel. */
  SHIP_CARRIER_LATE_DAYS: envInteger(2, 0, 60),
  /** From this many parcels in trouble in one check the signal is a warning (usually carrier-wide). */
  SHIP_CARRIER_WARN_COUNT: envInteger(20, 1, 100_000),
  SHIP_CARRIER_LOOKBACK_DAYS: envInteger(14, 1, 90),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type CarrierExceptionsConfig = SettingsOf<typeof carrierExceptionsSettings>;

/** A parcel in trouble, and what kind of trouble. */
export interface ParcelTrouble {
  parcel: ParcelShipment;
  kind: 'exception' | 'stalled' | 'late';
  detail: string;
}

const FAILED = new Set(['failure', 'return_to_sender', 'error']);
// Tracker details that are exceptions even while the status still says in_transit.
const EXCEPTION_DETAIL = /exception|damaged|address_not_found|refused|lost|undeliverable/i;

/** The catalogue's rules over labels bought in the lookback window that are not yet delivered. */
export function findTroubles(parcels: readonly ParcelShipment[], now: Date, config: CarrierExceptionsConfig): ParcelTrouble[] {
  const today = localDay(now, config.FLEET_TZ);
  const troubles: ParcelTrouble[] = [];
  for (const parcel of parcels) {
    if (parcel.status === 'delivered' || parcel.status === 'cancelled') continue;
    if (FAILED.has(parcel.status) || (parcel.statusDetail !== null && EXCEPTION_DETAIL.test(parcel.statusDetail))) {
      troubles.push({ parcel, kind: 'exception', detail: `${parcel.status}${parcel.statusDetail === null ? '' : ` (${parcel.statusDetail})`}` });
      continue;
    }
    const lastScan = parcel.lastScanAt ?? parcel.createdAt;
    const quietDays = Math.floor((now.getTime() - Date.parse(lastScan)) / 86_400_000);
    if (quietDays >= config.SHIP_CARRIER_STALL_DAYS) {
      troubles.push({ parcel, kind: 'stalled', detail: `no scan for ${quietDays} days (last ${lastScan.slice(0, 10)})` });
      continue;
    }
    if (parcel.estDeliveryDate !== null && addDays(parcel.estDeliveryDate, config.SHIP_CARRIER_LATE_DAYS) < today)
      troubles.push({ parcel, kind: 'late', detail: `expected ${parcel.estDeliveryDate}, still ${parcel.status}` });
  }
  return troubles.sort((left, right) => left.kind.localeCompare(right.kind) || left.parcel.orderId.localeCompare(right.parcel.orderId));
}

/** The parcels in trouble now. */
export async function parcelsInTrouble(connectors: Pick<Connectors, 'parcel'>, config: CarrierExceptionsConfig, now: Date): Promise<ParcelTrouble[]> {
  const parcels = await connectors.parcel.listShipments(new Date(now.getTime() - config.SHIP_CARRIER_LOOKBACK_DAYS * 86_400_000));
  return findTroubles(parcels, now, config);
}

function noticeFor(trouble: ParcelTrouble): CarrierNoticesDraft['notices'][number] | null {
  const { parcel } = trouble;
  if (parcel.customerEmail === '') return null;
  const first = parcel.customerName.split(' ')[0] ?? '';
  const lost = trouble.kind === 'exception' && /return_to_sender|failure|damaged|lost/.test(trouble.detail);
  const remedy = lost ? 'reship' : 'wait';
  const body = lost
    ? `Hi ${first},\n\nThe carrier could not deliver your order ${parcel.orderId} (${parcel.carrier} ${parcel.trackingCode}: ${trouble.detail.replace(/_/g, ' ')}). We are sending a replacement today at no cost; you will get its tracking number by email. If you would rather have a refund, just reply.\n\nSorry for the trouble,\nHarbor & Pine customer care`
    : `Hi ${first},\n\nYour order ${parcel.orderId} is taking longer than it should (${parcel.carrier} ${parcel.trackingCode}: ${trouble.detail.replace(/_/g, ' ')}). We have asked the carrier to trace it and will write again within two days; if it has not moved by then we will send a replacement.\n\nThank you for your patience,\nHarbor & Pine customer care`;
  return {
    order_id: parcel.orderId,
    tracker_id: parcel.trackerId,
    remedy,
    to: parcel.customerEmail,
    subject: `Your order ${parcel.orderId}: an update on your delivery`,
    body,
  };
}

/** The #ship-bot list, by kind. */
export function troublesMessage(troubles: readonly ParcelTrouble[]) {
  return {
    kind: 'report',
    title: `Carrier exceptions: ${troubles.length} parcel${troubles.length === 1 ? '' : 's'} in trouble`,
    text: [
      ...troubles.map(
        (trouble) =>
          `• ${trouble.kind} — ${trouble.parcel.orderId} ${trouble.parcel.customerName}, ${trouble.parcel.carrier} ${trouble.parcel.trackingCode}: ${trouble.detail}`,
      ),
      '',
      'Approve to email each customer (replacement for lost or returned parcels, an update for the rest).',
    ].join('\n'),
    severity: 'info' as const,
  };
}

/**
 * Run carrier-exceptions once: `carrier_exception` (info; warning at the count threshold) and
 * one `send_carrier_exception_notices` approval for the set, both keyed by the set, posted on change.
 */
// `now` is the world's clock (the data is as of now, also on a catch-up run); tests pass a fixed instant.
export async function runCarrierExceptions(context: BotContext & JobRunInfo, config: CarrierExceptionsConfig, now = new Date()) {
  const troubles = await parcelsInTrouble(context.connectors, config, now);
  const outcome = await reportFindings(context, {
    findings: troubles.map((trouble) => [trouble.parcel.trackerId, trouble.kind]),
    noun: 'troubled parcel',
    message: () => troublesMessage(troubles),
    nothingLine: 'Every parcel in transit is moving and on time.',
  });
  let approvalId: string | null = null;
  if (troubles.length > 0) {
    const setKey = fingerprintOf(troubles.map((trouble) => [trouble.parcel.trackerId, trouble.kind]));
    await context.signals.emit(
      'carrier_exception',
      {
        count: troubles.length,
        trackers: troubles.map((trouble) => ({
          id: trouble.parcel.trackerId,
          order_id: trouble.parcel.orderId,
          status: trouble.parcel.status,
          detail: trouble.detail,
        })),
      },
      {
        severity: troubles.length >= config.SHIP_CARRIER_WARN_COUNT ? 'warning' : 'info',
        dedupeKey: `carrier_exception:${setKey}`,
        dedupeWindowMs: 24 * 3_600_000,
      },
    );
    const notices = troubles.flatMap((trouble) => noticeFor(trouble) ?? []);
    if (notices.length > 0) {
      const { approval } = await context.approvals.request({
        action: sendCarrierExceptionNotices,
        title: `Email ${notices.length} customer${notices.length === 1 ? '' : 's'} about parcels in trouble (${notices.filter((notice) => notice.remedy === 'reship').length} replacements)`,
        draft: { notices },
        requestKey: `carrier-exceptions:${setKey}`,
      });
      approvalId = approval.id;
    }
  }
  return jobOutcome(outcome.outcome, {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: { ...outcome.detail, approvalId, trackers: troubles.map((trouble) => trouble.parcel.trackerId) },
  });
}

/** shipbot's carrier-exceptions: every 2 hours 08:30–20:30 (fleet time zone). */
export const carrierExceptions = defineJob({
  id: 'carrier-exceptions',
  schedule: '30 8-20/2 * * *',
  description:
    'Parcels in trouble after they ship: exceptions, return to sender, no scan for 4 days, 2 days past the estimate → carrier_exception, send_carrier_exception_notices',
  timeoutMs: 120_000,
  overlap: 'skip',
  missed: 'skip',
  settings: carrierExceptionsSettings,
  run: (context) => runCarrierExceptions(context, context.config),
});
