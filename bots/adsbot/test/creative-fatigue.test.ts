import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, decideApproval, getApproval, startBot, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import { adsbot } from '../src/bot.js';
import { creativeFatigue, creativeFatigueSettings, findFatiguedAds, rotateCreatives } from '../src/index.js';
import { fleetRegistry, runJob, silent } from './job-harness.js';

const COASTAL_FOG = '23860000000101';
const QUEUED_COASTAL_FOG = '23860000000104';

// The same company with the Coastal Fog ad's audience not yet worn out (frequency 2.1, CTR steady).
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const creative = data.ads_creative as { insights: Array<Record<string, unknown>> };
  const rows = creative.insights.filter((row) => row['ad_id'] === COASTAL_FOG);
  const first = rows.find((row) => row['days_ago'] === 27);
  for (const row of rows) {
    row['frequency_7d'] = 2.1;
    row['link_clicks'] = Math.round(Number(row['impressions']) * (Number(first?.['link_clicks']) / Number(first?.['impressions'])));
  }
  return data;
}

describe('adsbot creative-fatigue', () => {
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

  it('is declared daily at 07:30 with the catalogue thresholds as defaults', () => {
    expect(creativeFatigue.schedule).toBe('30 7 * * *');
    expect(creativeFatigue.missed).toBe('once');
    expect(adsbot.jobs?.map((job) => job.id)).toEqual(['creative-fatigue', 'creative-test-readout', 'creative-briefs', 'creative-compliance']);
    expect(creativeFatigueSettings.load({})).toMatchObject({
      ADS_FATIGUE_FREQUENCY_PROSPECTING: 3.5,
      ADS_FATIGUE_FREQUENCY_RETARGETING: 6,
      ADS_FATIGUE_CTR_RATIO: 0.8,
      ADS_FATIGUE_CONSECUTIVE_DAYS: 3,
      ADS_FATIGUE_CPM_RISE_PCT: 30,
      ADS_FATIGUE_MIN_DAILY_SPEND_USD: 50,
    });
    expect(() => creativeFatigueSettings.load({ ADS_FATIGUE_CTR_RATIO: 'most' })).toThrow(/ADS_FATIGUE_CTR_RATIO/);
  });

  it('finds the planted Coastal Fog fatigue and nothing else (the near misses stay healthy)', async () => {
    const report = await findFatiguedAds(createConnectors({ db, env: {} }), creativeFatigueSettings.load({}));
    expect(report.fatigued.map((ad) => ad.ad_id)).toEqual([COASTAL_FOG]);
    const [ad] = report.fatigued;
    expect(ad).toMatchObject({ frequency_7d: 4.2, audience: 'prospecting', replacement_ad_id: QUEUED_COASTAL_FOG });
    expect(ad?.ctr_drop_pct).toBeCloseTo(32, 0);
    expect(ad?.cpm_change_pct).toBeCloseTo(35, 0);
    expect(report.spend_share_pct).toBeGreaterThanOrEqual(20);
  });

  it('finds nothing on a healthy variant of the company', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant() });
      expect((await findFatiguedAds(createConnectors({ db: healthyDb, env: {} }), creativeFatigueSettings.load({}))).fatigued).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the finding, raises ad_fatigue (alert: ≥ 20% of spend and CPM +35%) and asks rotate_creatives once', async () => {
    const first = await runJob(adsbot, creativeFatigue, db, { runId: 'fatigue-1' });
    expect(first.outcome).toBe('1 fatigued ad, posted; rotate_creatives asked');
    const posts = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'adsbot' and text like '%Coastal Fog — fog rolling in%frequency 4.2%'`;
    expect(posts).toHaveLength(1);
    const signals = await sql<
      Array<{ severity: string; payload: Record<string, unknown> }>
    >`select severity, payload from bot_signals where signal_type = 'ad_fatigue'`;
    expect(signals).toHaveLength(1);
    expect(signals[0]?.severity).toBe('alert');
    expect(signals[0]?.payload).toMatchObject({ platform: 'meta', ad_id: COASTAL_FOG, ad_set_id: '23860000000001', frequency_7d: 4.2 });
    const approval = await getApproval(db, String(first.detail['approvalId']));
    expect(approval).toMatchObject({ action: 'rotate_creatives', status: 'pending' });

    const again = await runJob(adsbot, creativeFatigue, db, { runId: 'fatigue-2', last: { fingerprint: first.fingerprint ?? null } });
    expect(again.outcome).toBe('1 fatigued ad, unchanged since the last run (not reposted); rotate_creatives asked');
    expect(again.detail['approvalId']).toBe(first.detail['approvalId']);
    expect(await sql`select 1 from bot_signals where signal_type = 'ad_fatigue'`).toHaveLength(1);
  });

  it('approving pauses Coastal Fog and activates the queued creative, once across a re-execution', async () => {
    const [row] = await sql<Array<{ id: string }>>`select id from approvals where action = 'rotate_creatives'`;
    const approvalId = row?.id ?? '';
    const bot = await startBot(adsbot, {
      db,
      config: testBotConfig(),
      log: silent,
      registry: fleetRegistry(),
      extensions: { connectors: createConnectors({ db, env: {} }) },
      approvals: { pollMs: 200 },
    });
    try {
      await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' });
      const done = await waitFor(
        async () => {
          const approval = await getApproval(db, approvalId);
          return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
        },
        { what: 'rotate_creatives to execute', timeoutMs: 30_000 },
      );
      expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    } finally {
      await bot.stop();
    }
    const ads = await db.rpc('sample_ads_list_ads');
    expect(ads.find((ad) => ad['ad_id'] === COASTAL_FOG)).toMatchObject({ status: 'PAUSED', paused_reason: 'creative fatigue' });
    expect(ads.find((ad) => ad['ad_id'] === QUEUED_COASTAL_FOG)).toMatchObject({ status: 'ACTIVE', queued: false });
    const approval = await getApproval(db, approvalId);
    const context = buildBotServices(adsbot, { db, log: silent, host: 'test-host', registry: fleetRegistry() }).context(new AbortController().signal, silent);
    const rerun = await rotateCreatives.execute(
      rotateCreatives.draft.parse(approval?.draft),
      { ...context, connectors: createConnectors({ db, env: {} }), approvalId, idempotencyKey: `approval:${approvalId}` },
      approval as never,
    );
    expect(rerun.changes.some((change) => change.changed)).toBe(false);
    expect(await db.rpc('sample_ads_list_changes')).toHaveLength(2);
  });
});
