import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBotServices, createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, metaGraphObjectsFromSample, readSampleCompanyData, type Connectors } from '@jbot/connectors';
import { freshDatabase, startFakeGraphApi, type FakeGraphApi, type TestDatabase } from '@jbot/testkit';
import { adsbot } from '../src/bot.js';
import { createAdDrafts, creativeFatigueSettings, creativeTestSettings, findFatiguedAds, readCreativeTests, rotateCreatives } from '../src/index.js';
import { fleetRegistry, silent } from './job-harness.js';

const COASTAL_FOG = '23860000000101';
const QUEUED_COASTAL_FOG = '23860000000104';

// The Meta creative half of the existing ads connector, on facebook-nodejs-business-sdk, against a fake Graph API.
describe('adsbot on the live Meta Ads connector (fake Graph API)', () => {
  let database: TestDatabase;
  let db: Db;
  let graph: FakeGraphApi;
  let live: Connectors;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    await loadSampleCompany(db);
    const objects = metaGraphObjectsFromSample(readSampleCompanyData());
    graph = await startFakeGraphApi(objects);
    live = createConnectors({
      db,
      env: { META_ACCESS_TOKEN: graph.accessToken, META_AD_ACCOUNT_ID: objects.adAccountId, META_API_BASE: graph.url, META_PAGE_ID: '100000000000001' },
    });
  });
  afterAll(async () => {
    await graph?.close();
    await db?.close();
    await database?.drop();
  });

  const execution = (approvalId: string) => ({
    ...buildBotServices(adsbot, { db, log: silent, host: 'test-host', registry: fleetRegistry() }).context(new AbortController().signal, silent),
    connectors: live,
    approvalId,
    idempotencyKey: `approval:${approvalId}`,
  });

  it('finds the Coastal Fog fatigue from ad-level insights (daily rows + the 7-day frequency call)', async () => {
    const report = await findFatiguedAds(live, creativeFatigueSettings.load({}));
    expect(report.fatigued.map((ad) => [ad.ad_id, ad.frequency_7d, ad.replacement_ad_id])).toEqual([[COASTAL_FOG, 4.2, QUEUED_COASTAL_FOG]]);
    const insightCalls = graph.requests.filter((request) => request.path.endsWith('/insights'));
    expect(insightCalls.every((request) => request.query['level'] === 'ad')).toBe(true);
    expect(insightCalls.some((request) => request.query['after'] !== undefined)).toBe(true);
    expect(insightCalls.some((request) => request.query['date_preset'] === 'last_7d')).toBe(true);
  });

  it('rotates through POST /{ad-id} status once per ad, across a re-execution', async () => {
    const draft = rotateCreatives.draft.parse({
      reason: 'creative fatigue',
      rotations: [{ pause_ad_id: COASTAL_FOG, pause_ad: 'Coastal Fog', activate_ad_id: QUEUED_COASTAL_FOG, activate_ad: 'queued' }],
    });
    await rotateCreatives.execute(draft, execution('rotate-1'), {} as never);
    await rotateCreatives.execute(draft, execution('rotate-1'), {} as never);
    const statusWrites = graph.writes.filter((write) => write.body['status'] !== undefined && !write.path.endsWith('/ads'));
    expect(statusWrites.map((write) => [write.path.split('/').at(-1), write.body['status']])).toEqual([
      [QUEUED_COASTAL_FOG, 'ACTIVE'],
      [COASTAL_FOG, 'PAUSED'],
    ]);
  });

  it('creates an ad draft as AdCreative + Ad PAUSED, once even when the answer to the ad create is lost', async () => {
    const draft = createAdDrafts.draft.parse({
      ad_set_id: '23860000000001',
      brief: 'UGC for Coastal Fog',
      ads: [
        {
          name: 'DW | social-proof 1 (UGC)',
          title: 'Loved on rainy days',
          body: 'A customer’s Coastal Fog evening.',
          format: 'ugc_video',
          hook: 'social-proof',
          asset_id: 'UGC-IG-1',
          ugc: false,
          sku: 'DW-104',
        },
      ],
    });
    graph.failNext({ method: 'POST', path: /\/ads$/, afterApply: true });
    await expect(createAdDrafts.execute(draft, execution('drafts-1'), {} as never)).rejects.toThrow(/Meta ad create failed/);
    await createAdDrafts.execute(draft, execution('drafts-1'), {} as never);
    const created = graph.writes.filter((write) => write.path.endsWith('/ads'));
    expect(created).toHaveLength(1);
    expect(created[0]?.body).toMatchObject({ adset_id: '23860000000001', status: 'PAUSED' });
  });

  it('reads creative tests from ad sets labelled creative_test (none in this account: an empty list, not an error)', async () => {
    expect(await readCreativeTests(live, creativeTestSettings.load({}))).toEqual([]);
  });
});
