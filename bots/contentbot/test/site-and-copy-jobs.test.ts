import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { contentbot } from '../src/bot.js';
import {
  coreWebVitals,
  productCopyGaps,
  publishProductCopy,
  queueReviewCopy,
  reviewInsights,
  reviewTopicAlert,
  seoRankWatch,
  siteCrawlAudit,
  updateProductSeo,
} from '../src/index.js';
import { runContentJob } from './job-harness.js';

const silent = pino({ level: 'silent' });

// The sample company with the search, site, speed, copy and review cases repaired.
function healthyContent(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const content = data.contentbot as Record<string, Record<string, unknown> | unknown[]>;
  content['gsc'] = { dropping_page: '/none', drop_share: 0, position_worse: 0, striking_distance: [] };
  content['cwv'] = { regressed_url: '/none', lcp_before_ms: 2000, lcp_after_ms: 2000, regressed_days: 1 };
  content['site'] = { missing_meta: [], duplicate_titles: [], broken_link: { from: '/none', to: '/' }, images_without_alt: [], not_indexed: [] };
  content['copy'] = { thin: [], missing_inci: [], size_mismatch: { sku: 'none', shopify_size: '1oz', amazon_size: '1oz' } };
  content['review_topic_overrides'] = [];
  return data;
}

describe('contentbot search, site, speed, copy and review jobs on the sample company', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });
  const signals = (type: string) =>
    sql<
      Array<{ severity: string; payload: Record<string, unknown> }>
    >`select severity, payload from bot_signals where source_bot = 'contentbot' and signal_type = ${type} order by created_at`;
  const posts = (like: string) => sql<Array<{ text: string }>>`select text from channel_messages where bot = 'contentbot' and text like ${like}`;
  const executionContext = (approvalId: string) => ({
    ...buildBotServices(contentbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent),
    connectors: createConnectors({ db, env: {} }),
    approvalId,
    idempotencyKey: `approval:${approvalId}`,
  });

  it('seo-rank-watch: /collections/soy-candles down 40% with position +2.6 (seo_regression) and one striking-distance query', async () => {
    const first = await runContentJob(db, seoRankWatch, { runId: 'seo-1' });
    expect(first.detail?.['regressions']).toEqual(['/collections/soy-candles']);
    expect(first.detail?.['striking']).toEqual([
      expect.objectContaining({ url: '/products/dw-106', query: 'campfire candle tin', position: 11.4, impressions: 315 }),
    ]);
    const regression = await signals('seo_regression');
    expect(regression).toHaveLength(1);
    const payload = regression[0]?.payload as { clicks_7d: number; clicks_prev_7d: number; position_change: number };
    expect(payload.clicks_7d / payload.clicks_prev_7d).toBeCloseTo(0.6, 1);
    expect(payload.position_change).toBeCloseTo(2.6, 1);
    const again = await runContentJob(db, seoRankWatch, { runId: 'seo-2', last: first });
    expect(again.outcome).toContain('unchanged since the last run');
    expect(await signals('seo_regression')).toHaveLength(1);
  });

  it('site-crawl-audit: 6 missing metas, 3 duplicate titles, 1 broken link, 8 images without alt, 2 not indexed; update_product_seo for 10 pages, applied once', async () => {
    const first = await runContentJob(db, siteCrawlAudit, { runId: 'crawl-1' });
    expect(first.detail?.['crawled']).toBe(120);
    const text = (await posts('%Site audit:%'))[0]?.text ?? '';
    expect(text.split('\n').find((line) => line.startsWith('broken_link'))).toBe(
      'broken_link 1 · description_missing 6 · image_alt_missing 8 · not_indexed 2 · title_duplicate 3',
    );
    expect(text).toContain('/blogs/journal/holiday-gift-guide broken_link: links to /products/dw-108-discontinued (HTTP 404)');
    const approval = await getApproval(db, String(first.detail?.['approvalId']));
    const draft = updateProductSeo.draft.parse(approval?.draft);
    expect(draft.pages).toHaveLength(10);
    expect(draft.pages.every((page) => page.url.startsWith('/products/'))).toBe(true);
    const again = await runContentJob(db, siteCrawlAudit, { runId: 'crawl-2', last: first });
    expect(again.outcome).toContain('model not called');
    expect(again.detail?.['approvalId']).toBe(first.detail?.['approvalId']);

    const context = executionContext(approval?.id ?? '');
    const done = await updateProductSeo.execute(draft, context as never, approval as never);
    expect(done.pages.every((page) => page.applied_now)).toBe(true);
    const twice = await updateProductSeo.execute(draft, context as never, approval as never);
    expect(twice.pages.some((page) => page.applied_now)).toBe(false);
    // The fixed pages are gone from tonight's defects.
    const after = await runContentJob(db, siteCrawlAudit, { runId: 'crawl-3', last: again });
    expect(Number(after.detail?.['findings'])).toBeLessThan(Number(first.detail?.['findings']));
  });

  it('core-web-vitals: the DW product page LCP regression (3.4 s over the 2.5 s limit, 7-day median 2.1 s), signalled once', async () => {
    const first = await runContentJob(db, coreWebVitals, { runId: 'cwv-1' });
    expect(first.detail?.['findings']).toEqual(['/products/dw-101 lcp fail']);
    const slow = await signals('site_speed_regression');
    expect(slow).toEqual([
      { severity: 'warning', payload: expect.objectContaining({ url: '/products/dw-101', metric: 'lcp', p75: 3400, threshold: 2500, median_7d: 2100 }) },
    ]);
    const again = await runContentJob(db, coreWebVitals, { runId: 'cwv-2', last: first });
    expect(again.outcome).toContain('unchanged since the last run');
    expect(await signals('site_speed_regression')).toHaveLength(1);
  });

  it('the checks history can be moved in time as a whole (bench day ages the brain a day), and recording goes on', async () => {
    // A unique (day, url) key failed this row by row: duplicate key on the first row moved.
    await sql`update site_vitals_checks set day = day - 1`;
    await sql`update amazon_featured_offer_checks set checked_at = checked_at - interval '1 day'`;
    const after = await runContentJob(db, coreWebVitals, { runId: 'cwv-3' });
    expect(after.detail?.['findings']).toEqual(['/products/dw-101 lcp fail']);
    const [row] = await sql<
      Array<{ checks: number }>
    >`select count(*)::int as checks from site_vitals_checks where url = '/products/dw-101' and day = current_date`;
    expect(row?.checks).toBe(1);
  });

  it('review-insights: "wax tunnelling" rising on DW-101 (review_topic_alert), with the store reviews fenced for the summary', async () => {
    const first = await runContentJob(db, reviewInsights, { runId: 'reviews-1' });
    expect(first.detail?.['shifts']).toEqual([{ sku: 'DW-101', kind: 'topic_rising', topic: 'wax tunnelling' }]);
    expect(await signals('review_topic_alert')).toEqual([
      { severity: 'warning', payload: { asin: 'B0XXXXHHLB', sku: 'DW-101', topic: 'wax tunnelling', share: 14, change_pts: 10, rating_change: null } },
    ]);
    const text = (await posts('%Reviews this week%'))[0]?.text ?? '';
    expect(text).toContain('DW-101: "wax tunnelling" up 10 pts to 14% of reviews');
  });

  it('the review_topic_alert handler queues the SKU for product-copy-gaps, once however often it is delivered', async () => {
    const [row] = await sql<
      Array<{ id: string; payload: Record<string, unknown> }>
    >`select id, payload from bot_signals where signal_type = 'review_topic_alert'`;
    const context = {
      ...buildBotServices(contentbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent),
      connectors: createConnectors({ db, env: {} }),
    };
    const signal = { id: row?.id ?? '', type: 'review_topic_alert', payload: reviewTopicAlert.schema.parse(row?.payload) };
    await queueReviewCopy(signal as never, context as never);
    await queueReviewCopy(signal as never, context as never);
    expect(await db.rpc('list_copy_queue')).toEqual([expect.objectContaining({ sku: 'DW-101', reason: 'review topic wax tunnelling' })]);
    await sql`delete from content_copy_queue`;
  });

  it('product-copy-gaps: 8 thin, 2 missing INCI, 1 size mismatch; 3 drafts, striking-distance DW-106 first; publishing changes the store once', async () => {
    const first = await runContentJob(db, productCopyGaps, { runId: 'copy-1' });
    expect(first.detail?.['chosen']).toEqual(['DW-106', 'DW-110', 'KC-105']);
    const text = (await posts('%Product copy:%'))[0]?.text ?? '';
    for (const sku of ['KC-105', 'KC-109', 'SM-107', 'SM-109', 'DW-106', 'DW-110', 'TH-107', 'TH-109']) expect(text).toContain(`• ${sku} thin_description`);
    expect(text).toContain('• SM-103 missing_fact: no inci');
    expect(text).toContain('• SM-108 missing_fact: no inci');
    expect(text).toContain('• DW-105 size_mismatch: Shopify says 12oz, Amazon says 14oz');
    expect(text.match(/missing_fact|size_mismatch/g)).toHaveLength(3);
    const again = await runContentJob(db, productCopyGaps, { runId: 'copy-2', last: first });
    expect(again.outcome).toContain('model not called');

    const approval = await getApproval(db, ((first.detail?.['approvalIds'] as string[]) ?? [])[0] ?? '');
    const draft = publishProductCopy.draft.parse(approval?.draft);
    expect(draft.sku).toBe('DW-106');
    const done = await publishProductCopy.execute(draft, executionContext(approval?.id ?? '') as never, approval as never);
    expect(done).toMatchObject({ storefront_applied_now: true, amazon_applied_now: true });
    const twice = await publishProductCopy.execute(draft, executionContext(approval?.id ?? '') as never, approval as never);
    expect(twice).toMatchObject({ storefront_applied_now: false, amazon_applied_now: false });
    const product = (await createConnectors({ db, env: {} }).storefront.listProductContent()).find((item) => item.sku === 'DW-106');
    expect(product?.descriptionHtml).toBe(draft.description_html);
  });

  it('finds nothing on a healthy variant of the company', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyContent() });
      const connectors = createConnectors({ db: healthyDb, env: {} });
      for (const job of [seoRankWatch, siteCrawlAudit, coreWebVitals, reviewInsights, productCopyGaps]) {
        const outcome = await runContentJob(healthyDb, job, { runId: `healthy-${job.id}`, connectors });
        expect({ job: job.id, outcome: outcome.outcome.split(';')[0] }).toEqual({ job: job.id, outcome: 'nothing to report' });
      }
      const raw = postgres(healthy.url, { max: 1, onnotice: () => {} });
      expect(await raw`select signal_type from bot_signals where source_bot = 'contentbot'`).toEqual([]);
      expect(await raw`select title from approvals where bot = 'contentbot'`).toEqual([]);
      await raw.end();
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
