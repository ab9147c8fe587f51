import { z } from 'zod';
import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, reportFindings } from '@jbot/core';
import type { BotContext, JobRunInfo, SettingsOf } from '@jbot/core';
import type { CrawledPage, IndexStatus } from '@jbot/connectors';
import { updateProductSeo, type UpdateProductSeoDraft } from '../actions/update-product-seo.js';
import { plural } from '../company-day.js';
import { draftWithModel, labelDraft } from '../model-draft.js';

/** The job's settings (catalogue defaults). */
export const siteCrawlAuditSettings = envSettings({
  SITE_CRAWL_MAX_PAGES: envInteger(2000, 1, 100_000),
  SITE_TITLE_MAX_CHARS: envInteger(60, 10, 300),
  SITE_DESCRIPTION_MAX_CHARS: envInteger(160, 20, 1000),
  SITE_INSPECT_MAX_URLS: envInteger(200, 0, 2000),
  SITE_SEO_REWRITES_PER_NIGHT: envInteger(10, 0, 100),
});

/** The parsed settings. */
export type SiteCrawlAuditConfig = SettingsOf<typeof siteCrawlAuditSettings>;

/** What is wrong on a page. */
export type SiteDefectKind =
  | 'broken_link'
  | 'redirect_chain'
  | 'title_missing'
  | 'title_duplicate'
  | 'title_too_long'
  | 'description_missing'
  | 'description_too_long'
  | 'image_alt_missing'
  | 'product_schema_incomplete'
  | 'not_indexed'
  | 'canonical_mismatch';

/** One defect on one page: a line of the fix list. */
export interface SiteDefect {
  url: string;
  kind: SiteDefectKind;
  detail: string;
}

// Defects a SEO-field update fixes (the rest need a developer or a redirect).
const FIXABLE: ReadonlySet<SiteDefectKind> = new Set([
  'title_missing',
  'title_duplicate',
  'title_too_long',
  'description_missing',
  'description_too_long',
  'image_alt_missing',
]);

const isProductPage = (page: CrawledPage) => page.productSku !== null || page.url.startsWith('/products/');

function productSchemaGaps(page: CrawledPage): string[] {
  const product = page.jsonLd.find((block) => (block as { '@type'?: unknown })['@type'] === 'Product') as { offers?: unknown } | undefined;
  if (product === undefined) return ['no Product JSON-LD'];
  const offers = (Array.isArray(product.offers) ? product.offers[0] : product.offers) as { price?: unknown; availability?: unknown } | undefined;
  const gaps: string[] = [];
  if (offers?.price === undefined) gaps.push('offers.price');
  if (offers?.availability === undefined) gaps.push('offers.availability');
  return gaps;
}

/** The rules, pure, over one crawl and the URL inspections made for it. */
export function findSiteDefects(pages: readonly CrawledPage[], inspections: readonly IndexStatus[], config: SiteCrawlAuditConfig): SiteDefect[] {
  const defects: SiteDefect[] = [];
  const titles = new Map<string, string[]>();
  for (const page of pages)
    if (page.status === 200 && page.title !== null) titles.set(page.title.toLowerCase(), [...(titles.get(page.title.toLowerCase()) ?? []), page.url]);
  for (const page of pages) {
    const add = (kind: SiteDefectKind, detail: string) => defects.push({ url: page.url, kind, detail });
    if (page.status !== 200) continue;
    for (const link of page.links) {
      if (link.status >= 400 || link.status === 0) add('broken_link', `links to ${link.href} (${link.status === 0 ? 'no answer' : `HTTP ${link.status}`})`);
      else if (link.redirects > 1) add('redirect_chain', `links to ${link.href} through ${link.redirects} redirects`);
    }
    if (page.title === null) add('title_missing', 'no <title>');
    else {
      const same = titles.get(page.title.toLowerCase()) ?? [];
      if (same.length > 1) add('title_duplicate', `title "${page.title}" also on ${same.filter((url) => url !== page.url).join(', ')}`);
      if (page.title.length > config.SITE_TITLE_MAX_CHARS)
        add('title_too_long', `title is ${page.title.length} characters (max ${config.SITE_TITLE_MAX_CHARS})`);
    }
    if (page.metaDescription === null) add('description_missing', 'no meta description');
    else if (page.metaDescription.length > config.SITE_DESCRIPTION_MAX_CHARS)
      add('description_too_long', `meta description is ${page.metaDescription.length} characters (max ${config.SITE_DESCRIPTION_MAX_CHARS})`);
    if (isProductPage(page)) {
      const bare = page.images.filter((image) => image.alt === null || image.alt.trim() === '');
      if (bare.length > 0) add('image_alt_missing', `${plural(bare.length, 'image')} without alt text (${bare.map((image) => image.src).join(', ')})`);
      const gaps = productSchemaGaps(page);
      if (gaps.length > 0) add('product_schema_incomplete', `Product structured data lacks ${gaps.join(', ')}`);
    }
  }
  for (const inspection of inspections) {
    if (!inspection.indexed) defects.push({ url: inspection.url, kind: 'not_indexed', detail: 'not indexed by Google' });
    else if (inspection.googleCanonical !== null && inspection.googleCanonical !== inspection.url)
      defects.push({ url: inspection.url, kind: 'canonical_mismatch', detail: `Google chose ${inspection.googleCanonical} as canonical` });
  }
  return defects.sort((left, right) => left.kind.localeCompare(right.kind) || left.url.localeCompare(right.url));
}

