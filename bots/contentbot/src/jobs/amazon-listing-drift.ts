import { defineJob, envNumber, envSettings, fingerprintOf, jobOutcome, reportFindings } from '@jbot/core';
import type { BotContext, JobRunInfo, SettingsOf } from '@jbot/core';
import type { AmazonListing, CatalogPage } from '@jbot/connectors';
import { patchListing, type PatchListingDraft } from '../actions/patch-listing.js';
import { plural } from '../company-day.js';
import { readMasterCopy, type MasterCopy } from '../master-copy.js';

/** The job's settings: a price differing by more than this share from the master counts as drift. */
export const amazonListingDriftSettings = envSettings({
  AMAZON_DRIFT_PRICE_TOLERANCE: envNumber(0.01, 0),
});

/** The parsed settings. */
export type AmazonListingDriftConfig = SettingsOf<typeof amazonListingDriftSettings>;

/** A field of a detail page that can drift from our master copy. */
export type DriftField = 'title' | 'bullets' | 'brand' | 'main_image' | 'price';

/** One field of one ASIN that no longer says what we approved. */
export interface DriftFinding {
  sku: string;
  asin: string;
  field: DriftField;
  ours: string;
  live: string;
  /** Who supplied the live value when the source says ('amazon', a seller id). */
  contributor: string | null;
}

