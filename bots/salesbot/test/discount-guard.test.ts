import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { salesbot } from '../src/bot.js';
import { approveDealPricing, discountGuard, discountGuardSettings, findPricingExceptions, marginException } from '../src/index.js';
import { approveAndWait, executionContext, liveConnectors, runSalesJob, startSampleHubSpot } from './sales-job-harness.js';

// The 3 planted lines below the floor: CFO tier first, then the larger deal. [deal, tier, sku, % off list].
const PLANTED = [
  ['18200340533', 'cfo', 'SM-107', 28],
  ['18200340221', 'finance', 'SM-101', 17],
  ['18200340208', 'finance', 'KC-109', 18],
];

describe('salesbot discount-guard', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;
  const settings = discountGuardSettings.load({});
  const list = (found: Awaited<ReturnType<typeof findPricingExceptions>>) =>
    found.flatMap((exception) => exception.lines.map((line) => [exception.deal_id, exception.tier, line.sku, line.discount_pct]));

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
    hubspot = await startSampleHubSpot();
  });
  afterAll(async () => {
    await hubspot?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared for weekdays at 11:30 with the catalogue floor as its default', () => {
    expect(discountGuard.schedule).toBe('30 11 * * 1-5');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('discount-guard');
    expect(settings).toMatchObject({
      SALES_FINANCE_DISCOUNT_PCT: 15,
      SALES_FINANCE_MARGIN_PCT: 35,
      SALES_CFO_DISCOUNT_PCT: 25,
      SALES_CFO_MARGIN_PCT: 25,
      SALES_MARGIN_EXCEPTION_DEAL_USD: 20_000,
    });
  });

  it('finds the 3 lines below the floor; the 5–10% discounts elsewhere pass', async () => {
    const found = await findPricingExceptions({ connectors: createConnectors({ db, env: {} }) }, settings);
    expect(list(found)).toEqual(PLANTED);
    // 28% off $6.00 → $4.32 against a $3.36 cost: 22.2% margin; the floor is the 35%-margin price, $5.17 (above the 15%-off $5.10).
    expect(found[0]?.lines[0]).toMatchObject({ unit_price: 4.32, margin_pct: 22.2, floor_price: 5.17 });
    expect(found[0]?.deal_value).toBeGreaterThanOrEqual(20_000);
  });

  it('finds the same through the live HubSpot connector (line items via associations v4, products) at the fake', async () => {
    expect(list(await findPricingExceptions({ connectors: liveConnectors(db, hubspot) }, settings))).toEqual(PLANTED);
    expect(hubspot.requests.some((request) => request.path === '/crm/v3/objects/line_items/batch/read')).toBe(true);
  });

  it('finds nothing when every line is at most 10% off', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      const data: SampleCompanyData = structuredClone(readSampleCompanyData());
      for (const line of (data.hubspot_activity as { line_items: Array<{ discount_pct: number }> }).line_items)
        line.discount_pct = Math.min(line.discount_pct, 10);
      await loadSampleCompany(healthyDb, { data });
      expect(await findPricingExceptions({ connectors: createConnectors({ db: healthyDb, env: {} }) }, settings)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('raises margin_exception (warning) for the $20k deal only, posts, and asks one sign-off per deal; a rerun repeats nothing', async () => {
    const first = await runSalesJob(db, discountGuard, { runId: 'pricing-1' });
    expect(first.outcome).toBe('3 underpriced deals, posted; margin_exception ×1');
    const [signal] = await sql<
      Array<{ severity: string; payload: unknown }>
    >`select severity, payload from bot_signals where id = ${(first.detail['signals'] as string[])[0] ?? ''}`;
    expect(signal?.severity).toBe('warning');
    expect(marginException.schema.parse(signal?.payload)).toMatchObject({
      deal_id: '18200340533',
      min_margin_pct: 22.2,
      lines: [{ sku: 'SM-107', price: 4.32, discount_pct: 28 }],
    });
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%need pricing sign-off%'`;
    expect(post?.text).toContain('• SM-107 Rosehip Lip Balm 3-pack: $4.32 vs list $6 (28% off, margin 22.2%); floor $5.17');
    const approvals = first.detail['approvals'] as string[];
    expect(await getApproval(db, approvals[0] ?? '')).toMatchObject({
      action: 'approve_deal_pricing',
      title: expect.stringMatching(/^CFO group: sign off pricing on Fieldstone Market/),
    });
    expect((await getApproval(db, approvals[0] ?? ''))?.signalId).toBe((first.detail['signals'] as string[])[0]);
    const again = await runSalesJob(db, discountGuard, { runId: 'pricing-2', lastFingerprint: first.fingerprint ?? null });
    expect(again.outcome).toBe('3 underpriced deals, unchanged since the last run (not reposted); margin_exception ×1');
    expect(again.detail['approvals']).toEqual(approvals);
    expect(await sql`select 1 from bot_signals where signal_type = 'margin_exception'`).toHaveLength(1);
  });

  it('approving records pricing_approved on the deal once, and the deal is no longer listed', async () => {
    const approvalId = ((await runSalesJob(db, discountGuard, { runId: 'pricing-3', manual: true })).detail['approvals'] as string[])[2] ?? '';
    const done = await approveAndWait(db, approvalId);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    const [deal] = await sql<Array<{ properties: Record<string, string> }>>`select properties from sample_deals where id = '18200340208'`;
    expect(deal?.properties).toMatchObject({ pricing_approved: 'true', pricing_approved_by: 'finance' });
    const approval = await getApproval(db, approvalId);
    const rerun = await approveDealPricing.execute(
      approveDealPricing.draft.parse(approval?.draft),
      executionContext(db, createConnectors({ db, env: {} }), approvalId),
      approval as never,
    );
    expect(rerun.applied_now).toBe(false);
    expect(list(await findPricingExceptions({ connectors: createConnectors({ db, env: {} }) }, settings)).map((row) => row[0])).toEqual([
      '18200340533',
      '18200340221',
    ]);
  });

  it('at the fake HubSpot: one PATCH of the deal across a retry', async () => {
    const live = liveConnectors(db, hubspot);
    const [exception] = await findPricingExceptions({ connectors: live }, settings);
    const draft = approveDealPricing.draft.parse({
      deal_id: exception?.deal_id,
      deal: exception?.deal,
      tier: exception?.tier,
      deal_value: exception?.deal_value,
      lines: exception?.lines,
    });
    const execution = executionContext(db, live, 'live-pricing');
    expect((await approveDealPricing.execute(draft, execution, {} as never)).applied_now).toBe(true);
    expect((await approveDealPricing.execute(draft, execution, {} as never)).applied_now).toBe(false);
    expect(hubspot.dealUpdates().filter((update) => update.objectId === exception?.deal_id)).toHaveLength(1);
    expect(hubspot.store.table('deals').get(exception?.deal_id ?? '')?.properties['pricing_approved']).toBe('true');
  });
});
