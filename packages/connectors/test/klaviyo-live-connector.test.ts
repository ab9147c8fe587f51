import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, startFakeKlaviyo, type FakeKlaviyo, type FakeKlaviyoCampaign, type TestDatabase } from '@jbot/testkit';
import { ConnectorError, createConnectors, createKlaviyoConnector } from '../src/index.js';

const EMAIL_HTML =
  '<html><body><a href="https://harborandpine.com/products/coastal-fog-candle-14oz?utm_source=klaviyo&amp;utm_campaign=fog">Shop</a> {{ first_name|default:\'there\' }}</body></html>';

const seedCampaigns = (): FakeKlaviyoCampaign[] => [
  {
    id: '01JEMAIL1',
    name: 'Coastal Fog is back',
    channel: 'email',
    status: 'Scheduled',
    sendTime: '2026-12-02T15:00:00+00:00',
    subject: 'Coastal Fog is back',
    body: EMAIL_HTML,
    included: ['UxNwsl'],
    excluded: ['SgUn180'],
  },
  {
    id: '01JEMAIL2',
    name: 'Gift guide',
    channel: 'email',
    status: 'Scheduled',
    sendTime: '2026-12-04T15:00:00+00:00',
    subject: 'Gifts under $50',
    body: '<p>Gifts</p>',
    included: ['UxNwsl'],
    excluded: [],
  },
  {
    id: '01JEMAIL3',
    name: 'Old newsletter',
    channel: 'email',
    status: 'Sent',
    sendTime: '2026-11-20T15:00:00+00:00',
    subject: 'Hi',
    body: '<p>Hi</p>',
    included: ['UxNwsl'],
    excluded: [],
  },
  {
    id: '01JSMS1',
    name: 'Holiday roast tonight',
    channel: 'sms',
    status: 'Scheduled',
    sendTime: '2026-12-02T02:30:00+00:00',
    subject: null,
    body: 'Trailhead: roast drop https://harborandpine.com/collections/trailhead-coffee',
    included: ['UxSms1'],
    excluded: [],
  },
];

