import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, loadLlmConfig, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, sampleDataDirectory } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, startFakeFeedServer, type FakeAnthropic, type FakeFeedServer, type TestDatabase } from '@jbot/testkit';
import { jbot, newsWatch, titleSimilarity } from '../src/index.js';
import { runJbotJob } from './jbot-job-harness.js';

type Watch = { outcome: string; detail: { newest: string; items: number; warnings: string[]; failures: string[] } };

// EDGAR's company filings feed is Atom.
const EDGAR_ATOM = (updated: string) => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Summit Roast Holdings Inc.  (0001844000)</title>
  <updated>${updated}</updated>
  <entry>
    <title>8-K  - Current report</title>
    <link rel="alternate" type="text/html" href="https://www.sec.gov/Archives/edgar/data/1844000/000184400026000130-index.htm"/>
    <summary type="html">Summit Roast Holdings: Item 5.02 Departure of Directors or Certain Officers</summary>
    <updated>${updated}</updated>
    <id>urn:tag:sec.gov,2008:accession-number=0001844000-26-000130</id>
  </entry>
</feed>`;

describe('jbot news-watch', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let anthropic: FakeAnthropic;
  let feeds: FakeFeedServer;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    anthropic = await startFakeAnthropic();
    anthropic.respondWith((request) => {
      const urls = [...JSON.stringify(request.messages).matchAll(/<data label=\\"(https?:[^ ]+) \(entity/g)].map((match) => match[1] ?? '');
      return {
        text: JSON.stringify({
          items: urls.map((url) => ({
            url,
            sentiment: /recall|chapter-11|trim|probe/.test(url) ? 'negative' : 'neutral',
            summary: 'matters because it names us or a rival',
          })),
        }),
      };
    });
    await loadSampleCompany(db);
    const now = Date.now();
    const rss = fs
      .readFileSync(path.join(sampleDataDirectory(), 'news-feed.xml'), 'utf8')
      .replace(/\{\{hours_ago:(\d+)\}\}/g, (_, hours: string) => new Date(now - Number(hours) * 3_600_000).toUTCString())
      .replace(
        '  </channel>',
        `    <item><title>Driftwood Candle Co. named in soy wax labeling probe</title><link>https://www.reuters.com/business/driftwood-candle-probe/</link><pubDate>${new Date(now - 3_600_000).toUTCString()}</pubDate><source url="https://www.reuters.com">Reuters</source><description>Regulators are looking at labels.</description></item>\n  </channel>`,
      );
    feeds = await startFakeFeedServer({
      '/news/harbor-and-pine.rss': { body: rss },
      '/cgi-bin/browse-edgar?action=getcompany&CIK=0001844000&type=8-K&output=atom': {
        body: EDGAR_ATOM(new Date(now - 2 * 3_600_000).toISOString()),
        contentType: 'application/atom+xml',
      },
      '/wire/down.rss': { status: 503 },
    });
  });
  afterAll(async () => {
    await feeds?.close();
    await anthropic?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });
  const llm = () => loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });

  it('is declared on jbot for weekdays at 08:00; the syndicated copy of a headline is ≥ 0.8 similar, another story is not', () => {
    expect(newsWatch.schedule).toBe('0 8 * * 1-5');
    expect(jbot.jobs?.map((job) => job.id)).toContain('news-watch');
    expect(
      titleSimilarity('Cedar & Ash Candle Co. recalls 40,000 jar candles over fire risk', 'Cedar & Ash Candle Co recalls 40,000 jar candles over fire risk'),
    ).toBeGreaterThanOrEqual(0.8);
    expect(titleSimilarity('Costco expands its regional coffee roaster program', 'Whole Foods to trim local supplier slots in 2027')).toBeLessThan(0.8);
  });

  it('on the sample feed: the competitor recall and the retailer bankruptcy rumour among 10 items; the duplicate, the low-authority and the off-topic items dropped; one fast call; info only', async () => {
    const first = await runJbotJob<Watch>(newsWatch, { db, runId: 'news-1', llm: llm() });
    expect(first.detail).toMatchObject({ items: 10, warnings: [] });
    expect(anthropic.requests).toHaveLength(1);
    expect(anthropic.requests[0]?.model).toBe(llm().models.fast);
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'jbot' and text like 'News watch: 10 new items%'`;
    expect(post?.text).toMatch(/▼ \[Cedar & Ash\] Reuters \(top tier\): Cedar & Ash Candle Co\. recalls 40,000 jar candles/);
    expect(post?.text).toMatch(/▼ \[Northbound Outfitters\] Retail Dive: Northbound Outfitters said to weigh Chapter 11/);
    for (const dropped of ['finance.yahoo.com', 'pressrelease-hub.biz', 'Soy wax prices ease', 'labeling rules in Oregon'])
      expect(post?.text).not.toContain(dropped);
    const signals = await sql<Array<{ severity: string }>>`select severity::text from bot_signals where signal_type = 'press_mention'`;
    expect(signals).toHaveLength(10);
    expect(signals.every((signal) => signal.severity === 'info')).toBe(true);

    // Nothing published since: no model call.
    const again = await runJbotJob<Watch>(newsWatch, { db, runId: 'news-2', llm: llm(), lastResult: first.detail, manual: true });
    expect(again.outcome).toBe('nothing to report');
    expect(anthropic.requests).toHaveLength(1);
  });

  it('reads RSS and EDGAR Atom over HTTP with a User-Agent; a top-tier outlet negative about our brand is a warning; a feed that is down is reported, the rest still read', async () => {
    const connectors = createConnectors({
      db,
      env: {
        NEWS_FEED_URLS: [
          feeds.feedUrl('/news/harbor-and-pine.rss'),
          feeds.feedUrl('/cgi-bin/browse-edgar?action=getcompany&CIK=0001844000&type=8-K&output=atom'),
          feeds.feedUrl('/wire/down.rss'),
        ].join(','),
        NEWS_USER_AGENT: 'Harbor & Pine Goods Co. ops@harborandpine.com',
      },
    });
    const before = anthropic.requests.length;
    const result = await runJbotJob<Watch>(newsWatch, { db, runId: 'news-live', llm: llm(), connectors });
    expect(result.detail.items).toBe(12);
    expect(result.detail.warnings).toEqual(['https://www.reuters.com/business/driftwood-candle-probe/']);
    expect(result.detail.failures).toEqual([feeds.feedUrl('/wire/down.rss')]);
    expect(anthropic.requests.length).toBe(before + 1);
    expect(feeds.requests.every((request) => request.userAgent === 'Harbor & Pine Goods Co. ops@harborandpine.com')).toBe(true);
    const [warning] = await sql<
      Array<{ payload: { entity: string; sentiment: string } }>
    >`select payload from bot_signals where signal_type = 'press_mention' and severity = 'warning'`;
    expect(warning?.payload).toMatchObject({ entity: 'Driftwood Candle', sentiment: 'negative' });
    const [post] = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'jbot' and text like 'News watch: 12 new items, 1 about us%'`;
    expect(post?.text).toContain('[Summit Roast] Summit Roast Holdings Inc.');
    expect(post?.text).toContain(`(feed failed: ${feeds.feedUrl('/wire/down.rss')} — HTTP 503`);
  });
});
