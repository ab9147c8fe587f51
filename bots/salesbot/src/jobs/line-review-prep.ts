import { z } from 'zod';
import { defineJob, envInteger, envSettings, jobOutcome, labelOffline, timeZone, unlessUnchanged, type BotContext, type JobRunInfo } from '@jbot/core';
import type { Connectors } from '@jbot/connectors';
import { draftLineReviewNarrative, type LineReviewNarrative } from '../line-reviews/line-review-narrative.js';
import { localDay } from './deal-hygiene.js';

const DAY_MS = 86_400_000;

// "30,14,7": the days before a line review when the pack is prepared.
const milestoneList = z
  .string()
  .optional()
  .transform((value, context) => {
    const days = (value ?? '30,14,7').split(',').map((item) => Number(item.trim()));
    if (days.length === 0 || days.some((day) => !Number.isInteger(day) || day < 1 || day > 120)) {
      context.addIssue({ code: 'custom', message: 'expected comma-separated whole days between 1 and 120, like "30,14,7"' });
      return z.NEVER;
    }
    return [...new Set(days)].sort((left, right) => right - left);
  });

/** The job's settings: the catalogue's milestones (30 / 14 / 7 days out), how many new items to propose. */
export const lineReviewPrepSettings = envSettings({
  SALES_LINE_REVIEW_MILESTONES: milestoneList,
  SALES_LINE_REVIEW_NEW_ITEMS: envInteger(3, 0, 10),
  FLEET_TZ: timeZone('UTC'),
});

/** One carried SKU in a pack. */
export interface PackSku {
  sku: string;
  name: string;
  units12m: number;
  unitsT90: number;
  unitsPriorT90: number;
  /** Available to promise across locations (shipbot's stock: on hand − committed). */
  atp: number;
}

/** One line-review prep pack: an account, its milestone, its SKU history and proposed items. */
export interface LineReviewPack {
  accountId: string;
  account: string;
  owner: string;
  segment: string | null;
  /** YYYY-MM-DD. */
  reviewOn: string;
  /** Days out: one of the milestones. */
  milestone: number;
  revenue12m: number;
  orders12m: number;
  skus: PackSku[];
  /** SKUs other accounts in the segment buy that this one does not carry, in stock. */
  proposed: Array<{ sku: string; name: string; segmentUnits: number; atp: number }>;
}