describe('Klaviyo live connector (klaviyo-api) at a fake Klaviyo speaking JSON:API', () => {
  let database: TestDatabase;
  let db: Db;
  let klaviyo: FakeKlaviyo;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
  });
  beforeEach(async () => {
    await klaviyo?.close();
    // A page size of 1 makes every listing follow links.next.
    klaviyo = await startFakeKlaviyo({
      pageSize: 1,
      seed: {
        campaigns: seedCampaigns(),
        lists: [
          { id: 'UxNwsl', name: 'Newsletter' },
          { id: 'UxSms1', name: 'SMS Subscribers' },
        ],
        segments: [{ id: 'SgUn180', name: 'Unengaged 180d' }],
      },
    });
  });
  afterAll(async () => {
    await klaviyo?.close();
    await db?.close();
    await database?.drop();
  });

  const live = () => createConnectors({ db, env: { KLAVIYO_API_KEY: klaviyo.apiKey, KLAVIYO_API_BASE: klaviyo.url } }).klaviyo;

  it('is chosen by KLAVIYO_API_KEY; without it the sample adapter serves', () => {
    expect(live().source).toBe('klaviyo');
    expect(createConnectors({ db, env: {} }).klaviyo.source).toBe('sample');
  });

  it('lists scheduled email and SMS campaigns across pages, with email HTML from the template and audience names', async () => {
    const campaigns = await live().listScheduledCampaigns();
    expect(campaigns.map((campaign) => [campaign.id, campaign.channel, campaign.sendAt])).toEqual([
      ['01JSMS1', 'sms', '2026-12-02T02:30:00.000Z'],
      ['01JEMAIL1', 'email', '2026-12-02T15:00:00.000Z'],
      ['01JEMAIL2', 'email', '2026-12-04T15:00:00.000Z'],
    ]);
    const email = campaigns.find((campaign) => campaign.id === '01JEMAIL1');
    expect(email).toMatchObject({
      status: 'scheduled',
      subject: 'Coastal Fog is back',
      body: EMAIL_HTML,
      includedAudiences: [{ id: 'UxNwsl', name: 'Newsletter' }],
      excludedAudiences: [{ id: 'SgUn180', name: 'Unengaged 180d' }],
    });
    expect(campaigns.find((campaign) => campaign.id === '01JSMS1')?.body).toContain('trailhead-coffee');
    // Every request carries the SDK's revision; campaigns are listed per channel with the status filter.
    expect(klaviyo.requests.every((request) => request.revision === '2026-07-15')).toBe(true);
    const listings = klaviyo.requests.filter((request) => request.path.startsWith('/api/campaigns?')).map((request) => decodeURIComponent(request.path));
    expect(listings.some((path) => path.includes("and(equals(messages.channel,'email'),equals(status,'Scheduled'))"))).toBe(true);
    expect(listings.some((path) => path.includes("equals(messages.channel,'sms')"))).toBe(true);
    expect(listings.some((path) => path.includes('page[cursor]=1'))).toBe(true);
  });

  it('unschedules a campaign once (send job reverted to draft), across a retry and a repeat', async () => {
    const connector = live();
    const first = await connector.unscheduleCampaign({ campaignId: '01JEMAIL1', idempotencyKey: 'approval:k1:unschedule:01JEMAIL1', reason: 'sold out' });
    expect(first).toEqual({ campaignId: '01JEMAIL1', status: 'draft', changed: true });
    const again = await connector.unscheduleCampaign({ campaignId: '01JEMAIL1', idempotencyKey: 'approval:k1:unschedule:01JEMAIL1' });
    expect(again.changed).toBe(false);
    expect(klaviyo.sendJobActions).toEqual([{ campaignId: '01JEMAIL1', action: 'revert' }]);
    expect(klaviyo.campaigns.get('01JEMAIL1')?.status).toBe('Draft');
    const patch = klaviyo.requests.find((request) => request.method === 'PATCH');
    expect(patch?.body).toEqual({ data: { type: 'campaign-send-job', id: '01JEMAIL1', attributes: { action: 'revert' } } });
  });

  it('a revert whose answer was lost is found at Klaviyo on the retry, not sent twice', async () => {
    const connector = live();
    klaviyo.failNext({ method: 'PATCH', path: /campaign-send-jobs/, status: 500, afterApply: true });
    await expect(connector.unscheduleCampaign({ campaignId: '01JSMS1', idempotencyKey: 'approval:k2:unschedule:01JSMS1' })).rejects.toThrow(ConnectorError);
    expect(klaviyo.campaigns.get('01JSMS1')?.status).toBe('Draft');
    const retry = await connector.unscheduleCampaign({ campaignId: '01JSMS1', idempotencyKey: 'approval:k2:unschedule:01JSMS1' });
    expect(retry).toMatchObject({ campaignId: '01JSMS1', status: 'draft' });
    expect(klaviyo.sendJobActions).toEqual([{ campaignId: '01JSMS1', action: 'revert' }]);
  });

  it('waits out a 429 with Retry-After and answers', async () => {
    klaviyo.failNext({ method: 'GET', path: /^\/api\/lists$/, status: 429, retryAfter: 1 });
    const campaigns = await live().listScheduledCampaigns();
    expect(campaigns).toHaveLength(3);
    expect(klaviyo.requests.filter((request) => request.path.startsWith('/api/lists')).length).toBeGreaterThanOrEqual(3);
  });

  it('a bad key is a ConnectorError with Klaviyo’s detail and the status, never the key', async () => {
    const connector = createKlaviyoConnector({ apiKey: 'pk_wrong_secret', apiBase: klaviyo.url, db });
    const failure = await connector.listScheduledCampaigns().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConnectorError);
    expect(String((failure as Error).message)).toMatch(/HTTP 401.*Missing or invalid private key/);
    expect(String((failure as Error).message)).not.toContain('pk_wrong_secret');
  });
});
