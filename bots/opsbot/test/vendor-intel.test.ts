import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, startFakeFeedServer, type TestDatabase } from '@jbot/testkit';
import { runVendorIntel, vendorIntel, vendorIntelSettings } from '../src/index.js';
import { runContext, ZONE } from './job-harness.js';

// The sample news feed's items are dated against the load time and are "not out yet" when dated
// after the wall clock, so this company is loaded at the wall clock.
describe('opsbot vendor-intel on the sample company', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const now = new Date();
  const config = vendorIntelSettings.load({ FLEET_TZ: ZONE });

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared weekdays at 08:00', () => {
    expect(vendorIntel).toMatchObject({ schedule: '0 8 * * 1-5', missed: 'once' });
  });

  it('finds the Shenzhen typhoon, the BRL move on open Santos POs, Tết near Saigon ready dates and the China lane rate spike; Antwerp news and quiet currencies are not news', async () => {
    const run = await runVendorIntel(runContext(db, vendorIntel, { now }), config, now);
    expect(run.findings.map((finding) => [finding.kind, finding.supplier_id, finding.affected_pos.length > 0])).toEqual([
      ['news', 'SUP-SZ-01', true],
      ['fx', 'SUP-SP-07', true],
      ['holiday', 'SUP-HCM-03', true],
      ['rate', 'SUP-NB-02', true],
      ['rate', 'SUP-SZ-01', false],
    ]);
    const [news, fx, holiday] = run.findings;
    expect(news?.detail).toMatch(/^South China Morning Post: Typhoon warning: Shenzhen raises signal No\. 8/);
    expect(news?.affected_pos).toEqual(['PO-4111', 'PO-4114', 'PO-4109', 'PO-4110', 'PO-4112']);
    expect(fx?.detail).toMatch(/^BRL strengthened [45]\.\d% against USD since \d{4}-\d{2}-\d{2} .* open BRL POs \$52,200 cost more$/);
    expect(fx?.affected_pos).toEqual(['PO-4115', 'PO-4116']);
    expect(holiday?.affected_pos).toEqual(['PO-4105', 'PO-4108']);
    expect(run).toMatchObject({ warnings: 4, emitted: 5, posted: true });
    const signals = await db.rpc('list_signals', { p_signal_type: 'vendor_risk' });
    expect(
      signals
        .map((signal) => [(signal['payload'] as { kind: string }).kind, (signal['payload'] as { supplier_id: string }).supplier_id, signal['severity']])
        .sort(),
    ).toEqual([
      ['fx', 'SUP-SP-07', 'warning'],
      ['holiday', 'SUP-HCM-03', 'warning'],
      ['news', 'SUP-SZ-01', 'warning'],
      ['rate', 'SUP-NB-02', 'warning'],
      ['rate', 'SUP-SZ-01', 'info'],
    ]);
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'opsbot' and text like '%Vendor intel:%'`;
    expect(post?.text).toContain('not summarised (offline drafter)');
  });

  it('the next morning reads only newer items: the typhoon is not summarised twice, repeated risks are not re-raised', async () => {
    const first = await runVendorIntel(runContext(db, vendorIntel, { now }), config, now);
    const again = await runVendorIntel(
      runContext(db, vendorIntel, { now, last: { outcome: 'x', fingerprint: first.fingerprint, detail: { newest: first.newest } } }),
      config,
      now,
    );
    expect(again.findings.some((finding) => finding.kind === 'news')).toBe(false);
    expect(again.emitted).toBe(0);
  });

  it('a healthy variant: higher thresholds and no new news find nothing', async () => {
    const calm = vendorIntelSettings.load({ FLEET_TZ: ZONE, VENDOR_FX_MOVE_PCT: '10', VENDOR_HOLIDAY_DAYS: '5', VENDOR_RATE_SPIKE_PCT: '30' });
    const run = await runVendorIntel(runContext(db, vendorIntel, { now, last: { outcome: 'x', detail: { newest: now.toISOString() } } }), calm, now);
    expect(run.findings).toEqual([]);
  });

  it('reads supplier-side news from live RSS feeds (OPS_NEWS_FEED_URLS) through the same rule', async () => {
    const published = new Date(now.getTime() - 3_600_000).toUTCString();
    const feeds = await startFakeFeedServer({
      '/ports.xml': {
        body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Port advisories</title><item><title>Dockworkers strike closes Santos container terminals</title><link>https://example.org/santos-strike</link><pubDate>${published}</pubDate><description>Terminals at the Port of Santos stopped work.</description></item><item><title>Santos FC wins the cup</title><link>https://example.org/santos-fc</link><pubDate>${published}</pubDate><description>Football.</description></item></channel></rss>`,
      },
    });
    try {
      const connectors = createConnectors({
        db,
        env: { OPS_NEWS_FEED_URLS: feeds.feedUrl('/ports.xml'), NEWS_USER_AGENT: 'Harbor & Pine ops@harborandpine.example' },
      });
      const run = await runVendorIntel(runContext(db, vendorIntel, { now, connectors }), config, now);
      const news = run.findings.filter((finding) => finding.kind === 'news');
      expect(news.map((finding) => [finding.supplier_id, finding.url, finding.affected_pos])).toEqual([
        ['SUP-SP-07', 'https://example.org/santos-strike', ['PO-4115', 'PO-4116']],
      ]);
      expect(feeds.requests.map((request) => request.userAgent)).toEqual(['Harbor & Pine ops@harborandpine.example']);
    } finally {
      await feeds.close();
    }
  });
});
