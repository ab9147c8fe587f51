import { z } from 'zod';
import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, readLastRun, reportFindings } from '@jbot/core';
import type { BotContext, JobRunInfo, SettingsOf } from '@jbot/core';
import type { AmazonListing, ProductContent } from '@jbot/connectors';
import { publishProductCopy, type PublishProductCopyDraft } from '../actions/publish-product-copy.js';
import { plural } from '../company-day.js';
import { readMasterCopy, type MasterCopy } from '../master-copy.js';
import { draftWithModel, labelDraft } from '../model-draft.js';

/** The job's settings (catalogue defaults). */
export const productCopyGapsSettings = envSettings({
  COPY_MIN_DESCRIPTION_WORDS: envInteger(150, 10, 5000),
  COPY_MIN_BULLETS: envInteger(5, 1, 10),
  COPY_DRAFTS_PER_DAY: envInteger(3, 0, 50),
});

/** The parsed settings. */
export type ProductCopyGapsConfig = SettingsOf<typeof productCopyGapsSettings>;

/** What is wrong with a product's copy. */
export type CopyGapKind = 'thin_description' | 'few_bullets' | 'missing_fact' | 'size_mismatch';

/** One gap on one SKU. */
export interface CopyGap {
  sku: string;
  kind: CopyGapKind;
  detail: string;
}

/** Why a SKU is worked on first: a striking-distance query, a review topic, the operator. */
export interface CopyTrigger {
  sku: string;
  reason: string;
}

// The facts each brand's category must state (the brand prefix of the SKU).
const REQUIRED_FACTS: Record<string, string[]> = {
  SM: ['inci'],
  KC: ['allergens', 'net_weight'],
  DW: ['warnings'],
  TH: ['net_weight'],
};

const SIZE = /(\d+(?:\.\d+)?)\s?(oz|lb|ct|ml|g)\b/i;

