import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { adsbot } from '../src/bot.js';
import { creativeCompliance, fixAdCopy } from '../src/index.js';
import { fleetRegistry, runJob, silent } from './job-harness.js';

// The 10 new copies' planted problems: the acne claim (live), $24 vs the $28 live price, and a creator ad without its label.
const ACNE = 'Tidepool — clears acne (new)';
const PRICE = 'Cedar & Sea Salt — holiday price (new)';
const CREATOR = 'Gift Set — creator @saltandsage (new)';

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const creative = data.ads_creative as { ads: Array<Record<string, unknown>> };
  for (const ad of creative.ads) {
    if (ad['name'] === ACNE) ad['body'] = 'Tidepool Hydrating Serum: hyaluronic acid and sea kelp for everyday skin.';
    if (ad['name'] === PRICE) ad['body'] = 'Cedar & Sea Salt Candle, $28. Hand-poured soy, 50-hour burn.';
    if (ad['name'] === CREATOR) ad['paid_partnership_label'] = true;
  }
  return data;
}

describe('adsbot creative-compliance', () => {
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

  it('flags the acne claim (held offline for review), the wrong price and the unlabelled creator ad; raises ad_claims_risk for the live one; asks fix_ad_copy', async () => {
    expect(creativeCompliance.schedule).toBe('30 11 * * *');
    const first = await runJob(adsbot, creativeCompliance, db, { runId: 'compliance-1' });
    expect(first.outcome).toBe('3 ad copy issues, posted; fix_ad_copy asked');
    const post = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'adsbot' and text like '%Creative compliance%' or text like '%clears acne%'`;
    expect(post.length).toBeGreaterThan(0);
    const approval = await getApproval(db, String(first.detail['approvalId']));
    const fixes = (approval?.draft as { fixes: Array<{ ad: string; rules: string[]; body: string; live: boolean }> }).fixes;
    expect(fixes.map((fix) => fix.ad).sort()).toEqual([PRICE, CREATOR, ACNE].sort());
    expect(fixes.find((fix) => fix.ad === PRICE)?.rules).toEqual(['price in copy $24 ≠ live price $28']);
    expect(fixes.find((fix) => fix.ad === PRICE)?.body).toContain('$28');
    expect(fixes.find((fix) => fix.ad === CREATOR)?.rules).toEqual(['creator ad without the paid-partnership label']);
    expect(fixes.find((fix) => fix.ad === ACNE)).toMatchObject({ live: true, rules: ['efficacy claim to review (no model verdict)'] });
    const risks = await sql<Array<{ payload: Record<string, unknown> }>>`select payload from bot_signals where signal_type = 'ad_claims_risk'`;
    expect(risks.map((risk) => risk.payload['ad_name'])).toEqual([ACNE]);
    expect(String(risks[0]?.payload['excerpt'])).toContain('clears acne in 7 days');

    // Unchanged open copy: no model call, the earlier verdict stands.
    const calls = await sql`select 1 from llm_usage where bot = 'adsbot'`;
    const again = await runJob(adsbot, creativeCompliance, db, {
      runId: 'compliance-2',
      last: { fingerprint: first.fingerprint ?? null, result: first.detail },
    });
    expect(again.outcome).toContain('model skipped');
    expect(again.detail['approvalId']).toBe(first.detail['approvalId']);
    expect(await sql`select 1 from llm_usage where bot = 'adsbot'`).toHaveLength(calls.length);
  });

  it('finds nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant() });
      const result = await runJob(adsbot, creativeCompliance, healthyDb, { runId: 'compliance-healthy', manual: true });
      expect(result.outcome).toBe('nothing to report');
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('executing fix_ad_copy creates compliant PAUSED versions, activates the live one and pauses the old ads, once', async () => {
    const [row] = await sql<Array<{ id: string }>>`select id from approvals where action = 'fix_ad_copy'`;
    const approval = await getApproval(db, row?.id ?? '');
    const context = buildBotServices(adsbot, { db, log: silent, host: 'test-host', registry: fleetRegistry() }).context(new AbortController().signal, silent);
    const execution = { ...context, connectors: createConnectors({ db, env: {} }), approvalId: row?.id ?? '', idempotencyKey: `approval:${row?.id ?? ''}` };
    const first = await fixAdCopy.execute(fixAdCopy.draft.parse(approval?.draft), execution, approval as never);
    expect(first.results.every((result) => result.created)).toBe(true);
    const again = await fixAdCopy.execute(fixAdCopy.draft.parse(approval?.draft), execution, approval as never);
    expect(again.results.some((result) => result.created || result.paused)).toBe(false);
    const ads = await db.rpc('sample_ads_list_ads');
    const compliant = ads.filter((ad) => String(ad['name']).endsWith('(compliant)'));
    expect(compliant).toHaveLength(3);
    expect(compliant.find((ad) => String(ad['name']).startsWith('Tidepool'))?.['status']).toBe('ACTIVE');
    expect(compliant.find((ad) => String(ad['name']).startsWith('Gift Set'))?.['paid_partnership_label']).toBe(true);
    expect(ads.find((ad) => ad['name'] === ACNE)?.['status']).toBe('PAUSED');
  });
});
