import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, runJobOnce, type TestDatabase } from '@jbot/testkit';
import { amazonAdsKeywords, brandSearchShare, googleSearchTerms, productFeedHealth, siteConversionWatch, trackingHealth } from '../src/index.js';
import { mktgbot } from '../src/bot.js';

// The six jobs as the scheduler runs them (settings from the env, the tick's time, ctx.connectors)
// on one sample company loaded at noon PT, each at its own tick that day.
const LOADED_AT = new Date('2026-12-01T20:00:00Z');
const env = { FLEET_TZ: 'America/Los_Angeles' };

describe('mktgbot search and analytics jobs, run as scheduled', () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    await loadSampleCompany(db, { now: LOADED_AT });
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  const run = (job: Parameters<typeof runJobOnce>[1], scheduledFor: string, runId: string) =>
    runJobOnce(mktgbot, job, { db, connectors: createConnectors({ db, env: {} }), runId, env, scheduledFor: new Date(scheduledFor) });

  it('each finds its planted case and says so in one outcome line', async () => {
    expect((await run(trackingHealth, '2026-12-01T20:05:00Z', 'tick-tracking')).outcome).toBe('1 tracking problem, posted; 1 tracking_broken raised');
    expect((await run(siteConversionWatch, '2026-12-01T20:10:00Z', 'tick-site')).outcome).toBe('1 conversion drop, posted; 1 conversion_drop raised');
    expect((await run(productFeedHealth, '2026-12-01T20:15:00Z', 'tick-feeds')).outcome).toBe('5 feed item issues, posted; 1 feed_item_issue raised');
    expect((await run(googleSearchTerms, '2026-12-01T20:20:00Z', 'tick-terms')).outcome).toMatch(
      /^9 keyword changes, posted; apply_negative_keywords asked \([0-9a-f-]+\)$/,
    );
    // Tracking is broken (GA4, planted): the brand campaign's budget increase is held.
    expect((await run(brandSearchShare, '2026-12-01T20:25:00Z', 'tick-brand')).outcome).toBe(
      '1 brand campaign losing share, posted; 1 brand_search_loss raised; budget increases held (tracking broken)',
    );
    expect((await run(amazonAdsKeywords, '2026-12-01T20:30:00Z', 'tick-amazon')).outcome).toMatch(
      /^7 SP changes, posted; apply_amazon_bid_changes asked \([0-9a-f-]+\)$/,
    );
  });

  it('a catch-up run judges the day it was scheduled for, not the day it runs', async () => {
    // Scheduled yesterday morning: yesterday-of-that-tick is the 29th, a normal day for GA4.
    const late = await run(trackingHealth, '2026-11-30T17:00:00Z', 'tick-tracking-late');
    expect(late.outcome).toBe('nothing to report');
  });
});