/** Which pages URL Inspection looks at tonight: changed most recently first, at most the daily quota. */
export function pagesToInspect(pages: readonly CrawledPage[], limit: number): string[] {
  return [...pages]
    .filter((page) => page.status === 200)
    .sort((left, right) => (right.updatedAt ?? '').localeCompare(left.updatedAt ?? '') || left.url.localeCompare(right.url))
    .slice(0, limit)
    .map((page) => page.url);
}

const rewriteSchema = z.object({
  pages: z.array(
    z.object({
      url: z.string(),
      title: z.string().min(1).max(70).optional(),
      description: z.string().min(1).max(170).optional(),
      image_alts: z.record(z.string(), z.string().min(1).max(200)).optional(),
    }),
  ),
});

const SYSTEM = [
  'You write SEO fields for pages of a small Portland consumer-goods store (granola, natural skincare, soy candles, coffee).',
  'For each page, write only the fields asked for: a unique title of at most 60 characters ending in "| Harbor & Pine", a meta description of 120–155 characters, and short literal alt text for each image.',
  'No claims beyond what the page says. Return JSON only: {"pages": [{"url": string, "title"?: string, "description"?: string, "image_alts"?: {src: alt}}]}.',
].join(' ');

/** The offline rewrite: fields built from the page's own heading. */
export function templateRewrite(
  page: CrawledPage,
  kinds: ReadonlySet<SiteDefectKind>,
  config: SiteCrawlAuditConfig,
): z.infer<typeof rewriteSchema>['pages'][number] {
  const subject = page.h1 ?? page.url.split('/').pop() ?? 'Harbor & Pine';
  const suffix = page.productSku === null ? '' : ` (${page.productSku})`;
  const title = `${subject}${suffix}`.slice(0, config.SITE_TITLE_MAX_CHARS - 16) + ' | Harbor & Pine';
  const description = `${subject} from Harbor & Pine Goods Co.: small-batch goods made in Portland, Oregon, shipped plastic-free.`.slice(
    0,
    config.SITE_DESCRIPTION_MAX_CHARS,
  );
  const alts = Object.fromEntries(page.images.filter((image) => (image.alt ?? '').trim() === '').map((image) => [image.src, subject]));
  return {
    url: page.url,
    ...(kinds.has('title_missing') || kinds.has('title_duplicate') || kinds.has('title_too_long') ? { title } : {}),
    ...(kinds.has('description_missing') || kinds.has('description_too_long') ? { description } : {}),
    ...(kinds.has('image_alt_missing') ? { image_alts: alts } : {}),
  };
}

/**
 * Run site-crawl-audit once: crawl the store, inspect the most recently changed pages, post the
 * fix list on change, and ask update_product_seo for up to the nightly number of fixable pages,
 * rewritten by the model (fast) only when that set has no approval yet.
 */
