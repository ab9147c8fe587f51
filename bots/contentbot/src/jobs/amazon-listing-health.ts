import { z } from 'zod';
import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, reportFindings } from '@jbot/core';
import type { BotContext, JobRunInfo, SettingsOf } from '@jbot/core';
import type { AmazonListing } from '@jbot/connectors';
import { patchListing, type PatchListingDraft } from '../actions/patch-listing.js';
import { plural } from '../company-day.js';
import { readMasterCopy, type MasterCopy } from '../master-copy.js';
import { draftWithModel, labelDraft } from '../model-draft.js';
import { amazonListingSuppressed } from '../signals.js';

/** The job's settings: Amazon's title rules (catalogue defaults) and the units that make a listing "selling". */
export const amazonListingHealthSettings = envSettings({
  AMAZON_TITLE_MAX_CHARS: envInteger(200, 20, 500),
  AMAZON_TITLE_MAX_WORD_REPEATS: envInteger(2, 1, 10),
  AMAZON_LISTING_MIN_UNITS_30D: envInteger(1, 0, 1_000_000),
});

/** The parsed settings. */
export type AmazonListingHealthConfig = SettingsOf<typeof amazonListingHealthSettings>;

// Enforcements that take a listing (or part of it) off sale or out of search.
const SUPPRESSING = new Set(['LISTING_SUPPRESSED', 'SEARCH_SUPPRESSED', 'ATTRIBUTE_SUPPRESSED', 'CATALOG_ITEM_REMOVED']);
const OFF_SALE = new Set(['LISTING_SUPPRESSED', 'SEARCH_SUPPRESSED', 'CATALOG_ITEM_REMOVED']);
// Amazon's title policy: none of these characters.
const FORBIDDEN_TITLE_CHARACTERS = ['!', '$', '?', '_', '{', '}', '^', '¬', '¦'];
// Words Amazon's "no word more than twice" rule does not count.
const UNCOUNTED_WORDS = new Set(['a', 'an', 'and', 'or', 'for', 'the', 'with', 'of', 'in', 'on', 'to', 'by', '&', '-', '—']);

/** One listing problem: a line of the report and, with a fix, part of a patch_listing approval. */
export interface ListingProblem {
  sku: string;
  asin: string;
  kind: 'not_selling' | 'issue' | 'title';
  code: string;
  detail: string;
  enforcement: string | null;
  /** The attribute a fix would set (issue attributes; item_name for titles). */
  attributes: string[];
  /** True when the listing is off sale or out of search (an amazon_listing_suppressed alert). */
  offSale: boolean;
}

/** The title rules on our master copy: each broken rule, in words. */
export function titleProblems(title: string, config: AmazonListingHealthConfig): string[] {
  const problems: string[] = [];
  if (title.length > config.AMAZON_TITLE_MAX_CHARS) problems.push(`${title.length} characters (max ${config.AMAZON_TITLE_MAX_CHARS})`);
  const forbidden = FORBIDDEN_TITLE_CHARACTERS.filter((character) => title.includes(character));
  if (forbidden.length > 0) problems.push(`contains ${forbidden.map((character) => `"${character}"`).join(' ')}`);
  const counts = new Map<string, number>();
  for (const word of title.toLowerCase().split(/[\s,/()]+/)) {
    const clean = word.replace(/[^\p{L}\p{N}&-]/gu, '');
    if (clean.length < 2 || UNCOUNTED_WORDS.has(clean)) continue;
    counts.set(clean, (counts.get(clean) ?? 0) + 1);
  }
  const repeated = [...counts].filter(([, count]) => count > config.AMAZON_TITLE_MAX_WORD_REPEATS).map(([word]) => word);
  if (repeated.length > 0) problems.push(`repeats ${repeated.map((word) => `"${word}"`).join(', ')} more than ${config.AMAZON_TITLE_MAX_WORD_REPEATS}×`);
  return problems;
}

/**
 * The rules, pure: a listing with sales that is not BUYABLE and DISCOVERABLE; an issue whose
 * enforcement suppresses the listing, its search or an attribute; a master title Amazon's title
 * policy rejects. Ordered off-sale first, then by SKU.
 */
