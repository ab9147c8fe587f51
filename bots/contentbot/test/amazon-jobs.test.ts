import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, loadLlmConfig, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, type FakeAnthropic, type TestDatabase } from '@jbot/testkit';
import { contentbot } from '../src/bot.js';
import { amazonListingDrift, amazonListingHealth, amazonOfferWatch, patchListing } from '../src/index.js';
import { runContentJob } from './job-harness.js';

const silent = pino({ level: 'silent' });

// The sample company with the Amazon planted cases repaired: nothing for the three jobs to find.
function healthyAmazon(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const amazon = data.amazon as { listings: Array<Record<string, unknown>> };
  for (const listing of amazon.listings) listing['status'] = 'Active';
  const content = data.contentbot as Record<string, unknown>;
  content['listing_issues'] = [];
  content['master_overrides'] = [];
  content['offer_overrides'] = [];
  content['catalog_drifts'] = [];
  return data;
}

interface SignalRow {
  signal_type: string;
  severity: string;
  payload: Record<string, unknown>;
}

describe('contentbot Amazon jobs on the sample company', () => {
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
    sql<SignalRow[]>`select signal_type, severity, payload from bot_signals where source_bot = 'contentbot' and signal_type = ${type} order by created_at`;
  const posts = (like: string) => sql<Array<{ text: string }>>`select text from channel_messages where bot = 'contentbot' and text like ${like}`;

  it('declares the catalogue schedules', () => {
    expect(contentbot.jobs?.map((job) => [job.id, job.schedule])).toEqual([
      ['amazon-listing-health', '0 6-22/2 * * *'],
      ['amazon-offer-watch', '10 * * * *'],
      ['amazon-listing-drift', '30 5 * * *'],
      ['seo-rank-watch', '0 6 * * *'],
      ['site-crawl-audit', '0 3 * * *'],
      ['core-web-vitals', '0 5 * * *'],
      ['product-copy-gaps', '0 10 * * 1-5'],
      ['review-insights', '0 6 * * 1'],
    ]);
  });

  it('amazon-listing-health: KC-110 suppressed (alert), SM-105 attribute error and the "!!" title, each with a patch_listing; a rerun asks nothing new', async () => {
    const first = await runContentJob(db, amazonListingHealth, { runId: 'health-1' });
    expect(first.detail?.['problems']).toEqual(['KC-110 18027', 'KC-110 not_buyable_discoverable', 'SM-105 90220', 'TH-103 title_policy']);
    expect(first.outcome).toBe('4 listing problems, posted; 3 patch_listings open');
    const suppressed = await signals('amazon_listing_suppressed');
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]).toMatchObject({ severity: 'alert', payload: { sku: 'KC-110', asin: 'B0XXXXHBK7' } });
    const approvals = await Promise.all(((first.detail?.['approvalIds'] as string[]) ?? []).map((id) => getApproval(db, id)));
    const kc110 = approvals.find((approval) => (approval?.draft as { sku: string }).sku === 'KC-110');
    expect((kc110?.draft as { patches: unknown[] }).patches).toEqual([
      {
        op: 'replace',
        path: '/attributes/main_product_image_locator',
        value: [{ media_location: 'https://m.media-amazon.com/images/I/KC110-main.jpg', marketplace_id: 'ATVPDKIKX0DER' }],
      },
    ]);
    const title = approvals.find((approval) => (approval?.draft as { sku: string }).sku === 'TH-103');
    const fixed = (title?.draft as { patches: Array<{ value: Array<{ value: string }> }> }).patches[0]?.value[0]?.value ?? '';
    expect(fixed).not.toMatch(/[!$?_{}^¬¦]/);
    expect((await posts('%Amazon listing health: 3 listings need attention%')).length).toBe(1);

    const again = await runContentJob(db, amazonListingHealth, { runId: 'health-2', last: first });
    expect(again.outcome).toBe('4 listing problems, unchanged since the last run (not reposted); 3 patch_listings open; model not called');
    expect(again.detail?.['approvalIds']).toEqual(first.detail?.['approvalIds']);
    expect(await signals('amazon_listing_suppressed')).toHaveLength(1);
  });

  it('patch_listing on KC-110 restores the main image once, and the listing is active again', async () => {
    const health = await runContentJob(db, amazonListingHealth, { runId: 'health-3', manual: true });
    const approvals = await Promise.all(((health.detail?.['approvalIds'] as string[]) ?? []).map((id) => getApproval(db, id)));
    const kc110 = approvals.find((approval) => (approval?.draft as { sku: string }).sku === 'KC-110');
    expect(kc110).toBeDefined();
    const context = buildBotServices(contentbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execution = { ...context, connectors: createConnectors({ db, env: {} }), approvalId: kc110?.id ?? '', idempotencyKey: `approval:${kc110?.id ?? ''}` };
    const draft = patchListing.draft.parse(kc110?.draft);
    const done = await patchListing.execute(draft, execution as never, kc110 as never);
    expect(done.applied_now).toBe(true);
    const twice = await patchListing.execute(draft, execution as never, kc110 as never);
    expect(twice.applied_now).toBe(false);
    expect(await db.rpc('sample_amazon_listing_patches')).toHaveLength(1);
    const listing = (await createConnectors({ db, env: {} }).marketplace.listListings()).find((item) => item.sku === 'KC-110');
    expect(listing).toMatchObject({ statuses: ['BUYABLE', 'DISCOVERABLE'], issues: [] });
  });

  it('amazon-offer-watch: KC-103 lost to Copper Kettle Provisions below MAP, DW-103 with no featured offer', async () => {
    const first = await runContentJob(db, amazonOfferWatch, { runId: 'offers-1' });
    expect(first.outcome).toBe('2 Buy Box problems, posted');
    const lost = await signals('buy_box_lost');
    expect(lost.map((row) => row.payload)).toEqual([
      expect.objectContaining({ sku: 'DW-103', suppressed: true, winner_seller_id: null, below_map: false }),
      expect.objectContaining({
        sku: 'KC-103',
        winner_seller_id: 'A3CPRKTL0PROV',
        winner_price: 8.49,
        our_price: 10.8,
        map_price: 10,
        below_map: true,
        wholesale_account_id: '90412014',
        wholesale_account: 'Copper Kettle Provisions',
        suppressed: false,
      }),
    ]);
    expect(lost.every((row) => row.severity === 'warning')).toBe(true);
    const text = (await posts('%Buy Box: 2 ASINs not ours%'))[0]?.text ?? '';
    expect(text).toContain('our wholesale account **Copper Kettle Provisions**');
    expect(text).toContain('below MAP $10.00');
    // The next hour: the same losses are one signal each, and the post is not repeated.
    const again = await runContentJob(db, amazonOfferWatch, { runId: 'offers-2', last: first, scheduledFor: new Date(Date.now() + 3_600_000) });
    expect(again.outcome).toBe('2 Buy Box problems, unchanged since the last run (not reposted)');
    expect(await signals('buy_box_lost')).toHaveLength(2);
  });

  it('amazon-offer-watch: one check not ours is not yet a loss', async () => {
    const connectors = createConnectors({ db, env: {} });
    const fresh = await freshDatabase();
    const freshDb = createPostgresDb({ url: fresh.url, poolMax: 2 });
    try {
      await loadSampleCompany(freshDb);
      await freshDb.rpc('record_featured_offer_checks', { p_checks: [], p_checked_at: new Date().toISOString() });
      // Forget the sample's watched history: the first check alone decides nothing.
      const raw = postgres(fresh.url, { max: 1, onnotice: () => {} });
      await raw`delete from amazon_featured_offer_checks`;
      await raw.end();
      const outcome = await runContentJob(freshDb, amazonOfferWatch, { runId: 'offers-fresh', connectors: createConnectors({ db: freshDb, env: {} }) });
      expect(outcome.outcome).toBe('nothing to report');
    } finally {
      await freshDb.close();
      await fresh.drop();
    }
    expect(connectors.marketplace.source).toBe('sample');
  });

  it('amazon-listing-drift: the rewritten DW-102 bullet and the replaced SM-104 main image, with a revert each', async () => {
    const first = await runContentJob(db, amazonListingDrift, { runId: 'drift-1' });
    expect(first.outcome).toBe('2 drifted fields, posted; 2 reverts asked');
    const text = (await posts('%Amazon listing drift: 2 pages%'))[0]?.text ?? '';
    expect(text).toContain('DW-102 bullets (by amazon)');
    expect(text).toContain('SM-104 main_image (by amazon)');
    const notes = await signals('bot_note');
    expect(notes.at(-1)).toMatchObject({ severity: 'warning', payload: { detail: { kind: 'amazon_listing_drift' } } });
    const approvals = await Promise.all(((first.detail?.['approvalIds'] as string[]) ?? []).map((id) => getApproval(db, id)));
    expect(approvals.map((approval) => (approval?.draft as { patches: Array<{ path: string }> }).patches.map((patch) => patch.path))).toEqual([
      ['/attributes/bullet_point'],
      ['/attributes/main_product_image_locator'],
    ]);
  });

  it('finds nothing on a healthy variant of the marketplace', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyAmazon() });
      const connectors = createConnectors({ db: healthyDb, env: {} });
      for (const job of [amazonListingHealth, amazonOfferWatch, amazonListingDrift]) {
        const outcome = await runContentJob(healthyDb, job, { runId: `healthy-${job.id}`, connectors });
        expect({ job: job.id, outcome: outcome.outcome.split(';')[0] }).toEqual({ job: job.id, outcome: 'nothing to report' });
      }
      const raw = postgres(healthy.url, { max: 1, onnotice: () => {} });
      expect(await raw`select 1 from bot_signals where source_bot = 'contentbot'`).toHaveLength(0);
      expect(await raw`select 1 from approvals where bot = 'contentbot'`).toHaveLength(0);
      await raw.end();
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});

describe('contentbot drafts when the model answers with unusable JSON', () => {
  let database: TestDatabase;
  let db: Db;
  let anthropic: FakeAnthropic;
  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db);
    // The fake's default answer to a nested schema is prose: not the JSON asked for.
    anthropic = await startFakeAnthropic();
  });
  afterAll(async () => {
    await anthropic?.close();
    await db?.close();
    await database?.drop();
  });

  it('falls back to the labelled template draft, asks the approval, and calls the model no more on the next run', async () => {
    const llm = loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
    const first = await runContentJob(db, amazonListingHealth, { runId: 'model-1', llm });
    expect(first.outcome).toBe('4 listing problems, posted; 3 patch_listings open');
    const titles = await Promise.all(((first.detail?.['approvalIds'] as string[]) ?? []).map(async (id) => (await getApproval(db, id))?.title));
    expect(titles).toContain("[template draft — the model's answer was unusable] Patch Amazon listing SM-105 (safety_warning)");
    const calls = anthropic.requests.length;
    expect(calls).toBeGreaterThan(0);
    const again = await runContentJob(db, amazonListingHealth, { runId: 'model-2', llm, last: first });
    expect(again.outcome).toContain('model not called');
    expect(anthropic.requests.length).toBe(calls);
  });
});
