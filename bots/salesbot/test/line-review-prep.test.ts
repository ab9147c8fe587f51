import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, loadLlmConfig, OFFLINE_LABEL, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, type TestDatabase } from '@jbot/testkit';
import { findLineReviews, lineReviewPrep, lineReviewPrepSettings, runLineReviewPrep } from '../src/index.js';
import { salesbot } from '../src/bot.js';
import { localDay } from '../src/jobs/deal-hygiene.js';
import { runSalesJob } from './sales-job-harness.js';

const silent = pino({ level: 'silent' });
const SETTINGS = { milestones: [30, 14, 7], newItems: 3 };
const DAY_MS = 86_400_000;

describe('salesbot line-review-prep', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const now = new Date();
  const dayAfter = (days: number) => localDay(new Date(now.getTime() + days * DAY_MS), 'UTC');

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared for weekdays at 07:30 with the catalogue milestones as defaults', () => {
    expect(lineReviewPrep.schedule).toBe('30 7 * * 1-5');
    expect(lineReviewPrep.missed).toBe('once');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('line-review-prep');
    expect(lineReviewPrepSettings.load({})).toMatchObject({ SALES_LINE_REVIEW_MILESTONES: [30, 14, 7], SALES_LINE_REVIEW_NEW_ITEMS: 3 });
    expect(() => lineReviewPrepSettings.load({ SALES_LINE_REVIEW_MILESTONES: '30,soon' })).toThrow(/SALES_LINE_REVIEW_MILESTONES/);
  });

  it('finds the two planted line reviews 14 and 30 days out with their SKU history, ATP and new items', async () => {
    const packs = await findLineReviews(createConnectors({ db, env: {} }), dayAfter(0), SETTINGS);
    expect(packs.map((pack) => [pack.account, pack.milestone, pack.reviewOn])).toEqual([
      ['Whole Harvest Market', 14, dayAfter(14)],
      ['Wildwood Natural Foods', 30, dayAfter(30)],
    ]);
    const [whole] = packs;
    expect(whole?.orders12m).toBeGreaterThanOrEqual(12);
    expect(whole?.skus).toHaveLength(3);
    expect(whole?.skus.every((sku) => sku.units12m > 0 && sku.unitsT90 > 0 && sku.name !== sku.sku)).toBe(true);
    expect(whole?.proposed.length).toBeGreaterThan(0);
    expect(whole?.proposed.every((item) => item.atp > 0 && !whole.skus.some((sku) => sku.sku === item.sku))).toBe(true);
  });

  it('finds nothing on a day that is no milestone, and only the account whose milestone it is on another', async () => {
    expect(await findLineReviews(createConnectors({ db, env: {} }), dayAfter(1), SETTINGS)).toEqual([]);
    // 16 days on: Whole Harvest's review is past, Wildwood's is 14 days out.
    expect((await findLineReviews(createConnectors({ db, env: {} }), dayAfter(16), SETTINGS)).map((pack) => [pack.account, pack.milestone])).toEqual([
      ['Wildwood Natural Foods', 14],
    ]);
  });

  it('posts one pack per account and a bot_note; the same set again is neither drafted nor posted', async () => {
    const before = (await sql`select 1 from channel_messages where text like '%line review%days out%'`).length;
    const first = await runSalesJob(db, lineReviewPrep, { runId: 'lr-1' });
    expect(first.outcome).toBe('2 line-review packs, posted');
    const posts = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where text like '%**Whole Harvest Market**%line review%' order by id desc`;
    expect(posts[0]?.text).toContain('14 days out');
    expect(posts[0]?.text).toContain('**Velocity by SKU**');
    expect(posts[0]?.text).toContain('**Proposed new items**');
    // The offline drafter stands in for the smart model here, and says so.
    expect(posts[0]?.text).toContain(OFFLINE_LABEL);
    const notes = await sql<Array<{ severity: string; payload: { detail: { kind: string; packs: unknown[] } } }>>`
      select severity, payload from bot_signals where signal_type = 'bot_note' and payload -> 'detail' ->> 'kind' = 'line_review_prep'`;
    expect(notes.map((note) => [note.severity, note.payload.detail.packs.length])).toEqual([['info', 2]]);

    const again = await runSalesJob(db, lineReviewPrep, { runId: 'lr-2', lastFingerprint: first.fingerprint ?? null });
    expect(again.outcome).toBe('2 line-review packs, unchanged since the last run (not reposted)');
    expect(again.detail).toMatchObject({ drafted: false });
    expect((await sql`select 1 from channel_messages where text like '%line review%days out%'`).length).toBe(before + 2);
  });
});

describe('salesbot line-review-prep with Claude', () => {
  it('makes one smart call per pack, figures fenced as data, and records the cost', async () => {
    const database = await freshDatabase();
    const db = createPostgresDb({ url: database.url, poolMax: 4 });
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    const anthropic = await startFakeAnthropic();
    try {
      await loadSampleCompany(db, { now: new Date() });
      anthropic.respondWith((request) => {
        const account = /account: ([^(]+) \(/.exec(String(request.messages[0]?.content))?.[1]?.trim() ?? '?';
        return {
          text: JSON.stringify({
            narrative: `Claude: ${account} is steady.`,
            assortment: 'Keep all three; pitch the top new item.',
            promo_plan: 'One TPR in spring.',
          }),
        };
      });
      const llm = loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
      const context = buildBotServices(salesbot, { db, log: silent, host: 'test-host', llm }).context(new AbortController().signal, silent, {
        job: 'line-review-prep',
        runId: 'lr-claude',
      });
      const { result } = await runLineReviewPrep({
        ...context,
        connectors: createConnectors({ db, env: {} }),
        job: 'line-review-prep',
        runId: 'lr-claude',
        scheduledFor: new Date(),
        attempt: 1,
        manual: false,
        idempotencyKey: 'lr-claude',
        lastRun: async () => null,
      } as never);
      expect(result.drafted).toBe(true);
      expect(anthropic.requests.map((request) => request.model)).toEqual(['claude-sonnet-5-5', 'claude-sonnet-5-5']);
      expect(String(anthropic.requests[0]?.messages[0]?.content)).toMatch(/<data label="line review figures">[\s\S]*Whole Harvest Market/);
      const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where text like '%Claude: Whole Harvest Market is steady.%'`;
      expect(post?.text).not.toContain(OFFLINE_LABEL);
      const usage = await sql`select job, status from llm_usage`;
      expect(usage.map((row) => [row['job'], row['status']])).toEqual([
        ['line-review-prep', 'settled'],
        ['line-review-prep', 'settled'],
      ]);
    } finally {
      await anthropic.close();
      await sql.end();
      await db.close();
      await database.drop();
    }
  }, 60_000);
});