const dayOffset = (today: string, days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The packs due today, deterministically: every company whose next_line_review_date is exactly a
 * milestone away, with 12 months of SKU history (units, last 90 vs prior 90 days), shipbot's
 * available-to-promise per SKU, and new items (best sellers in the segment it does not carry, in stock).
 */
export async function findLineReviews(
  connectors: Pick<Connectors, 'crm' | 'wholesaleHistory' | 'fulfilment'>,
  today: string,
  settings: { milestones: readonly number[]; newItems: number },
): Promise<LineReviewPack[]> {
  const companies = await connectors.crm.listCompanies();
  const due = companies.flatMap((company) => {
    const reviewOn = company.properties['next_line_review_date']?.slice(0, 10) ?? '';
    if (!DATE.test(reviewOn)) return [];
    const daysOut = Math.round((Date.parse(`${reviewOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
    return settings.milestones.includes(daysOut) ? [{ company, reviewOn, daysOut }] : [];
  });
  if (due.length === 0) return [];
  const [orders, stock] = await Promise.all([connectors.wholesaleHistory.listOrdersSince(dayOffset(today, 364)), connectors.fulfilment.listStockLevels()]);
  const atp = new Map<string, number>();
  const names = new Map<string, string>();
  for (const level of stock) {
    atp.set(level.sku, (atp.get(level.sku) ?? 0) + Math.max(0, level.available));
    names.set(level.sku, level.name);
  }
  const segmentOf = new Map(companies.map((company) => [company.id, company.segment]));
  const t90Start = dayOffset(today, 89);
  const priorStart = dayOffset(today, 179);
  return due
    .map(({ company, reviewOn, daysOut }): LineReviewPack => {
      const mine = orders.filter((order) => order.accountId === company.id);
      const bySku = new Map<string, PackSku>();
      for (const order of mine)
        for (const line of order.lines) {
          const entry = bySku.get(line.sku) ?? {
            sku: line.sku,
            name: names.get(line.sku) ?? line.sku,
            units12m: 0,
            unitsT90: 0,
            unitsPriorT90: 0,
            atp: atp.get(line.sku) ?? 0,
          };
          entry.units12m += line.units;
          if (order.orderedOn >= t90Start) entry.unitsT90 += line.units;
          else if (order.orderedOn >= priorStart) entry.unitsPriorT90 += line.units;
          bySku.set(line.sku, entry);
        }
      const segmentUnits = new Map<string, number>();
      for (const order of orders)
        if (order.accountId !== company.id && segmentOf.get(order.accountId) === company.segment)
          for (const line of order.lines) if (!bySku.has(line.sku)) segmentUnits.set(line.sku, (segmentUnits.get(line.sku) ?? 0) + line.units);
      const proposed = [...segmentUnits]
        .filter(([sku]) => (atp.get(sku) ?? 0) > 0)
        .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))
        .slice(0, settings.newItems)
        .map(([sku, units]) => ({ sku, name: names.get(sku) ?? sku, segmentUnits: units, atp: atp.get(sku) ?? 0 }));
      return {
        accountId: company.id,
        account: company.name,
        owner: company.ownerName ?? 'Unassigned',
        segment: company.segment,
        reviewOn,
        milestone: daysOut,
        revenue12m: mine.reduce((sum, order) => sum + order.amount, 0),
        orders12m: mine.length,
        skus: [...bySku.values()].sort((left, right) => right.units12m - left.units12m || left.sku.localeCompare(right.sku)),
        proposed,
      };
    })
    .sort((left, right) => left.milestone - right.milestone || left.account.localeCompare(right.account));
}

const money = (amount: number) => `$${amount.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

/** The #sales-bot pack for one account. */
export function packMessage(pack: LineReviewPack, narrative: LineReviewNarrative): string {
  return [
    `**${pack.account}** (${pack.owner}) — line review ${pack.reviewOn}, ${pack.milestone} days out`,
    `Sell-in, 12 months: ${money(pack.revenue12m)} over ${pack.orders12m} orders`,
    '',
    '**Velocity by SKU** (12 mo · last 90 d vs prior 90 d · ATP)',
    ...pack.skus.map((sku) => `• ${sku.sku} ${sku.name}: ${sku.units12m} · ${sku.unitsT90} vs ${sku.unitsPriorT90} · ${sku.atp}`),
    '',
    `**Proposed new items**: ${pack.proposed.length === 0 ? 'none in stock' : pack.proposed.map((item) => `${item.sku} ${item.name} (ATP ${item.atp})`).join(', ')}`,
    '',
    narrative.narrative,
    '',
    `**Assortment**: ${narrative.assortment}`,
    `**Promo plan**: ${narrative.promo_plan}`,
  ].join('\n');
}

/** What a run returns. */
export interface LineReviewPrepResult {
  packs: LineReviewPack[];
  /** Whether the narratives were drafted (false: the same account + milestone set as the last run, no model call). */
  drafted: boolean;
  noteId: string | null;
}

/**
 * Run line-review-prep once: the due packs, each narrated by the smart model, posted, and one
 * `bot_note` info for the digest. ⟳: the fingerprint is the account + milestone set, so a rerun
 * on the same day calls no model and posts nothing again.
 */
export async function runLineReviewPrep(
  context: BotContext & JobRunInfo,
  settings = lineReviewPrepSettings.load({}),
  now = new Date(),
): Promise<{ outcome: string; fingerprint: string; result: LineReviewPrepResult }> {
  const today = localDay(now, settings.FLEET_TZ);
  const packs = await findLineReviews(context.connectors, today, {
    milestones: settings.SALES_LINE_REVIEW_MILESTONES,
    newItems: settings.SALES_LINE_REVIEW_NEW_ITEMS,
  });
  const result: LineReviewPrepResult = { packs, drafted: false, noteId: null };
  const key = packs.map((pack) => [pack.accountId, pack.milestone, pack.reviewOn]);
  if (packs.length === 0) {
    if (context.manual)
      await context.channel.post({
        title: `${context.job}: nothing to report`,
        text: `No line review is ${settings.SALES_LINE_REVIEW_MILESTONES.join(', ')} days out today.`,
        kind: 'note',
      });
    return { outcome: 'nothing to report', fingerprint: JSON.stringify(key), result };
  }
  const drafted = await unlessUnchanged(context, key, async () => {
    const narratives: Array<{ value: LineReviewNarrative; offline: boolean }> = [];
    for (const pack of packs) narratives.push(await draftLineReviewNarrative(context.llm, pack));
    return narratives;
  });
  if (drafted.skipped)
    return {
      outcome: `${packs.length} line-review pack${packs.length === 1 ? '' : 's'}, unchanged since the last run (not reposted)`,
      fingerprint: drafted.fingerprint,
      result,
    };
  result.drafted = true;
  for (const [index, pack] of packs.entries()) {
    const narrative = drafted.value[index];
    if (narrative === undefined) continue;
    await context.channel.post({
      title: `Line review prep: ${pack.account} (${pack.milestone} days out)`,
      text: labelOffline(packMessage(pack, narrative.value), narrative.offline),
      kind: 'note',
    });
  }
  const note = await context.signals.emit(
    'bot_note',
    {
      text: `Line-review packs ready: ${packs.map((pack) => `${pack.account} (${pack.milestone} d)`).join(', ')}`,
      detail: {
        kind: 'line_review_prep',
        day: today,
        packs: packs.map((pack) => ({ account_id: pack.accountId, account: pack.account, review_on: pack.reviewOn, milestone: pack.milestone })),
      },
    },
    // One pack per account and milestone: the same set is not noted twice.
    {
      severity: 'info',
      dedupeKey: `line-review-prep:${packs.map((pack) => `${pack.accountId}:${pack.milestone}:${pack.reviewOn}`).join(',')}`,
      dedupeWindowMs: 7 * DAY_MS,
    },
  );
  result.noteId = note.id;
  context.log.info({ packs: packs.length }, `line review prep: ${packs.length} packs`);
  return { outcome: `${packs.length} line-review pack${packs.length === 1 ? '' : 's'}, posted`, fingerprint: drafted.fingerprint, result };
}

/** salesbot's line-review-prep: weekdays 07:30 (fleet time zone). */
export const lineReviewPrep = defineJob({
  id: 'line-review-prep',
  schedule: '30 7 * * 1-5',
  description: 'Retailer line reviews 30/14/7 days out → prep pack (sell-in, SKU velocity, ATP, new items, smart narrative) + bot_note',
  timeoutMs: 300_000,
  // A daily pack: a missed morning catches up once (the milestone is that day's).
  missed: 'once',
  settings: lineReviewPrepSettings,
  async run(context) {
    const { outcome, fingerprint, result } = await runLineReviewPrep(context, context.config);
    return jobOutcome(outcome, { fingerprint, detail: { packs: result.packs.length, drafted: result.drafted, noteId: result.noteId } });
  },
});
