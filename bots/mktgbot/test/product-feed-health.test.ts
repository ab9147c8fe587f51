import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { answerOperator, productFeedHealth, productFeedSettings, runProductFeedHealth } from '../src/index.js';
import { mktgbot } from '../src/bot.js';
import { searchJobContext } from './search-test-context.js';

const LOADED_AT = new Date('2026-12-01T13:00:00Z');
const NOW = new Date('2026-12-01T14:15:00Z');
const settings = productFeedSettings.load({});

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  (data.mktg_search as { feeds: { planted: unknown[] } }).feeds.planted = [];
  return data;
}

describe('mktgbot product-feed-health', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: LOADED_AT });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared daily at 06:15 with the catalogue thresholds as defaults', () => {
    expect(productFeedHealth.schedule).toBe('15 6 * * *');
    expect(productFeedHealth.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('product-feed-health');
    expect(settings).toMatchObject({ FEED_PRICE_TOLERANCE_PCT: 1, FEED_ERROR_SHARE_PCT: 5 });
    expect(() => productFeedSettings.load({ FEED_ERROR_SHARE_PCT: 'five' })).toThrow(/FEED_ERROR_SHARE_PCT/);
  });

  it('finds the missing GTINs (Google, 7.5% → warning), the Meta price mismatch and the Pinterest image policy item, and nothing else', async () => {
    const first = await runProductFeedHealth(searchJobContext(db, 'product-feed-health', 'feeds-1', NOW), settings, NOW);
    expect(
      first.verdicts.map((verdict) => [verdict.feed, verdict.items, verdict.problems.map((problem) => `${problem.sku}:${problem.issue}`), verdict.raise]),
    ).toEqual([
      ['google', 40, ['KC-104:missing_gtin', 'SM-107:missing_gtin', 'TH-106:missing_gtin'], true],
      ['meta', 40, ['DW-102:price_mismatch'], false],
      ['pinterest', 40, ['SM-103:image_policy'], false],
    ]);
    expect(first.outcome.outcome).toBe('5 feed item issues, posted');
    expect(first.signals).toBe(1);
    const signals = await sql<Array<{ severity: string; payload: { feed: string; error_share: number; items: unknown[] } }>>`
      select severity, payload from bot_signals where signal_type = 'feed_item_issue'`;
    expect(signals.map((signal) => [signal.severity, signal.payload.feed, signal.payload.error_share, signal.payload.items.length])).toEqual([
      ['warning', 'google', 0.075, 3],
    ]);
    const again = await runProductFeedHealth(
      searchJobContext(db, 'product-feed-health', 'feeds-2', NOW, { lastFingerprint: first.outcome.fingerprint ?? null }),
      settings,
      NOW,
    );
    expect(again.outcome.outcome).toBe('5 feed item issues, unchanged since the last run (not reposted)');
    expect(again.signals).toBe(0);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it("answers the operator's reply with the items and who fixes them", async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'feed_item_issue'`;
    const answer = await answerOperator(
      { text: '?', operatorMessageId: 'm1', signalId: signal?.id ?? null, approvalId: null, instructionSignalId: 's1', channel: 'local', senderId: 'op' },
      searchJobContext(db, 'reply', 'reply-1', NOW),
    );
    expect(answer).toBe(
      "feed issue — google: 7.5% of items in error: KC-104 (missing gtin), SM-107 (missing gtin), TH-106 (missing gtin). Missing GTINs and titles go to contentbot's copy queue; price and availability follow Shopify on the next feed fetch.",
    );
  });

  it('finds nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 3 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      const run = await runProductFeedHealth(searchJobContext(healthyDb, 'product-feed-health', 'healthy', NOW, { manual: true }), settings, NOW);
      expect(run.verdicts.flatMap((verdict) => verdict.problems)).toEqual([]);
      expect(run.outcome.outcome).toBe('nothing to report');
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