/** A field's text for comparison: case, spacing and typographic quotes are not changes anyone made on purpose. */
export function normalise(text: string): string {
  return text.normalize('NFKC').replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The diff, pure: title, bullets, brand, main image and price of each live page against the master. */
export function findDrift(
  master: ReadonlyMap<string, MasterCopy>,
  pages: readonly CatalogPage[],
  listings: readonly AmazonListing[],
  config: AmazonListingDriftConfig,
): DriftFinding[] {
  const findings: DriftFinding[] = [];
  const listingOf = new Map(listings.map((listing) => [listing.asin, listing]));
  for (const page of pages) {
    const listing = listingOf.get(page.asin);
    const copy = listing === undefined ? undefined : master.get(listing.sku);
    if (listing === undefined || copy === undefined) continue;
    const add = (field: DriftField, ours: string, live: string) =>
      findings.push({ sku: copy.sku, asin: page.asin, field, ours, live, contributor: page.contributors[field] ?? null });
    if (normalise(page.title) !== normalise(copy.title) && !listingTitleIsPolicyFix(page.title, copy.title)) add('title', copy.title, page.title);
    const liveBullets = page.bullets.map(normalise).join('\n');
    if (liveBullets !== copy.bullets.map(normalise).join('\n')) add('bullets', copy.bullets.join('\n'), page.bullets.join('\n'));
    if (normalise(page.brand) !== normalise(copy.brand)) add('brand', copy.brand, page.brand);
    // A page with no main image at all is a suppression (amazon-listing-health), not a replaced image.
    if (page.mainImage !== null && page.mainImage !== copy.mainImage) add('main_image', copy.mainImage, page.mainImage);
    if (listing.price !== null && Math.abs(listing.price - copy.price) > copy.price * config.AMAZON_DRIFT_PRICE_TOLERANCE)
      add('price', copy.price.toFixed(2), listing.price.toFixed(2));
  }
  return findings.sort((left, right) => left.sku.localeCompare(right.sku) || left.field.localeCompare(right.field));
}

// Our master title breaking Amazon's title policy is amazon-listing-health's finding; the live page
// keeping the policy-clean title is not drift.
function listingTitleIsPolicyFix(live: string, ours: string): boolean {
  return /[!$?_{}^¬¦]/.test(ours) && !/[!$?_{}^¬¦]/.test(live);
}

// The patch that puts a drifted field back to the master.
function revertPatch(finding: DriftFinding, copy: MasterCopy, marketplaceId: string): PatchListingDraft['patches'][number] | null {
  const text = (value: string) => [{ value, language_tag: 'en_US', marketplace_id: marketplaceId }];
  switch (finding.field) {
    case 'title':
      return { op: 'replace', path: '/attributes/item_name', value: text(copy.title) };
    case 'bullets':
      return {
        op: 'replace',
        path: '/attributes/bullet_point',
        value: copy.bullets.map((bullet) => ({ value: bullet, language_tag: 'en_US', marketplace_id: marketplaceId })),
      };
    case 'brand':
      return { op: 'replace', path: '/attributes/brand', value: text(copy.brand) };
    case 'main_image':
      return { op: 'replace', path: '/attributes/main_product_image_locator', value: [{ media_location: copy.mainImage, marketplace_id: marketplaceId }] };
    case 'price':
      return {
        op: 'replace',
        path: '/attributes/purchasable_offer',
        value: [{ marketplace_id: marketplaceId, currency: 'USD', our_price: [{ schedule: [{ value_with_tax: copy.price }] }] }],
      };
  }
}

const short = (text: string) => (text.length > 90 ? `${text.slice(0, 87)}…` : text).replace(/\n/g, ' / ');

/**
 * Run amazon-listing-drift once: diff every live page against the master, post the diff on
 * change, ask one patch_listing (revert) per drifted SKU, and note it for the digest — a warning
 * when a brand or main image changed.
 */
export async function runAmazonListingDrift(context: BotContext & JobRunInfo, config: AmazonListingDriftConfig) {
  const { marketplace } = context.connectors;
  const [listings, master] = await Promise.all([marketplace.listListings(), readMasterCopy(context.db)]);
  const pages = await marketplace.getCatalogPages(listings.filter((listing) => master.has(listing.sku)).map((listing) => listing.asin));
  const findings = findDrift(master, pages, listings, config);
  const bySku = new Map<string, DriftFinding[]>();
  for (const finding of findings) bySku.set(finding.sku, [...(bySku.get(finding.sku) ?? []), finding]);
  const approvalIds: string[] = [];
  for (const [sku, drifted] of bySku) {
    const copy = master.get(sku);
    const listing = listings.find((item) => item.sku === sku);
    if (copy === undefined || listing === undefined) continue;
    const patches = drifted.flatMap((finding) => revertPatch(finding, copy, 'ATVPDKIKX0DER') ?? []);
    const { approval } = await context.approvals.request({
      action: patchListing,
      title: `Revert Amazon detail page ${sku} to our copy (${drifted.map((finding) => finding.field).join(', ')})`,
      draft: {
        sku,
        asin: listing.asin,
        product_type: listing.productType,
        reasons: drifted.map(
          (finding) =>
            `${finding.field} changed${finding.contributor === null ? '' : ` by ${finding.contributor}`}: "${short(finding.live)}" (ours: "${short(finding.ours)}")`,
        ),
        patches,
      },
      requestKey: `listing-drift:${sku}:${fingerprintOf(drifted.map((finding) => [finding.field, finding.live]))}`,
    });
    approvalIds.push(approval.id);
  }
  const serious = findings.filter((finding) => finding.field === 'brand' || finding.field === 'main_image');
  if (findings.length > 0)
    await context.signals.emit(
      'bot_note',
      {
        text: `${plural(bySku.size, 'Amazon detail page')} drifted from our copy (${findings.map((finding) => `${finding.sku} ${finding.field}`).join(', ')}); revert asked`,
        detail: {
          kind: 'amazon_listing_drift',
          drifts: findings.map((finding) => ({ sku: finding.sku, asin: finding.asin, field: finding.field, contributor: finding.contributor })),
          approval_ids: approvalIds,
        },
      },
      {
        severity: serious.length > 0 ? 'warning' : 'info',
        dedupeKey: `amazon_listing_drift:${fingerprintOf(findings.map((finding) => [finding.sku, finding.field, finding.live]))}`,
        dedupeWindowMs: 86_400_000,
      },
    );
  const outcome = await reportFindings(context, {
    findings: findings.map((finding) => [finding.sku, finding.field, finding.live]),
    noun: 'drifted field',
    message: () => ({
      kind: 'report',
      severity: serious.length > 0 ? 'warning' : 'info',
      title: `Amazon listing drift: ${plural(bySku.size, 'page')} changed without us`,
      text: findings
        .map(
          (finding) =>
            `• ${finding.sku} ${finding.field}${finding.contributor === null ? '' : ` (by ${finding.contributor})`}\n   − ours: ${short(finding.ours)}\n   + live: ${short(finding.live)}`,
        )
        .join('\n'),
    }),
    nothingLine: `All ${pages.length} detail pages match our approved copy (title, bullets, brand, main image, price).`,
  });
  return { outcome, approvalIds, findings };
}

/** contentbot's amazon-listing-drift: daily 05:30 (fleet time zone). */
export const amazonListingDrift = defineJob({
  id: 'amazon-listing-drift',
  schedule: '30 5 * * *',
  description: 'Live Amazon detail pages (title, bullets, brand, main image, price) vs our master copy → diff, patch_listing revert',
  timeoutMs: 600_000,
  // A daily check: a missed morning catches up once.
  missed: 'once',
  settings: amazonListingDriftSettings,
  async run(context) {
    const { outcome, approvalIds } = await runAmazonListingDrift(context, context.config);
    return jobOutcome(`${outcome.outcome}${approvalIds.length === 0 ? '' : `; ${plural(approvalIds.length, 'revert')} asked`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvalIds },
    });
  },
});
