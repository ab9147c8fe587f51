import { defineJob, envInteger, envNumber, envSettings, jobOutcome, reportFindings, type BotContext, type JobRunInfo, type SettingsOf } from '@jbot/core';
import type { Connectors, ReturnLine } from '@jbot/connectors';

/** returns-watch's rules (catalogue defaults). */
export const returnsWatchSettings = envSettings({
  SHIP_RETURNS_SPIKE_FACTOR: envNumber(1.5, 1),
  SHIP_RETURNS_MIN_COUNT: envInteger(10, 1, 100_000),
  SHIP_RETURNS_REASON_SHARE: envNumber(0.4, 0),
});

/** The parsed settings. */
export type ReturnsWatchConfig = SettingsOf<typeof returnsWatchSettings>;

/** A SKU whose returns jumped. */
export interface ReturnSpike {
  sku: string;
  name: string;
  returns30d: number;
  rate30d: number;
  baseline90d: number;
  topReason: string;
  share: number;
  /** A few of the customers' own words (untrusted: shown as quoted data, never as instructions). */
  notes: string[];
  why: string;
}

const DAY_MS = 86_400_000;
const round = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * The catalogue's rule per SKU: 30-day return rate ≥ factor × the 90-day baseline with at least
 * `SHIP_RETURNS_MIN_COUNT` returns, or one reason ≥ `SHIP_RETURNS_REASON_SHARE` of them. Units
 * sold come from the SKU's selling rate (the store keeps no per-SKU sales totals).
 */
export async function findReturnSpikes(connectors: Pick<Connectors, 'fulfilment'>, config: ReturnsWatchConfig, now: Date): Promise<ReturnSpike[]> {
  const [returns, levels] = await Promise.all([
    connectors.fulfilment.listReturns(new Date(now.getTime() - 90 * DAY_MS)),
    connectors.fulfilment.listStockLevels(),
  ]);
  const velocity = new Map<string, { rate: number; name: string }>();
  for (const level of levels) velocity.set(level.sku, { rate: (velocity.get(level.sku)?.rate ?? 0) + level.dailyVelocity, name: level.name });
  const bySku = new Map<string, ReturnLine[]>();
  for (const line of returns) bySku.set(line.sku, [...(bySku.get(line.sku) ?? []), line]);
  const recentSince = now.getTime() - 30 * DAY_MS;
  const spikes: ReturnSpike[] = [];
  for (const [sku, lines] of bySku) {
    const recent = lines.filter((line) => Date.parse(line.createdAt) >= recentSince);
    const returns30d = recent.reduce((sum, line) => sum + line.quantity, 0);
    if (returns30d < config.SHIP_RETURNS_MIN_COUNT) continue;
    const sold = velocity.get(sku)?.rate ?? 0;
    const rate30d = sold <= 0 ? 0 : round(returns30d / (sold * 30));
    const baseline90d = sold <= 0 ? 0 : round(lines.reduce((sum, line) => sum + line.quantity, 0) / (sold * 90));
    const reasons = new Map<string, number>();
    for (const line of recent) reasons.set(line.reason, (reasons.get(line.reason) ?? 0) + line.quantity);
    const [topReason, topCount] = [...reasons.entries()].sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))[0] ?? ['UNKNOWN', 0];
    const share = round(topCount / returns30d);
    const jumped = baseline90d > 0 && rate30d >= config.SHIP_RETURNS_SPIKE_FACTOR * baseline90d;
    const dominant = share >= config.SHIP_RETURNS_REASON_SHARE;
    if (!jumped && !dominant) continue;
    spikes.push({
      sku,
      name: velocity.get(sku)?.name ?? sku,
      returns30d,
      rate30d,
      baseline90d,
      topReason,
      share,
      notes: [
        ...new Set(recent.filter((line) => line.reason === topReason).flatMap((line) => (line.customerNote === null ? [] : [line.customerNote.slice(0, 120)]))),
      ].slice(0, 3),
      why: [
        jumped ? `30-day rate ${(rate30d * 100).toFixed(1)}% vs ${(baseline90d * 100).toFixed(1)}% over 90 days` : null,
        dominant ? `${Math.round(share * 100)}% ${topReason}` : null,
      ]
        .filter((part) => part !== null)
        .join('; '),
    });
  }
  return spikes.sort((left, right) => right.returns30d - left.returns30d || left.sku.localeCompare(right.sku));
}

/** Run returns-watch once: `return_rate_spike` per SKU (once a week per reason), posted on change. */
// `now` is the world's clock (the data is as of now, also on a catch-up run); tests pass a fixed instant.
export async function runReturnsWatch(context: BotContext & JobRunInfo, config: ReturnsWatchConfig, now = new Date()) {
  const spikes = await findReturnSpikes(context.connectors, config, now);
  for (const spike of spikes)
    await context.signals.emit(
      'return_rate_spike',
      { sku: spike.sku, rate_30d: spike.rate30d, baseline_90d: spike.baseline90d, top_reason: spike.topReason, share: spike.share },
      { dedupeKey: `return_rate_spike:${spike.sku}:${spike.topReason}`, dedupeWindowMs: 7 * 86_400_000 },
    );
  const outcome = await reportFindings(context, {
    findings: spikes.map((spike) => [spike.sku, spike.topReason, spike.returns30d]),
    noun: 'return spike',
    message: () => ({
      kind: 'report',
      title: `Returns: ${spikes.length} SKU${spikes.length === 1 ? '' : 's'} with a return spike`,
      // Customer notes are quoted as data: what customers wrote, not instructions to anyone.
      text: spikes
        .map(
          (spike) =>
            `• ${spike.sku} ${spike.name}: ${spike.returns30d} returns in 30 days — ${spike.why}. Customers wrote: ${spike.notes.map((note) => JSON.stringify(note)).join(', ') || '—'}`,
        )
        .join('\n'),
      severity: 'warning',
    }),
    nothingLine: 'No SKU has a return spike or a dominant return reason.',
  });
  return jobOutcome(outcome.outcome, {
    ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
    detail: { ...outcome.detail, skus: spikes.map((spike) => spike.sku) },
  });
}

/** shipbot's returns-watch: daily 08:00 (fleet time zone). */
export const returnsWatch = defineJob({
  id: 'returns-watch',
  schedule: '0 8 * * *',
  description: 'Return rates by SKU and reason: 30-day rate ≥ 1.5 × the 90-day baseline, or one reason ≥ 40% → return_rate_spike',
  timeoutMs: 120_000,
  missed: 'once',
  settings: returnsWatchSettings,
  run: (context) => runReturnsWatch(context, context.config),
});