function wordsOf(html: string): number {
  return html
    .replace(/<[^>]+>/g, ' ')
    .split(/\s+/)
    .filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

const sizeOf = (text: string | null) => {
  const match = text === null ? null : SIZE.exec(text);
  return match === null ? null : `${Number(match[1])}${(match[2] ?? '').toLowerCase()}`;
};

/**
 * The rules, pure: a description under the minimum words, fewer Amazon bullets than the minimum,
 * a regulated fact missing for the category, Shopify and Amazon disagreeing on size or count.
 */
export function findCopyGaps(
  products: readonly ProductContent[],
  listings: readonly AmazonListing[],
  master: ReadonlyMap<string, MasterCopy>,
  config: ProductCopyGapsConfig,
): CopyGap[] {
  const gaps: CopyGap[] = [];
  const listingOf = new Map(listings.map((listing) => [listing.sku, listing]));
  for (const product of products) {
    const words = wordsOf(product.descriptionHtml);
    if (words < config.COPY_MIN_DESCRIPTION_WORDS)
      gaps.push({ sku: product.sku, kind: 'thin_description', detail: `description has ${words} words (min ${config.COPY_MIN_DESCRIPTION_WORDS})` });
    const copy = master.get(product.sku);
    if (copy !== undefined && copy.bullets.length < config.COPY_MIN_BULLETS)
      gaps.push({ sku: product.sku, kind: 'few_bullets', detail: `Amazon listing has ${copy.bullets.length} bullets (min ${config.COPY_MIN_BULLETS})` });
    for (const fact of REQUIRED_FACTS[product.sku.slice(0, 2)] ?? [])
      if ((product.metafields[fact] ?? '').trim() === '')
        gaps.push({ sku: product.sku, kind: 'missing_fact', detail: `no ${fact.replace('_', ' ')} on the product page` });
    const listing = listingOf.get(product.sku);
    const storeSize = sizeOf(product.size ?? product.title);
    const amazonSize = listing === undefined ? null : sizeOf(listing.title);
    if (storeSize !== null && amazonSize !== null && storeSize !== amazonSize)
      gaps.push({ sku: product.sku, kind: 'size_mismatch', detail: `Shopify says ${storeSize}, Amazon says ${amazonSize}` });
  }
  return gaps.sort((left, right) => left.sku.localeCompare(right.sku) || left.kind.localeCompare(right.kind));
}

// Gaps a copywriter (or the model) can close; a missing regulated fact or a size conflict needs
// the real fact from the formula or the packaging, so it goes to a person, never to the model.
const DRAFTABLE: ReadonlySet<CopyGapKind> = new Set(['thin_description', 'few_bullets']);

/**
 * Which SKUs get drafts today: triggered ones first (a striking-distance query, a review topic or
 * the operator asked for new copy, gaps or not), then those with draftable gaps, by SKU, at most
 * the daily number.
 */
export function chooseDraftSkus(gaps: readonly CopyGap[], triggers: readonly CopyTrigger[], limit: number): string[] {
  const triggered = new Set(triggers.map((trigger) => trigger.sku));
  const draftable = [...new Set([...triggered, ...gaps.filter((gap) => DRAFTABLE.has(gap.kind)).map((gap) => gap.sku)])];
  return draftable.sort((left, right) => Number(triggered.has(right)) - Number(triggered.has(left)) || left.localeCompare(right)).slice(0, limit);
}

const copySchema = z.object({
  description_html: z.string().min(200).max(6000),
  bullets: z.array(z.string().min(10).max(300)).min(3).max(7),
});

const SYSTEM = [
  'You write product copy for a small Portland consumer-goods company with four brands: Kettle & Crumb (granola), Saltmarsh Apothecary (natural skincare), Driftwood Candle Co. (soy candles), Trailhead Coffee Roasters (coffee).',
  'Write a product description of 160–220 words as simple HTML paragraphs and five Amazon bullet points, using only the facts given.',
  'Claim safety: no health, cure or medical claims, no "best" or superlatives you cannot prove, no invented ingredients, certifications, sizes or weights.',
  'Where search queries are given, use their words naturally. Return JSON only: {"description_html": string, "bullets": [string]}.',
].join(' ');

/** The offline draft: the facts we have, in the house template. */
export function templateCopy(product: ProductContent, copy: MasterCopy | undefined): z.infer<typeof copySchema> {
  const facts = Object.entries(product.metafields).map(([key, value]) => `${key.replace('_', ' ')}: ${value}`);
  const sentence = `${product.title} is made by ${product.brand === 'KC' ? 'Kettle & Crumb' : product.brand === 'SM' ? 'Saltmarsh Apothecary' : product.brand === 'DW' ? 'Driftwood Candle Co.' : 'Trailhead Coffee Roasters'} in small batches in our Portland workshop.`;
  const body = [
    sentence,
    'Each batch is made by hand and checked by the maker who made it, then packed the same week so it reaches you fresh.',
    'We choose ingredients and materials we can name, and we buy them from growers and suppliers we know.',
    ...facts.map((fact) => `${fact.charAt(0).toUpperCase()}${fact.slice(1)}.`),
    'It ships in recyclable, plastic-free packaging and is backed by our 30-day happiness guarantee: if it is not right, we make it right.',
  ];
  const paragraphs = [body.join(' '), body.slice(1).join(' '), `Questions about ${product.title}? Our team answers every message, usually the same day.`];
  const bullets = [
    ...(copy?.bullets ?? []),
    'Packed the same week it is made, so it arrives fresh',
    'Recyclable, plastic-free packaging',
    'Backed by our 30-day happiness guarantee',
  ];
  return { description_html: paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join(''), bullets: [...new Set(bullets)].slice(0, 5) };
}

/** The triggers: the operator's and other bots' queue, and seo-rank-watch's striking-distance queries. */
async function readTriggers(context: BotContext, products: readonly ProductContent[]): Promise<CopyTrigger[]> {
  const queued = await context.db.rpc('list_copy_queue');
  const triggers: CopyTrigger[] = queued.map((row) => ({ sku: String(row['sku']), reason: `${String(row['reason'])} (${String(row['source'])})` }));
  const seo = await readLastRun(context.db, context.bot, 'seo-rank-watch');
  const striking = ((seo?.result as { striking?: Array<{ url: string; query: string }> } | null)?.striking ?? []).filter((item) =>
    item.url.startsWith('/products/'),
  );
  for (const item of striking) {
    const product = products.find((candidate) => `/products/${candidate.handle}` === item.url);
    if (product !== undefined) triggers.push({ sku: product.sku, reason: `striking-distance query "${item.query}"` });
  }
  return triggers;
}

/**
 * Run product-copy-gaps once: find the gaps, post them on change, and draft better copy (smart)
 * for at most the daily number of SKUs — triggered ones first — each one publish_product_copy
 * approval, keyed by the SKU's facts and triggers so unchanged input is never drafted twice.
 */
export async function runProductCopyGaps(context: BotContext & JobRunInfo, config: ProductCopyGapsConfig) {
  const [products, listings, master] = await Promise.all([
    context.connectors.storefront.listProductContent(),
    context.connectors.marketplace.listListings(),
    readMasterCopy(context.db),
  ]);
  const gaps = findCopyGaps(products, listings, master, config);
  const triggers = await readTriggers(context, products);
  const chosen = chooseDraftSkus(gaps, triggers, config.COPY_DRAFTS_PER_DAY);
  const approvalIds: string[] = [];
  let modelCalls = 0;
  for (const sku of chosen) {
    const product = products.find((candidate) => candidate.sku === sku);
    if (product === undefined) continue;
    const copy = master.get(sku);
    const listing = listings.find((candidate) => candidate.sku === sku);
    const skuGaps = gaps.filter((gap) => gap.sku === sku);
    const skuTriggers = triggers.filter((trigger) => trigger.sku === sku);
    // The catalogue's fingerprint: the SKU's facts and its triggers.
    const requestKey = `copy-gaps:${sku}:${fingerprintOf({ facts: [product.title, product.descriptionHtml, product.metafields, product.size, copy?.bullets ?? []], gaps: skuGaps, triggers: skuTriggers })}`;
    const existing = await context.approvals.findByRequestKey(requestKey);
    if (existing !== null) {
      approvalIds.push(existing.id);
      continue;
    }
    modelCalls += 1;
    const answer = await draftWithModel(context, {
      tier: 'smart',
      system: SYSTEM,
      prompt: `Write new copy for ${product.title}. Gaps to close: ${skuGaps.map((gap) => gap.detail).join('; ')}.`,
      // The current copy and the queries come from outside (the store, search users): fenced as data.
      data: [
        {
          label: 'product facts',
          text: [
            `title: ${product.title}`,
            `size: ${product.size ?? 'unknown'}`,
            ...Object.entries(product.metafields).map(([key, value]) => `${key}: ${value}`),
          ].join('\n'),
        },
        { label: 'current description', text: product.descriptionHtml },
        { label: 'current Amazon bullets', text: (copy?.bullets ?? []).join('\n') },
        ...(skuTriggers.length === 0 ? [] : [{ label: 'why now', text: skuTriggers.map((trigger) => trigger.reason).join('\n') }]),
      ],
      schema: copySchema,
      maxTokens: 1500,
      offline: () => templateCopy(product, copy),
    });
    const draft: PublishProductCopyDraft = {
      sku,
      reasons: [...skuGaps.map((gap) => `${gap.kind}: ${gap.detail}`), ...skuTriggers.map((trigger) => `trigger: ${trigger.reason}`)],
      description_html: answer.value.description_html,
      ...(listing === undefined ? {} : { amazon: { asin: listing.asin, product_type: listing.productType, bullets: answer.value.bullets } }),
    };
    const { approval } = await context.approvals.request({
      action: publishProductCopy,
      title: labelDraft(`Publish new copy for ${sku} ${product.title}${listing === undefined ? '' : ' (Shopify + Amazon)'}`, answer),
      draft,
      requestKey,
    });
    approvalIds.push(approval.id);
  }
  const outcome = await reportFindings(context, {
    findings: gaps.map((gap) => [gap.sku, gap.kind, gap.detail]),
    noun: 'copy gap',
    message: () => ({
      kind: 'report',
      severity: 'info',
      title: `Product copy: ${plural(new Set(gaps.map((gap) => gap.sku)).size, 'SKU')} with gaps; drafts for ${chosen.join(', ') || 'none'} today`,
      text: [
        ...gaps.map(
          (gap) =>
            `• ${gap.sku} ${gap.kind}: ${gap.detail}${DRAFTABLE.has(gap.kind) ? '' : ' — needs the real fact from the packaging or formula (not drafted)'}`,
        ),
        ...(triggers.length === 0 ? [] : ['', `Queued first: ${triggers.map((trigger) => `${trigger.sku} (${trigger.reason})`).join('; ')}`]),
      ].join('\n'),
    }),
    nothingLine: `All ${products.length} products have full descriptions, five Amazon bullets, their category's regulated facts and matching sizes.`,
  });
  return { outcome, gaps, chosen, approvalIds, modelCalls };
}

/** contentbot's product-copy-gaps: weekdays 10:00 (fleet time zone). */
export const productCopyGaps = defineJob({
  id: 'product-copy-gaps',
  schedule: '0 10 * * 1-5',
  description: 'Thin descriptions, < 5 Amazon bullets, missing regulated facts, Shopify/Amazon size mismatches → ≤ 3 drafts a day, publish_product_copy',
  timeoutMs: 600_000,
  // A daily work list: a missed morning catches up once.
  missed: 'once',
  settings: productCopyGapsSettings,
  async run(context) {
    const { outcome, chosen, approvalIds, modelCalls } = await runProductCopyGaps(context, context.config);
    return jobOutcome(`${outcome.outcome}; ${plural(approvalIds.length, 'copy draft')} open${modelCalls === 0 ? ', model not called' : ''}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, chosen, approvalIds, modelCalls },
    });
  },
});
