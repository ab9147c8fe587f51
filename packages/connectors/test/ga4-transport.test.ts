import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { ConnectorError, createConnectors, loadConnectorsConfig } from '@jbot/connectors';
import { freshDatabase, startFakeGoogleMarketing, type FakeGoogleMarketing, type TestDatabase } from '@jbot/testkit';

// GA4 hours in the property's zone (Los Angeles): 2026-12-01 10:00 and 11:00 PT = 18:00 and 19:00 UTC.
const HOURS = ['2026120109', '2026120110', '2026120111', '2026120112'].flatMap((dateHour) =>
  ['desktop', 'mobile'].map((deviceCategory) => ({
    dateHour,
    deviceCategory,
    sessions: 150,
    addToCarts: 14,
    checkouts: 6,
    ecommercePurchases: deviceCategory === 'mobile' ? 1 : 4,
  })),
);

describe('GA4 live adapter at the transport (@google-analytics/data, REST fallback)', () => {
  let database: TestDatabase;
  let db: Db;
  let google: FakeGoogleMarketing;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    google = await startFakeGoogleMarketing({
      seed: {
        ga4: {
          propertyId: '312345678',
          timeZone: 'America/Los_Angeles',
          days: [
            { date: '2026-11-29', ecommercePurchases: 20, purchaseRevenue: 720.5 },
            { date: '2026-11-30', ecommercePurchases: 6, purchaseRevenue: 210 },
          ],
          hours: HOURS,
        },
      },
    });
    env = {
      GA4_PROPERTY_ID: '312345678',
      GA4_API_BASE: google.url,
      GOOGLE_OAUTH_CLIENT_ID: google.clientId,
      GOOGLE_OAUTH_CLIENT_SECRET: google.clientSecret,
      GOOGLE_OAUTH_REFRESH_TOKEN: google.refreshToken,
      GOOGLE_OAUTH_TOKEN_URL: google.tokenUrl,
    };
  });
  afterAll(async () => {
    await google?.close();
    await db?.close();
    await database?.drop();
  });

  it('picks GA4 when the property and the OAuth client are set; a property without OAuth is a config error naming the variables', () => {
    expect(createConnectors({ db, env }).analytics.source).toBe('ga4');
    expect(createConnectors({ db, env: {} }).analytics.source).toBe('sample');
    expect(() => loadConnectorsConfig({ GA4_PROPERTY_ID: '312345678' })).toThrow(/GA4_PROPERTY_ID.*GOOGLE_OAUTH_CLIENT_ID/);
    expect(() => loadConnectorsConfig({ ...env, GA4_PROPERTY_ID: 'G-ABC123' })).toThrow(/GA4_PROPERTY_ID.*digits only/);
  });

  it('daily purchases: one runReport with date × ecommercePurchases, purchaseRevenue, sent by the SDK with a bearer token', async () => {
    const days = await createConnectors({ db, env }).analytics.dailyPurchases({ from: '2026-11-29', to: '2026-11-30' });
    expect(days).toEqual([
      { day: '2026-11-29', purchases: 20, revenue: 720.5 },
      { day: '2026-11-30', purchases: 6, revenue: 210 },
    ]);
    const call = google.requests.find((request) => request.path === '/v1beta/properties/312345678:runReport');
    expect(call?.body).toMatchObject({
      dateRanges: [{ startDate: '2026-11-29', endDate: '2026-11-30' }],
      dimensions: [{ name: 'date' }],
      metrics: [{ name: 'ecommercePurchases' }, { name: 'purchaseRevenue' }],
    });
    expect(String(call?.headers['authorization'])).toMatch(/^Bearer ya29\.fake-marketing-/);
    expect(String(call?.headers['x-goog-api-client'])).toMatch(/gl-node/);
  });

  it("hourly funnel: dateHour in the property's zone becomes the hour's instant, filtered to the range", async () => {
    const hours = await createConnectors({ db, env }).analytics.hourlyFunnel({ from: new Date('2026-12-01T18:00:00Z'), to: new Date('2026-12-01T20:00:00Z') });
    expect(hours.map((hour) => [hour.hour, hour.device, hour.purchases])).toEqual([
      ['2026-12-01T18:00:00.000Z', 'desktop', 4],
      ['2026-12-01T18:00:00.000Z', 'mobile', 1],
      ['2026-12-01T19:00:00.000Z', 'desktop', 4],
      ['2026-12-01T19:00:00.000Z', 'mobile', 1],
    ]);
  });

  it('a refused refresh token is a ConnectorError naming the API, without the token', async () => {
    const error = await createConnectors({ db, env: { ...env, GOOGLE_OAUTH_REFRESH_TOKEN: '1//revoked-token' } })
      .analytics.dailyPurchases({ from: '2026-11-29', to: '2026-11-30' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(String((error as Error).message)).toMatch(/Google Analytics Data runReport/);
    expect(String((error as Error).message)).not.toContain('1//revoked-token');
  });
});
