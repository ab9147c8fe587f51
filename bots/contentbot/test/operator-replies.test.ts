import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, type Db, type OperatorInstruction } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { contentbot } from '../src/bot.js';
import { amazonListingHealth, amazonOfferWatch, answerOperator, coreWebVitals, productCopyGaps, reviewInsights, seoRankWatch } from '../src/index.js';
import { runContentJob } from './job-harness.js';

const silent = pino({ level: 'silent' });

describe("contentbot's answers to the operator's replies", () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
    for (const job of [amazonListingHealth, amazonOfferWatch, seoRankWatch, coreWebVitals, reviewInsights])
      await runContentJob(db, job, { runId: `setup-${job.id}` });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const signalId = async (type: string, sku?: string) => {
    const rows = await sql<
      Array<{ id: string }>
    >`select id from bot_signals where signal_type = ${type} and (${sku ?? null}::text is null or payload->>'sku' = ${sku ?? null}) order by created_at limit 1`;
    return rows[0]?.id ?? '';
  };
  const reply = async (signal: string, text: string) => {
    const context = {
      ...buildBotServices(contentbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent),
      connectors: createConnectors({ db, env: {} }),
    };
    const instruction = {
      signalId: signal,
      text,
      senderId: 'ana',
      operatorMessageId: `message-${text}`,
      channel: 'telegram',
      approvalId: null,
    } as unknown as OperatorInstruction;
    return answerOperator(instruction, context as never);
  };

  it('a suppressed listing: its status now and the pending patch_listing to approve', async () => {
    const answer = await reply(await signalId('amazon_listing_suppressed', 'KC-110'), 'what is this?');
    expect(answer).toContain('KC-110 (B0XXXXHBK7): now neither buyable nor discoverable; issues: 18027 The main image is missing');
    expect(answer).toMatch(
      /The fix is approval [0-9a-f]{8} "Patch Amazon listing KC-110 \(main_product_image_locator\)", pending: approve it to patch the listing\./,
    );
  });

  it('a lost Buy Box: who holds it now, and the MAP notice salesbot drafts', async () => {
    const answer = await reply(await signalId('buy_box_lost', 'KC-103'), 'why?');
    expect(answer).toBe(
      'KC-103 (B0XXXXH7SI): still held by A3CPRKTL0PROV at $8.49. Copper Kettle Provisions sells below our MAP of $10.00: salesbot drafts the MAP notice for approval.',
    );
  });

  it('a slow page: its last checks', async () => {
    const answer = await reply(await signalId('site_speed_regression'), 'why is it slow');
    expect(answer).toContain('/products/dw-101 (product) LCP p75 3400 against 2500. Last checks: ');
    expect(answer).toContain('3400 ms');
    expect(answer).toContain('2100 ms');
  });

  it('a search drop on a collection explains the queries; "fix the copy" says it cannot be drafted', async () => {
    const signal = await signalId('seo_regression');
    expect(await reply(signal, 'explain')).toContain('/collections/soy-candles: clicks');
    expect(await reply(signal, 'fix the copy')).toContain('It is not a product page, so product-copy-gaps cannot draft it');
  });

  it('"fix the copy" on a review topic queues the SKU, and product-copy-gaps drafts it first', async () => {
    const answer = await reply(await signalId('review_topic_alert', 'DW-101'), 'fix the copy please');
    expect(answer).toContain('Queued DW-101 for product-copy-gaps');
    expect(await db.rpc('list_copy_queue')).toEqual([
      expect.objectContaining({ sku: 'DW-101', reason: 'review topic wax tunnelling', source: 'operator:ana' }),
    ]);
    const copy = await runContentJob(db, productCopyGaps, { runId: 'copy-after-reply' });
    expect((copy.detail?.['chosen'] as string[])[0]).toBe('DW-101');
  });
});
