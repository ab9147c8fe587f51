import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import type { Container } from '@jbot/connectors';
import { bookDrayage, type DrayageDraft } from '../actions/book-drayage.js';
import { addDays, daysBetween, localDay, plural, zonedInstant } from '../company-day.js';

const DAY_MS = 86_400_000;

/** The watch's thresholds (catalogue: LFD ≤ 2 days without an appointment, a hold with LFD ≤ 3, $150–350/day tariff). */
export const demurrageWatchSettings = envSettings({
  DEMURRAGE_LFD_DAYS: envInteger(2, 0, 14),
  DEMURRAGE_HOLD_LFD_DAYS: envInteger(3, 0, 14),
  // The terminal's tiered tariff: days 1–4 past LFD, days 5–8, and from day 9.
  DEMURRAGE_TIER1_USD: envInteger(150, 0, 10_000),
  DEMURRAGE_TIER2_USD: envInteger(250, 0, 10_000),
  DEMURRAGE_TIER3_USD: envInteger(350, 0, 10_000),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type DemurrageWatchConfig = ReturnType<typeof demurrageWatchSettings.load>;

/** One container at risk of demurrage. */
export interface DemurrageCase {
  container: string;
  shipment_id: string;
  terminal: string;
  port: string;
  last_free_day: string;
  days_to_lfd: number;
  holds: string[];
  /** Why it is at risk: no pickup booked, or a hold with the LFD close. */
  reason: 'no_appointment' | 'hold';
  /** The tariff of the first day past the LFD. */
  est_cost_per_day: number;
  /** What the first week past the LFD would cost at the tiered tariff. */
  est_cost_first_week: number;
  /** Demurrage already owed (days past LFD × tariff), 0 before the LFD. */
  accrued: number;
  trucker: string;
}

/** The tiered tariff for the n-th day past the LFD (1-based). */
export function tariffForDay(dayPastLfd: number, config: DemurrageWatchConfig): number {
  return dayPastLfd <= 4 ? config.DEMURRAGE_TIER1_USD : dayPastLfd <= 8 ? config.DEMURRAGE_TIER2_USD : config.DEMURRAGE_TIER3_USD;
}

/** What `days` days past the LFD cost at the tiered tariff. */
export function demurrageCost(days: number, config: DemurrageWatchConfig): number {
  let total = 0;
  for (let day = 1; day <= days; day += 1) total += tariffForDay(day, config);
  return total;
}

const atTerminal = (container: Container) => container.status === 'discharged' || container.status === 'available';

/**
 * The catalogue's rule: a container discharged or available with its LFD within DEMURRAGE_LFD_DAYS
 * and no pickup appointment on or before the LFD, or any container with a customs/freight hold and
 * its LFD within DEMURRAGE_HOLD_LFD_DAYS. Soonest LFD first.
 */
export function findDemurrageCases(containers: readonly Container[], today: string, config: DemurrageWatchConfig): DemurrageCase[] {
  const cases: DemurrageCase[] = [];
  for (const container of containers) {
    if (!atTerminal(container) || container.lastFreeDay === null) continue;
    const daysToLfd = daysBetween(today, container.lastFreeDay);
    const appointmentDay = container.appointmentAt === null ? null : localDay(new Date(container.appointmentAt), config.FLEET_TZ);
    const booked = appointmentDay !== null && appointmentDay <= container.lastFreeDay && appointmentDay >= today;
    const held = container.holds.length > 0 && daysToLfd <= config.DEMURRAGE_HOLD_LFD_DAYS;
    const unbooked = !booked && daysToLfd <= config.DEMURRAGE_LFD_DAYS;
    if (!held && !unbooked) continue;
    const pastLfd = Math.max(0, -daysToLfd);
    cases.push({
      container: container.number,
      shipment_id: container.shipmentId,
      terminal: container.terminal,
      port: container.port,
      last_free_day: container.lastFreeDay,
      days_to_lfd: daysToLfd,
      holds: container.holds,
      reason: held ? 'hold' : 'no_appointment',
      est_cost_per_day: tariffForDay(pastLfd + 1, config),
      est_cost_first_week: demurrageCost(pastLfd + 7, config) - demurrageCost(pastLfd, config),
      accrued: demurrageCost(pastLfd, config),
      trucker: container.trucker,
    });
  }
  return cases.sort((left, right) => left.last_free_day.localeCompare(right.last_free_day) || left.container.localeCompare(right.container));
}

const when = (days: number) => (days < 0 ? `${-days} day${days === -1 ? '' : 's'} ago` : days === 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`);

/** The #ops-bot post: one line per container. */
export function demurrageMessage(cases: readonly DemurrageCase[]): string {
  return [
    ...cases.map(
      (found) =>
        `• ${found.container} (${found.shipment_id}) at ${found.terminal}, ${found.port}: LFD ${found.last_free_day} (${when(found.days_to_lfd)}), ${
          found.reason === 'hold' ? `${found.holds.join(' + ')} hold — clear it with the broker before a pickup can run` : 'no pickup appointment'
        }; $${found.est_cost_per_day}/day after the LFD, ~$${found.est_cost_first_week.toLocaleString('en-US')} for the first week${found.accrued > 0 ? `, $${found.accrued} accrued` : ''}`,
    ),
    '',
    'Approve to send each trucker a pickup request (book_drayage).',
  ].join('\n');
}

function drayageDraft(found: DemurrageCase, now: Date, zone: string): DrayageDraft {
  // Ask for the earliest slot: 08:00 tomorrow in the company's zone, or today when the LFD is today.
  const pickupDay = found.days_to_lfd <= 0 ? localDay(now, zone) : addDays(localDay(now, zone), 1);
  const pickupAt = zonedInstant(pickupDay, 8 * 60, zone).toISOString();
  return {
    container: found.container,
    shipment_id: found.shipment_id,
    terminal: found.terminal,
    port: found.port,
    last_free_day: found.last_free_day,
    trucker: found.trucker,
    pickup_at: pickupAt,
    subject: `Pickup request: ${found.container} at ${found.terminal}, LFD ${found.last_free_day}`,
    body: [
      'Hello,',
      '',
      `Please pick up container ${found.container} (ref ${found.shipment_id}) at ${found.terminal}, ${found.port}, and deliver it to our Portland DC.`,
      `Its last free day is ${found.last_free_day}; demurrage starts the day after. Earliest slot please: ${pickupDay}.`,
      'Reply with the appointment time and the driver, or if the terminal has no slot before the LFD.',
      '',
      'Thank you,',
      'Harbor & Pine operations',
    ].join('\n'),
  };
}

/** What a run returns. */
export interface DemurrageWatchResult {
  cases: DemurrageCase[];
  emitted: number;
  approvals: Array<{ container: string; approvalId: string; created: boolean }>;
}

/**
 * Run demurrage-watch once: containers near their LFD → one `demurrage_risk` alert per container
 * per day, the post when the set changed, and a `book_drayage` approval per unbooked container
 * (keyed by container and LFD, so a rerun finds the request already asked). A held container gets
 * no drayage request: it cannot leave the terminal until the hold clears.
 */
export async function runDemurrageWatch(context: BotContext & JobRunInfo, config: DemurrageWatchConfig, now = new Date()) {
  const today = localDay(now, config.FLEET_TZ);
  const cases = findDemurrageCases(await context.connectors.containers.listContainers(), today, config);
  const outcome = await reportFindings(context, {
    findings: cases,
    noun: 'demurrage risk',
    message: (findings) => ({
      kind: 'note',
      title: `Demurrage watch: ${plural(findings.length, 'container')} near the last free day`,
      text: demurrageMessage(findings),
    }),
    nothingLine: 'Every container at the port has a pickup booked before its last free day, and none is held with the LFD close.',
  });
  let emitted = 0;
  const approvals: DemurrageWatchResult['approvals'] = [];
  for (const found of cases) {
    const signal = await context.signals.emit(
      'demurrage_risk',
      {
        container: found.container,
        shipment_id: found.shipment_id,
        terminal: found.terminal,
        last_free_day: found.last_free_day,
        holds: found.holds,
        est_cost_per_day: found.est_cost_per_day,
      },
      { dedupeKey: `demurrage_risk:${found.container}:${today}`, dedupeWindowMs: DAY_MS },
    );
    if (!signal.deduplicated) emitted += 1;
    if (found.reason === 'hold') continue;
    const { approval, created } = await context.approvals.request({
      action: bookDrayage,
      title: `Book drayage: ${found.container} at ${found.terminal} before its LFD ${found.last_free_day}`,
      draft: drayageDraft(found, now, config.FLEET_TZ),
      requestKey: `book_drayage:${found.container}:${found.last_free_day}`,
    });
    approvals.push({ container: found.container, approvalId: approval.id, created });
  }
  context.log.info({ cases: cases.map((found) => found.container), emitted }, `demurrage watch: ${cases.length} container(s) at risk`);
  return { outcome, result: { cases, emitted, approvals } satisfies DemurrageWatchResult };
}

/** opsbot's demurrage watch: daily 07:30 (FLEET_TZ), before the trucks are dispatched. */
export const demurrageWatch = defineJob({
  id: 'demurrage-watch',
  schedule: '30 7 * * *',
  description: 'Containers near their Last Free Day with no pickup, or held → demurrage_risk alert, book_drayage approval',
  timeoutMs: 120_000,
  // Daily: a missed morning catches up once (the LFD does not wait).
  missed: 'once',
  settings: demurrageWatchSettings,
  async run(context) {
    const { outcome, result } = await runDemurrageWatch(context, context.config);
    const asked = result.approvals.filter((approval) => approval.created).length;
    return jobOutcome(`${outcome.outcome}${asked === 0 ? '' : `; ${plural(asked, 'drayage request')} asked`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, emitted: result.emitted, approvals: result.approvals.map((approval) => approval.approvalId) },
    });
  },
});
