import { z } from 'zod';
import { defineJob, envInteger, envNumber, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import type { ClosedPurchaseOrder, LeadTimeStat, Supplier } from '@jbot/connectors';
import { sendScorecards, type ScorecardsDraft } from '../actions/send-scorecards.js';
import { addDays, daysBetween, localDay, plural } from '../company-day.js';
import { structuredOrTemplate } from '../model-input.js';

/** The catalogue's thresholds: OTIF under 85%, or lead-time σ over 20% of its mean, over the trailing 3 months. */
export const vendorScorecardSettings = envSettings({
  VENDOR_OTIF_MIN_PCT: envNumber(85),
  VENDOR_LEAD_TIME_CV_MAX_PCT: envNumber(20),
  VENDOR_SCORECARD_WINDOW_DAYS: envInteger(90, 28, 365),
  FLEET_TZ: timeZone('UTC'),
});

/** The parsed settings. */
export type VendorScorecardConfig = ReturnType<typeof vendorScorecardSettings.load>;

/** One supplier's month: on time, in full, lead time and its spread, claims, price change. */
export interface Scorecard {
  supplier_id: string;
  supplier: string;
  pos: number;
  on_time_pct: number;
  in_full_pct: number;
  otif_pct: number;
  lead_time_mean: number;
  lead_time_sd: number;
  claims: number;
  /** Unit-cost change, first to last PO of the window, across its SKUs (%). */
  price_change_pct: number;
  risks: string[];
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
const sd = (values: readonly number[]) =>
  values.length < 2 ? 0 : Math.sqrt(values.reduce((sum, value) => sum + (value - mean(values)) ** 2, 0) / (values.length - 1));
const leadTime = (order: ClosedPurchaseOrder) => daysBetween(order.orderedAt.slice(0, 10), order.readyOn);

/** Score each supplier with closed POs in the window; the catalogue's rule marks the risks. */
export function scoreSuppliers(history: readonly ClosedPurchaseOrder[], suppliers: readonly Supplier[], config: VendorScorecardConfig): Scorecard[] {
  const cards: Scorecard[] = [];
  for (const supplier of suppliers) {
    const orders = history.filter((order) => order.supplierId === supplier.id).sort((left, right) => left.readyOn.localeCompare(right.readyOn));
    if (orders.length === 0) continue;
    const onTime = orders.filter((order) => order.readyOn <= order.promisedReady);
    const inFull = orders.filter((order) => order.received >= order.quantity);
    const otif = orders.filter((order) => order.readyOn <= order.promisedReady && order.received >= order.quantity);
    const leads = orders.map(leadTime);
    const bySku = new Map<string, ClosedPurchaseOrder[]>();
    for (const order of orders) bySku.set(order.sku, [...(bySku.get(order.sku) ?? []), order]);
    const changes = [...bySku.values()]
      .filter((group) => group.length > 1)
      .map((group) => ((group.at(-1)?.unitCost ?? 0) / (group[0]?.unitCost ?? 1) - 1) * 100);
    const card: Scorecard = {
      supplier_id: supplier.id,
      supplier: supplier.name,
      pos: orders.length,
      on_time_pct: round1((onTime.length / orders.length) * 100),
      in_full_pct: round1((inFull.length / orders.length) * 100),
      otif_pct: round1((otif.length / orders.length) * 100),
      lead_time_mean: round1(mean(leads)),
      lead_time_sd: round1(sd(leads)),
      claims: orders.reduce((sum, order) => sum + order.claims, 0),
      price_change_pct: round1(mean(changes)),
      risks: [],
    };
    if (card.otif_pct < config.VENDOR_OTIF_MIN_PCT) card.risks.push(`OTIF ${card.otif_pct}% < ${config.VENDOR_OTIF_MIN_PCT}%`);
    if (card.lead_time_mean > 0 && (card.lead_time_sd / card.lead_time_mean) * 100 > config.VENDOR_LEAD_TIME_CV_MAX_PCT)
      card.risks.push(
        `lead time σ ${card.lead_time_sd} d is ${Math.round((card.lead_time_sd / card.lead_time_mean) * 100)}% of its ${card.lead_time_mean} d mean`,
      );
    cards.push(card);
  }
  return cards.sort(
    (left, right) => right.risks.length - left.risks.length || left.otif_pct - right.otif_pct || left.supplier_id.localeCompare(right.supplier_id),
  );
}

/** Lead time μ/σ per supplier-SKU (what shipbot's safety stock reads). */
export function leadTimeStats(history: readonly ClosedPurchaseOrder[]): LeadTimeStat[] {
  const groups = new Map<string, ClosedPurchaseOrder[]>();
  for (const order of history) groups.set(`${order.supplierId}\u0000${order.sku}`, [...(groups.get(`${order.supplierId}\u0000${order.sku}`) ?? []), order]);
  return [...groups.values()].map((group) => {
    const leads = group.map(leadTime);
    return {
      supplierId: group[0]?.supplierId ?? '',
      sku: group[0]?.sku ?? '',
      meanDays: round1(mean(leads)),
      sdDays: round1(sd(leads)),
      samples: leads.length,
    };
  });
}

const commentarySchema = z.object({
  suppliers: z.array(z.object({ supplier_id: z.string(), commentary: z.string().min(10).max(1200), negotiation_points: z.array(z.string().min(3)).max(5) })),
});

const SYSTEM = [
  "You are a consumer-goods company's head of purchasing writing the monthly supplier scorecard.",
  'For each supplier, from its figures (on time, in full, OTIF, lead time mean and spread, claims, price change), write two or three sentences of commentary and up to three negotiation points for the next business review.',
  'Be specific to the figures; do not invent events. Return JSON only: {"suppliers": [{"supplier_id": string, "commentary": string, "negotiation_points": string[]}]}.',
].join(' ');

function cardLine(card: Scorecard): string {
  return `OTIF ${card.otif_pct}% (on time ${card.on_time_pct}%, in full ${card.in_full_pct}%), lead time ${card.lead_time_mean} ± ${card.lead_time_sd} d, ${plural(card.claims, 'claim')}, price ${card.price_change_pct >= 0 ? '+' : ''}${card.price_change_pct}% over ${plural(card.pos, 'PO')}`;
}

/**
 * Run vendor-scorecard once: score each supplier over the trailing window, write lead time μ/σ
 * per supplier-SKU for shipbot, `vendor_risk` (scorecard) per supplier under the bar, the
 * scorecard post with smart-tier commentary, and `send_scorecards` to share them.
 */
export async function runVendorScorecard(context: BotContext & JobRunInfo, config: VendorScorecardConfig, now = new Date()) {
  const today = localDay(now, config.FLEET_TZ);
  const month = today.slice(0, 7);
  const { procurement } = context.connectors;
  const [history, suppliers] = await Promise.all([
    procurement.listPurchaseOrderHistory(addDays(today, -config.VENDOR_SCORECARD_WINDOW_DAYS)),
    procurement.listSuppliers(),
  ]);
  const cards = scoreSuppliers(history, suppliers, config);
  const stats = leadTimeStats(history);
  await procurement.recordLeadTimes(stats);
  const commentary = new Map<string, { commentary: string; negotiation_points: string[] }>();
  let offline = context.llm.offline;
  if (cards.length > 0) {
    const result = await structuredOrTemplate(context, {
      tier: 'smart',
      system: SYSTEM,
      prompt: `Scorecards for ${month} (trailing ${config.VENDOR_SCORECARD_WINDOW_DAYS} days):\n${cards.map((card) => `${card.supplier_id} ${card.supplier}: ${cardLine(card)}${card.risks.length === 0 ? '' : `; below the bar: ${card.risks.join('; ')}`}`).join('\n')}`,
      schema: commentarySchema,
      maxTokens: 250 * cards.length + 200,
      offline: () => ({
        suppliers: cards.map((card) => ({
          supplier_id: card.supplier_id,
          commentary: `${card.risks.length === 0 ? 'Meets the bar this month.' : `Below the bar: ${card.risks.join('; ')}.`} (template: no model configured)`,
          negotiation_points: card.risks.length === 0 ? [] : ['Agree a recovery plan for ready dates', 'Confirm capacity for next quarter'],
        })),
      }),
    });
    offline = result.offline;
    for (const item of result.value.suppliers) commentary.set(item.supplier_id, item);
  }
  const outcome = await reportFindings(context, {
    findings: cards,
    noun: 'supplier scorecard',
    message: (all) => ({
      kind: 'note',
      title: `Vendor scorecard ${month}: ${plural(all.filter((card) => card.risks.length > 0).length, 'supplier')} below the bar`,
      text: [
        ...all.map((card) => {
          const notes = commentary.get(card.supplier_id);
          return `${card.risks.length === 0 ? '•' : '⚠'} **${card.supplier}** — ${cardLine(card)}${notes === undefined ? '' : `\n  ${notes.commentary}${notes.negotiation_points.length === 0 ? '' : `\n  Negotiate: ${notes.negotiation_points.join('; ')}`}`}`;
        }),
        '',
        `Lead time μ/σ written for ${plural(stats.length, 'supplier-SKU')} (shipbot's safety stock). Approve to share each supplier its scorecard (send_scorecards).`,
      ].join('\n'),
    }),
    nothingLine: `No closed POs in the trailing ${config.VENDOR_SCORECARD_WINDOW_DAYS} days to score.`,
  });
  let emitted = 0;
  for (const card of cards.filter((candidate) => candidate.risks.length > 0)) {
    const signal = await context.signals.emit(
      'vendor_risk',
      {
        supplier_id: card.supplier_id,
        supplier: card.supplier,
        kind: 'scorecard',
        detail: `${month}: ${card.risks.join('; ')} — ${cardLine(card)}`,
        affected_pos: [],
      },
      { severity: 'warning', dedupeKey: `vendor_risk:scorecard:${card.supplier_id}:${month}`, dedupeWindowMs: 31 * 86_400_000 },
    );
    if (!signal.deduplicated) emitted += 1;
  }
  let approvalId: string | null = null;
  const byId = new Map(suppliers.map((supplier) => [supplier.id, supplier]));
  const scorecards: ScorecardsDraft['scorecards'] = cards.flatMap((card) => {
    const supplier = byId.get(card.supplier_id);
    if (supplier === undefined) return [];
    const notes = commentary.get(card.supplier_id);
    return [
      {
        supplier_id: card.supplier_id,
        supplier: card.supplier,
        to: supplier.email,
        subject: `Harbor & Pine supplier scorecard, ${month}`,
        body: `Dear ${card.supplier},\n\nYour scorecard for the last ${config.VENDOR_SCORECARD_WINDOW_DAYS} days: ${cardLine(card)}.\n${notes === undefined ? '' : `\n${notes.commentary}\n`}\nThank you for your partnership,\nHarbor & Pine purchasing`,
      },
    ];
  });
  if (scorecards.length > 0) {
    const { approval } = await context.approvals.request({
      action: sendScorecards,
      title: `Share the ${month} scorecard with ${plural(scorecards.length, 'supplier')}${offline ? ' (template commentary)' : ''}`,
      draft: { month, scorecards },
      requestKey: `send_scorecards:${month}`,
    });
    approvalId = approval.id;
  }
  return { outcome, result: { cards, stats: stats.length, emitted, approvalId, offline } };
}

/** opsbot's supplier scorecard: the 1st of the month, 07:00 (FLEET_TZ). */
export const vendorScorecard = defineJob({
  id: 'vendor-scorecard',
  schedule: '0 7 1 * *',
  description: 'Monthly supplier scorecard: OTIF, lead time μ/σ (written for safety stock), claims, price → vendor_risk, send_scorecards',
  timeoutMs: 300_000,
  // Monthly: a missed 1st catches up once.
  missed: 'once',
  graceMs: 3 * 86_400_000,
  settings: vendorScorecardSettings,
  async run(context) {
    const { outcome, result } = await runVendorScorecard(context, context.config);
    return jobOutcome(
      `${outcome.outcome}; ${plural(result.emitted, 'vendor_risk')}, lead times for ${result.stats} supplier-SKUs${result.approvalId === null ? '' : '; send_scorecards asked'}`,
      {
        ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
        detail: { ...outcome.detail, approvalId: result.approvalId },
      },
    );
  },
});
