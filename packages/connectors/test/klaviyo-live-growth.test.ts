import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, startFakeKlaviyo, type FakeKlaviyo, type FakeKlaviyoForm, type TestDatabase } from '@jbot/testkit';
import { createConnectors } from '../src/index.js';

const END = new Date('2026-12-01T16:30:00Z');
const days = (count: number) =>
  Array.from({ length: count }, (_, index) => new Date(Date.parse('2026-12-01T00:00:00Z') - (count - index) * 86_400_000).toISOString().slice(0, 10));

const forms = (): FakeKlaviyoForm[] => [
  { id: 'Fm7Pop', name: 'Mobile pop-up', status: 'live', daily: days(30).map((day, index) => ({ day, views: 2400, submits: index >= 28 ? 10 : 98 })) },
  { id: 'FmFoot', name: 'Footer sign-up', status: 'live', daily: days(30).map((day) => ({ day, views: 900, submits: 11 })) },
];

describe('Klaviyo live growth and drafts (klaviyo-api) at the fake Klaviyo', () => {
  let database: TestDatabase;
  let db: Db;
  let klaviyo: FakeKlaviyo;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
  });
  beforeEach(async () => {
    await klaviyo?.close();
    klaviyo = await startFakeKlaviyo({
      pageSize: 1,
      seed: {
        metrics: [
          { id: 'RESQ6t', name: 'Placed Order' },
          { id: 'SubL01', name: 'Subscribed to List' },
          { id: 'UnsL01', name: 'Unsubscribed from List' },
        ],
        lists: [{ id: 'UxNwsl', name: 'Newsletter' }],
        segments: [{ id: 'SgUn180', name: 'Unengaged 180d' }],
        growth: {
          forms: forms(),
          segmentMembers: {
            SgUn180: Array.from({ length: 250 }, (_, index) => ({
              id: `01P${String(index).padStart(4, '0')}`,
              email: `subscriber${index}@example.com`,
              properties: index === 0 ? { last_order_at: '2026-10-01T12:00:00Z', last_engaged_at: '2026-03-01T00:00:00Z' } : {},
            })),
          },
          metricDaily: {
            'Subscribed to List': days(30).map((day) => ({ day, count: 240 })),
            'Unsubscribed from List': days(30).map((day, index) => ({ day, count: index === 29 ? 300 : 45 })),
          },
        },
      },
    });
  });
  afterAll(async () => {
    await klaviyo?.close();
    await db?.close();
    await database?.drop();
  });

  const live = () => createConnectors({ db, env: { KLAVIYO_API_KEY: klaviyo.apiKey, KLAVIYO_API_BASE: klaviyo.url } }).klaviyo;

  it('reads every form with its daily views and submits from one form series report', async () => {
    const reports = await live().formReports({ end: END, days: 30 });
    expect(reports.map((report) => [report.id, report.name, report.status, report.days.length])).toEqual([
      ['Fm7Pop', 'Mobile pop-up', 'live', 30],
      ['FmFoot', 'Footer sign-up', 'live', 30],
    ]);
    expect(reports[0]?.days.slice(-3)).toEqual([
      { day: '2026-11-28', views: 2400, submits: 98 },
      { day: '2026-11-29', views: 2400, submits: 10 },
      { day: '2026-11-30', views: 2400, submits: 10 },
    ]);
    const series = klaviyo.requests.filter((request) => request.path === '/api/form-series-reports');
    expect(series).toHaveLength(1);
    expect(series[0]?.body).toMatchObject({
      data: { type: 'form-series-report', attributes: { interval: 'daily', group_by: ['form_id'], statistics: ['viewed_form', 'submits'] } },
    });
  });

  it('reads daily list growth from the Subscribed to List and Unsubscribed from List aggregates', async () => {
    const growth = await live().subscriberGrowth({ end: END, days: 30 });
    expect(growth).toHaveLength(30);
    expect(growth[growth.length - 1]).toEqual({ day: '2026-11-30', subscribed: 240, unsubscribed: 300 });
    const aggregates = klaviyo.requests.filter((request) => request.path === '/api/metric-aggregates');
    expect(aggregates.map((request) => (request.body as { data: { attributes: { metric_id: string } } }).data.attributes.metric_id)).toEqual([
      'SubL01',
      'UnsL01',
    ]);
  });

  it('waits out a 429 on the form series report (Retry-After) and answers', async () => {
    klaviyo.failNext({ method: 'POST', path: /^\/api\/form-series-reports$/, status: 429, retryAfter: 1 });
    const reports = await live().formReports({ end: END, days: 30 });
    expect(reports).toHaveLength(2);
    expect(klaviyo.requests.filter((request) => request.path === '/api/form-series-reports')).toHaveLength(2);
  });

  it('creates a campaign draft with its CODE template once per key, across a repeat and a lost answer', async () => {
    const input = {
      idempotencyKey: 'approval:d1:draft:CC-341',
      name: '[CC-341] Trailhead holiday coffee gift guide',
      brand: 'TH',
      subject: 'The coffee gift guide',
      previewText: 'Three gifts for the coffee person',
      html: '<html><body><p>Gifts</p></body></html>',
      includedAudiences: [{ id: 'UxNwsl', name: 'Newsletter' }],
      excludedAudiences: [{ id: 'SgUn180', name: 'Unengaged 180d' }],
      sendAt: '2026-12-04T17:00:00.000Z',
      calendarEntryId: 'CC-341',
    };
    const first = await live().createCampaignDraft(input);
    expect(first).toMatchObject({ status: 'draft', created: true });
    const again = await live().createCampaignDraft(input);
    expect(again).toEqual({ ...first, created: false });
    const made = klaviyo.campaigns.get(first.campaignId);
    expect(made).toMatchObject({
      name: input.name,
      status: 'Draft',
      subject: 'The coffee gift guide',
      body: input.html,
      included: ['UxNwsl'],
      excluded: ['SgUn180'],
    });
    expect(klaviyo.requests.filter((request) => request.method === 'POST' && request.path === '/api/campaigns')).toHaveLength(1);
    const created = klaviyo.requests.find((request) => request.method === 'POST' && request.path === '/api/campaigns');
    expect(created?.body).toMatchObject({
      data: { attributes: { 'campaign-messages': { data: [{ attributes: { definition: { content: { preview_text: input.previewText } } } }] } } },
    });

    // The template assignment's answer is lost after it landed: the retry finds the draft by name.
    klaviyo.failNext({ method: 'POST', path: /^\/api\/campaign-message-assign-template$/, status: 500, afterApply: true });
    const key = { ...input, idempotencyKey: 'approval:d2:draft:CC-342', name: '[CC-342] Granola sampler' };
    await expect(live().createCampaignDraft(key)).rejects.toThrow(/HTTP 500/);
    const recovered = await live().createCampaignDraft(key);
    expect(recovered.created).toBe(false);
    expect([...klaviyo.campaigns.values()].filter((campaign) => campaign.name === key.name)).toHaveLength(1);
  });

  it('reads a segment across pages with the dates hygiene needs, and suppresses it once: one segment job, or by email 100 to a job when members are kept', async () => {
    const members = await live().segmentProfiles('SgUn180');
    expect(members).toHaveLength(250);
    expect(members[0]).toEqual({
      id: '01P0000',
      email: 'subscriber0@example.com',
      lastEngagedAt: '2026-03-01T00:00:00.000Z',
      lastOrderAt: '2026-10-01T12:00:00.000Z',
      sunsetFlowAt: null,
    });
    const whole = await live().suppressSegment({ idempotencyKey: 'approval:h1:suppress:SgUn180', segmentId: 'SgUn180', excludeProfileIds: [] });
    expect(whole).toMatchObject({ suppressed: 250, jobs: 1, changed: true });
    expect(klaviyo.suppressionJobs).toEqual([{ segmentId: 'SgUn180', emails: [] }]);
    const again = await live().suppressSegment({ idempotencyKey: 'approval:h1:suppress:SgUn180', segmentId: 'SgUn180', excludeProfileIds: [] });
    expect(again.changed).toBe(false);
    expect(klaviyo.suppressionJobs).toHaveLength(1);
    const keeping = await live().suppressSegment({ idempotencyKey: 'approval:h2:suppress:SgUn180', segmentId: 'SgUn180', excludeProfileIds: ['01P0000'] });
    expect(keeping).toMatchObject({ suppressed: 249, jobs: 3 });
    expect(klaviyo.suppressionJobs.slice(1).map((job) => job.emails.length)).toEqual([100, 100, 49]);
    expect(klaviyo.suppressionJobs.slice(1).flatMap((job) => job.emails)).not.toContain('subscriber0@example.com');
  });

  it('lists every campaign of both channels whatever its status, drafts included', async () => {
    expect(await live().listCampaigns()).toEqual([]);
    klaviyo.campaigns.set('01JSMS9', {
      id: '01JSMS9',
      name: 'Roast drop',
      channel: 'sms',
      status: 'Sent',
      sendTime: '2026-11-20T17:00:00+00:00',
      subject: null,
      body: 'hi',
      included: ['UxNwsl'],
      excluded: [],
    });
    const { campaignId } = await live().createCampaignDraft({
      idempotencyKey: 'approval:d3:draft:CC-343',
      name: '[CC-343] Spotlight',
      brand: null,
      subject: 'Spotlight',
      previewText: '',
      html: '<p>x</p>',
      includedAudiences: [{ id: 'UxNwsl', name: 'Newsletter' }],
      excludedAudiences: [],
      sendAt: null,
      calendarEntryId: 'CC-343',
    });
    expect((await live().listCampaigns()).map((campaign) => [campaign.id, campaign.channel, campaign.status])).toEqual([
      [campaignId, 'email', 'draft'],
      ['01JSMS9', 'sms', 'sent'],
    ]);
  });
});