export function findListingProblems(
  listings: readonly AmazonListing[],
  master: ReadonlyMap<string, MasterCopy>,
  config: AmazonListingHealthConfig,
): ListingProblem[] {
  const problems: ListingProblem[] = [];
  for (const listing of listings) {
    const selling = listing.unitsSold30d === null || listing.unitsSold30d >= config.AMAZON_LISTING_MIN_UNITS_30D;
    const missing = ['BUYABLE', 'DISCOVERABLE'].filter((status) => !listing.statuses.includes(status));
    if (selling && missing.length > 0) {
      problems.push({
        sku: listing.sku,
        asin: listing.asin,
        kind: 'not_selling',
        code: `not_${missing.join('_').toLowerCase()}`,
        detail: `not ${missing.join(' or ').toLowerCase()} (sold ${listing.unitsSold30d ?? 'unknown'} in 30 days)`,
        enforcement: null,
        attributes: [],
        offSale: true,
      });
    }
    for (const issue of listing.issues) {
      const enforcement = issue.enforcements.find((action) => SUPPRESSING.has(action)) ?? null;
      if (enforcement === null && issue.severity !== 'ERROR') continue;
      problems.push({
        sku: listing.sku,
        asin: listing.asin,
        kind: 'issue',
        code: issue.code,
        detail: `${issue.message}${enforcement === null ? '' : ` [${enforcement}]`}`,
        enforcement,
        attributes: issue.attributeNames,
        offSale: enforcement !== null && OFF_SALE.has(enforcement),
      });
    }
    const copy = master.get(listing.sku);
    const broken = copy === undefined ? [] : titleProblems(copy.title, config);
    if (broken.length > 0)
      problems.push({
        sku: listing.sku,
        asin: listing.asin,
        kind: 'title',
        code: 'title_policy',
        detail: `master title ${broken.join('; ')}`,
        enforcement: null,
        attributes: ['item_name'],
        offSale: false,
      });
  }
  return problems.sort(
    (left, right) => Number(right.offSale) - Number(left.offSale) || left.sku.localeCompare(right.sku) || left.code.localeCompare(right.code),
  );
}

/** What the model proposes: text for the failing attributes only. */
const fixTextSchema = z.object({
  fixes: z.array(z.object({ sku: z.string(), attribute: z.string(), value: z.string().min(1).max(500) })),
});

const SYSTEM = [
  'You fix Amazon listing attributes for a small consumer-goods company (granola, natural skincare, soy candles, coffee).',
  'For each failing attribute you are given, write only the value for that attribute: factual, plain, no claims the product facts do not support.',
  'Titles: at most 200 characters, none of ! $ ? _ { } ^ ¬ ¦, no word more than twice, brand first.',
  'Return JSON only: {"fixes": [{"sku": string, "attribute": string, "value": string}]}.',
].join(' ');

// Attributes filled from our own master copy, never written by a model.
function masterValue(attribute: string, copy: MasterCopy | undefined, marketplaceId: string): unknown[] | null {
  if (copy === undefined) return null;
  if (attribute === 'main_product_image_locator') return [{ media_location: copy.mainImage, marketplace_id: marketplaceId }];
  return null;
}

