import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, createMetaAdsConnector, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, startFakeMetaMarketing, type FakeMetaMarketing, type TestDatabase } from '@jbot/testkit';

const LOADED_AT = new Date('2026-12-01T15:00:00Z');

// The Meta live adapters on facebook-nodejs-business-sdk against a local server speaking the
// Marketing API's wire format (Graph v24.0 paths, access_token parameter, cursor paging,
// minor-unit budgets, Graph error bodies): nothing of ours is stubbed.
describe('Meta Ads live adapter at the transport (fake Marketing API)', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let fake: FakeMetaMarketing;
  let other: FakeMetaMarketing;

  const campaign = (id: string, name: string, cents: number) => ({
    id,
    name,
    status: 'ACTIVE',
    objective: 'OUTCOME_SALES',
    daily_budget: String(cents),
    updated_time: '2026-11-30T18:00:00+0000',
  });

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: LOADED_AT });
    fake = await startFakeMetaMarketing({
      adAccountId: 'act_100',
      account: { name: 'Harbor & Pine', account_status: 1, disable_reason: 0, spend_cap: '6000000', amount_spent: '5520000' },
      campaigns: Array.from({ length: 30 }, (_, index) =>
        campaign(
          `1202100000${String(index).padStart(5, '0')}`,
          `DW | Prospecting | Candle ${index} [DW-1${String(index).padStart(2, '0')}]`,
          15_000 + index * 100,
        ),
      ),
      campaignInsights: [
        {
          campaign_id: '120210000000000',
          date_start: '2026-11-30',
          date_stop: '2026-11-30',
          impressions: '20000',
          reach: '9000',
          frequency: '2.2',
          clicks: '300',
          ctr: '1.5',
          spend: '166.42',
          actions: [
            { action_type: 'purchase', value: '2' },
            { action_type: 'link_click', value: '280' },
          ],
        },
      ],
    });
    other = await startFakeMetaMarketing({ adAccountId: 'act_200', campaigns: [campaign('99', 'KC | Prospecting | Other account', 5_000)] });
  });
  afterAll(async () => {
    await fake?.close();
    await other?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('keeps each client on its own base URL: two accounts on two hosts in one process (the SDK global GRAPH override sent both to the last)', async () => {
    const first = createMetaAdsConnector({ accessToken: fake.accessToken, adAccountId: 'act_100', apiBase: fake.url, db });
    const second = createMetaAdsConnector({ accessToken: other.accessToken, adAccountId: 'act_200', apiBase: other.url, db });
    // Interleaved, as two connectors in one process are used: each loads its SDK client on its first call.
    expect(await first.listCampaigns()).toHaveLength(30);
    const secondCampaigns = await second.listCampaigns();
    const firstCampaigns = await first.listCampaigns();
    expect(secondCampaigns.map((row) => row.name)).toEqual(['KC | Prospecting | Other account']);
    expect(firstCampaigns).toHaveLength(30);
    expect(fake.requests.every((request) => request.path.startsWith('/v24.0/act_100'))).toBe(true);
    expect(other.requests.every((request) => request.path.startsWith('/v24.0/act_200'))).toBe(true);
  });

  it('reads campaigns (budgets from minor units, SKUs from names) and campaign-day insights with purchases', async () => {
    const ads = createConnectors({ db, env: { META_ACCESS_TOKEN: fake.accessToken, META_AD_ACCOUNT_ID: 'act_100', META_API_BASE: fake.url } }).ads;
    const campaigns = await ads.listCampaigns();
    expect(campaigns[1]).toMatchObject({ id: '120210000000001', dailyBudget: 151, promotedSkus: ['DW-101'], status: 'ACTIVE' });
    const insights = await ads.listInsights({ since: new Date('2026-11-24T00:00:00Z') });
    expect(insights).toEqual([
      { campaignId: '120210000000000', day: '2026-11-30', impressions: 20000, reach: 9000, frequency: 2.2, clicks: 300, ctr: 1.5, spend: 166.42, purchases: 2 },
    ]);
    const insightCall = fake.requests.find((request) => request.path === '/v24.0/act_100/insights');
    expect(insightCall?.query).toMatchObject({ level: 'campaign', time_increment: '1', access_token: fake.accessToken });
  });

  it('pauses a campaign once per idempotency key, even when the answer to the write is lost', async () => {
    const ads = createConnectors({ db, env: { META_ACCESS_TOKEN: fake.accessToken, META_AD_ACCOUNT_ID: 'act_100', META_API_BASE: fake.url } }).ads;
    fake.failNext({ method: 'POST', path: /\/120210000000002$/, status: 500, afterApply: true });
    await expect(ads.pauseCampaign({ campaignId: '120210000000002', idempotencyKey: 'approval:pause-1:pause:120210000000002' })).rejects.toThrow(
      /Meta campaign pause failed/,
    );
    const retried = await ads.pauseCampaign({ campaignId: '120210000000002', idempotencyKey: 'approval:pause-1:pause:120210000000002' });
    const again = await ads.pauseCampaign({ campaignId: '120210000000002', idempotencyKey: 'approval:pause-1:pause:120210000000002' });
    expect(retried).toMatchObject({ status: 'PAUSED', changed: true });
    expect(again.changed).toBe(false);
    expect(fake.state.campaigns.find((row) => row['id'] === '120210000000002')?.['status']).toBe('PAUSED');
    expect((await sql`select 1 from connector_side_effects where idempotency_key = 'approval:pause-1:pause:120210000000002'`).length).toBe(1);
  });

  it('answers an invalid token with the Graph OAuth error as a ConnectorError naming the operation', async () => {
    const ads = createMetaAdsConnector({ accessToken: 'wrong', adAccountId: 'act_100', apiBase: fake.url, db });
    await expect(ads.listCampaigns()).rejects.toThrow(/Meta campaigns list failed/);
  });
});