export async function runSiteCrawlAudit(context: BotContext & JobRunInfo, config: SiteCrawlAuditConfig) {
  const { site, search } = context.connectors;
  const pages = await site.crawl({ maxPages: config.SITE_CRAWL_MAX_PAGES });
  const inspections = config.SITE_INSPECT_MAX_URLS === 0 ? [] : await search.inspectUrls(pagesToInspect(pages, config.SITE_INSPECT_MAX_URLS));
  const defects = findSiteDefects(pages, inspections, config);

  const fixableByUrl = new Map<string, Set<SiteDefectKind>>();
  for (const defect of defects) if (FIXABLE.has(defect.kind)) fixableByUrl.set(defect.url, (fixableByUrl.get(defect.url) ?? new Set()).add(defect.kind));
  // Product pages first (they sell), then the rest, in URL order.
  const tonight = [...fixableByUrl.keys()]
    .sort((left, right) => Number(right.startsWith('/products/')) - Number(left.startsWith('/products/')) || left.localeCompare(right))
    .slice(0, config.SITE_SEO_REWRITES_PER_NIGHT);
  let approvalId: string | null = null;
  let modelCalled = false;
  if (tonight.length > 0) {
    const requestKey = `site-crawl-audit:${fingerprintOf(tonight.map((url) => [url, [...(fixableByUrl.get(url) ?? [])].sort()]))}`;
    const existing = await context.approvals.findByRequestKey(requestKey);
    if (existing !== null) approvalId = existing.id;
    else {
      const subjects = tonight.flatMap((url) => pages.filter((page) => page.url === url));
      modelCalled = true;
      const answer = await draftWithModel(context, {
        tier: 'fast',
        system: SYSTEM,
        prompt: 'Write the missing or broken SEO fields for each page below.',
        // The pages' own text came off the web: fenced as data.
        data: subjects.map((page) => ({
          label: `page ${page.url}`,
          text: [
            `fix: ${[...(fixableByUrl.get(page.url) ?? [])].join(', ')}`,
            `h1: ${page.h1 ?? ''}`,
            `current title: ${page.title ?? ''}`,
            `current description: ${page.metaDescription ?? ''}`,
            `images without alt: ${page.images
              .filter((image) => (image.alt ?? '').trim() === '')
              .map((image) => image.src)
              .join(', ')}`,
          ].join('\n'),
        })),
        schema: rewriteSchema,
        maxTokens: 1500,
        offline: () => ({ pages: subjects.map((page) => templateRewrite(page, fixableByUrl.get(page.url) ?? new Set(), config)) }),
      });
      const draft: UpdateProductSeoDraft = {
        pages: answer.value.pages
          .filter((page) => fixableByUrl.has(page.url))
          .map((page) => ({
            url: page.url,
            reasons: defects.filter((defect) => defect.url === page.url && FIXABLE.has(defect.kind)).map((defect) => `${defect.kind}: ${defect.detail}`),
            ...(page.title === undefined ? {} : { title: page.title }),
            ...(page.description === undefined ? {} : { description: page.description }),
            ...(page.image_alts === undefined ? {} : { image_alts: page.image_alts }),
          })),
      };
      if (draft.pages.length > 0) {
        const { approval } = await context.approvals.request({
          action: updateProductSeo,
          title: labelDraft(`Update SEO fields on ${plural(draft.pages.length, 'page')}`, answer),
          draft,
          requestKey,
        });
        approvalId = approval.id;
      }
    }
  }
  const counts = new Map<SiteDefectKind, number>();
  for (const defect of defects) counts.set(defect.kind, (counts.get(defect.kind) ?? 0) + 1);
  const outcome = await reportFindings(context, {
    findings: defects.map((defect) => [defect.url, defect.kind]),
    noun: 'site defect',
    message: () => ({
      kind: 'report',
      severity: 'info',
      title: `Site audit: ${plural(defects.length, 'defect')} on ${plural(new Set(defects.map((defect) => defect.url)).size, 'page')} (${pages.length} crawled)`,
      text: [
        [...counts].map(([kind, count]) => `${kind} ${count}`).join(' · '),
        ...defects.map((defect) => `• ${defect.url} ${defect.kind}: ${defect.detail}`),
        approvalId === null ? '' : `\nSEO fixes for ${plural(tonight.length, 'page')} asked (update_product_seo).`,
      ].join('\n'),
    }),
    nothingLine: `${pages.length} pages crawled: no broken links, redirect chains, title, description, alt text, structured data or index problems.`,
  });
  return { outcome, defects, approvalId, modelCalled, crawled: pages.length };
}

/** contentbot's site-crawl-audit: nightly 03:00 (fleet time zone). */
export const siteCrawlAudit = defineJob({
  id: 'site-crawl-audit',
  schedule: '0 3 * * *',
  description:
    'Nightly crawl of our store: broken links, redirect chains, titles, descriptions, alt text, Product JSON-LD, index status → fix list, update_product_seo',
  timeoutMs: 1_800_000,
  // A nightly audit: a missed night catches up once.
  missed: 'once',
  settings: siteCrawlAuditSettings,
  async run(context) {
    const { outcome, approvalId, modelCalled, crawled, defects } = await runSiteCrawlAudit(context, context.config);
    return jobOutcome(`${outcome.outcome}${approvalId === null ? '' : '; update_product_seo open'}${modelCalled ? '' : '; model not called'}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvalId, crawled, kinds: [...new Set(defects.map((defect) => defect.kind))] },
    });
  },
});