/** The offline fix: a title cleaned by rule, a safety or other attribute from the category's standard text. */
export function templateFix(sku: string, attribute: string, copy: MasterCopy | undefined, config: AmazonListingHealthConfig): string {
  if (attribute === 'item_name') {
    const cleaned = (copy?.title ?? sku)
      .replace(/[!$?_{}^¬¦]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    const seen = new Map<string, number>();
    const words = cleaned.split(' ').filter((word) => {
      const key = word.toLowerCase();
      if (UNCOUNTED_WORDS.has(key) || key.length < 2) return true;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      return (seen.get(key) ?? 0) <= config.AMAZON_TITLE_MAX_WORD_REPEATS;
    });
    return words.join(' ').slice(0, config.AMAZON_TITLE_MAX_CHARS);
  }
  if (attribute === 'safety_warning')
    return 'For external use only. Avoid contact with eyes. Stop use and ask a doctor if rash occurs. Keep out of reach of children.';
  return `${copy?.title ?? sku}: see product page for ${attribute.replace(/_/g, ' ')}`;
}

/** What a run returns. */
export interface ListingHealthResult {
  problems: ListingProblem[];
  approvalIds: string[];
  modelCalled: boolean;
}

/**
 * Run amazon-listing-health once: find the problems, signal each off-sale listing, post on change,
 * and ask one patch_listing per fixable SKU. Fix text comes from the master copy where it can
 * (the main image) and from the model (fast) for the rest — only when the failing set changed.
 */
export async function runAmazonListingHealth(context: BotContext & JobRunInfo, config: AmazonListingHealthConfig) {
  const { marketplace } = context.connectors;
  const [listings, master] = await Promise.all([marketplace.listListings(), readMasterCopy(context.db)]);
  const problems = findListingProblems(listings, master, config);
  const bySku = new Map<string, ListingProblem[]>();
  for (const problem of problems) bySku.set(problem.sku, [...(bySku.get(problem.sku) ?? []), problem]);

  // Fixable: an attribute to set. A listing off sale with no attribute named waits for a person.
  const fixable = [...bySku].filter(([, found]) => found.some((problem) => problem.attributes.length > 0));
  const requestKeyOf = (sku: string, found: ListingProblem[]) =>
    `listing-health:${sku}:${fingerprintOf(found.map((problem) => [problem.code, problem.attributes]))}`;
  const pending: Array<[string, ListingProblem[]]> = [];
  const approvalIds = new Map<string, string>();
  for (const [sku, found] of fixable) {
    const existing = await context.approvals.findByRequestKey(requestKeyOf(sku, found));
    if (existing === null) pending.push([sku, found]);
    else approvalIds.set(sku, existing.id);
  }
  const modelAttributes = pending.flatMap(([sku, found]) =>
    found.flatMap((problem) =>
      problem.attributes.filter((attribute) => masterValue(attribute, master.get(sku), 'x') === null).map((attribute) => ({ sku, attribute, problem })),
    ),
  );
  const modelInput = modelAttributes.map((item) => ({
    sku: item.sku,
    attribute: item.attribute,
    detail: item.problem.detail,
    title: master.get(item.sku)?.title ?? null,
  }));
  let modelCalled = false;
  const drafted = new Map<string, { value: string; offline: boolean; fallback: boolean }>();
  if (modelInput.length > 0) {
    // ⟳: only SKUs with no approval under their failing set's key get here, so an unchanged set makes no call.
    modelCalled = true;
    const facts = modelInput
      .map(
        (item) =>
          `sku ${item.sku}: attribute ${item.attribute}; problem: ${item.detail}; master title: ${item.title ?? 'none'}; brand: ${master.get(item.sku)?.brand ?? '?'}`,
      )
      .join('\n');
    const answer = await draftWithModel(context, {
      tier: 'fast',
      system: SYSTEM,
      prompt: 'Propose the value for each failing attribute below.',
      // Amazon's issue messages and our own copy are outside text to the model: fenced as data.
      data: [{ label: 'failing listing attributes', text: facts }],
      schema: fixTextSchema,
      maxTokens: 800,
      offline: () => ({
        fixes: modelInput.map((item) => ({
          sku: item.sku,
          attribute: item.attribute,
          value: templateFix(item.sku, item.attribute, master.get(item.sku), config),
        })),
      }),
    });
    for (const fix of answer.value.fixes) drafted.set(`${fix.sku}:${fix.attribute}`, { value: fix.value, offline: answer.offline, fallback: answer.fallback });
  }

  for (const [sku, found] of pending) {
    const listing = listings.find((item) => item.sku === sku);
    const copy = master.get(sku);
    if (listing === undefined) continue;
    const attributes = [...new Set(found.flatMap((problem) => problem.attributes))];
    const patches: PatchListingDraft['patches'] = attributes.map((attribute) => {
      const fromMaster = masterValue(attribute, copy, 'ATVPDKIKX0DER');
      if (fromMaster !== null) return { op: 'replace' as const, path: `/attributes/${attribute}`, value: fromMaster };
      const text = drafted.get(`${sku}:${attribute}`) ?? { value: templateFix(sku, attribute, copy, config), offline: true, fallback: false };
      return {
        op: 'replace' as const,
        path: `/attributes/${attribute}`,
        value: [{ value: text.value, language_tag: 'en_US', marketplace_id: 'ATVPDKIKX0DER' }],
      };
    });
    const offline = attributes.some((attribute) => drafted.get(`${sku}:${attribute}`)?.offline === true);
    const fallback = attributes.some((attribute) => drafted.get(`${sku}:${attribute}`)?.fallback === true);
    const { approval } = await context.approvals.request({
      action: patchListing,
      title: labelDraft(`Patch Amazon listing ${sku} (${attributes.join(', ')})`, { offline, fallback }),
      draft: { sku, asin: listing.asin, product_type: listing.productType, reasons: found.map((problem) => `${problem.code}: ${problem.detail}`), patches },
      requestKey: requestKeyOf(sku, found),
    });
    approvalIds.set(sku, approval.id);
  }

  for (const [sku, found] of bySku) {
    const offSale = found.filter((problem) => problem.offSale);
    if (offSale.length === 0) continue;
    await context.signals.emit(
      amazonListingSuppressed.type,
      {
        asin: offSale[0]?.asin ?? '',
        sku,
        issues: offSale.map((problem) => ({
          code: problem.code,
          message: problem.detail,
          severity: problem.kind === 'issue' ? 'ERROR' : 'STATUS',
          enforcement: problem.enforcement,
        })),
        statuses: listings.find((listing) => listing.sku === sku)?.statuses ?? [],
        approval_id: approvalIds.get(sku) ?? null,
      },
      { severity: 'alert', dedupeKey: `amazon_listing_suppressed:${sku}:${fingerprintOf(offSale.map((problem) => problem.code))}`, dedupeWindowMs: 86_400_000 },
    );
  }

  const outcome = await reportFindings(context, {
    findings: problems.map((problem) => [problem.sku, problem.code, problem.offSale]),
    noun: 'listing problem',
    message: () => ({
      kind: 'report',
      severity: problems.some((problem) => problem.offSale) ? 'alert' : 'warning',
      title: `Amazon listing health: ${plural(bySku.size, 'listing')} need attention`,
      text: [
        ...problems.map(
          (problem) =>
            `• ${problem.offSale ? '**off sale** ' : ''}${problem.sku} (${problem.asin}) ${problem.code}: ${problem.detail}${approvalIds.has(problem.sku) ? ' — fix asked (patch_listing)' : ''}`,
        ),
      ].join('\n'),
    }),
    nothingLine: `All ${listings.length} Amazon listings are buyable and discoverable, with no suppressing issues and titles within policy.`,
  });
  return { outcome, result: { problems, approvalIds: [...approvalIds.values()], modelCalled } satisfies ListingHealthResult };
}

/** contentbot's amazon-listing-health: every 2 hours 06:00–22:00 (fleet time zone). */
export const amazonListingHealth = defineJob({
  id: 'amazon-listing-health',
  schedule: '0 6-22/2 * * *',
  description: 'Amazon listings with sales not buyable/discoverable, suppressing issues, master titles off policy → amazon_listing_suppressed, patch_listing',
  timeoutMs: 300_000,
  // Every two hours: a missed tick is covered by the next.
  overlap: 'skip',
  missed: 'skip',
  settings: amazonListingHealthSettings,
  async run(context) {
    const { outcome, result } = await runAmazonListingHealth(context, context.config);
    return jobOutcome(
      `${outcome.outcome}${result.approvalIds.length === 0 ? '' : `; ${plural(result.approvalIds.length, 'patch_listing')} open`}${result.modelCalled ? '' : '; model not called'}`,
      {
        ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
        detail: { ...outcome.detail, approvalIds: result.approvalIds, problems: result.problems.map((problem) => `${problem.sku} ${problem.code}`) },
      },
    );
  },
});
