import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, startFakeHubSpot, startHoldingProxy, waitFor, type FakeHubSpot, type HoldingProxy, type TestDatabase } from '@jbot/testkit';
import {
  createHubSpotCrmConnector,
  createMetaAdsConnector,
  loadConnectorsConfig,
  createShopifyCommerceConnector,
  hubspotObjectsFromSample,
  readSampleCompanyData,
  VendorCallAbortedError,
  VendorTimeoutError,
} from '@jbot/connectors';

// Vendors that accept the connection and never answer: a holding proxy in front of the fake
// HubSpot (and of nothing in particular for Shopify and Meta, whose requests are only held).
describe("every live vendor call has a timeout and honours the run's abort signal", () => {
  let database: TestDatabase;
  let db: Db;
  let hubspot: FakeHubSpot;
  let proxy: HoldingProxy;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    const objects = hubspotObjectsFromSample(readSampleCompanyData(), new Date());
    hubspot = await startFakeHubSpot({ seed: { owners: objects.owners, objects: { deals: objects.deals, contacts: objects.contacts } } });
    proxy = await startHoldingProxy(hubspot.url);
    proxy.holdWhen(() => true);
  });
  afterAll(async () => {
    for (const held of [...proxy.held]) held.drop();
    await proxy.close();
    await hubspot.close();
    await db.close();
    await database.drop();
  });

  it('CONNECTOR_TIMEOUT_MS: 30 s by default, parsed, and a bad value names the variable', () => {
    expect(loadConnectorsConfig({}).timeoutMs).toBe(30_000);
    expect(loadConnectorsConfig({ CONNECTOR_TIMEOUT_MS: '5000' }).timeoutMs).toBe(5000);
    expect(() => loadConnectorsConfig({ CONNECTOR_TIMEOUT_MS: 'forever' })).toThrow(/CONNECTOR_TIMEOUT_MS/);
  });

  it('HubSpot: a read that gets no answer fails at its timeout as retry-later, and its connection is closed', async () => {
    const crm = createHubSpotCrmConnector({ accessToken: hubspot.accessToken, basePath: proxy.url, db, timeoutMs: 200 });
    const error = await crm.listDeals().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VendorTimeoutError);
    expect(error).toMatchObject({ code: 'vendor_timeout', retryAfterMs: 5000, facts: { vendor: 'HubSpot', operation: 'owners list', timeoutMs: 200 } });
    // Whether the timeout landed before or after the request went out, no connection outlives it.
    await waitFor(() => proxy.held.every((held) => !held.callerConnected()), { what: 'the timed-out request to close its connection' });
  });

  it('HubSpot: aborting the run ends an email create in flight, releases its ledger row, and claims nothing afterwards', async () => {
    const run = new AbortController();
    const crm = createHubSpotCrmConnector({ accessToken: hubspot.accessToken, basePath: proxy.url, db, timeoutMs: 60_000, abortSignal: run.signal });
    const heldBefore = proxy.held.length;
    const sending = crm
      .sendEmail({ dealId: '1', to: 'buyer@example.com', subject: 'Hello', body: 'Hi', idempotencyKey: 'run:abort:email' })
      .catch((caught: unknown) => caught);
    const held = await waitFor(() => proxy.held[heldBefore], { what: 'the create to be in flight' });
    run.abort(new Error('the handler passed its deadline'));
    const error = await sending;
    expect(error).toBeInstanceOf(VendorCallAbortedError);
    expect((error as Error).message).toBe('HubSpot email create was aborted: the handler passed its deadline');
    await waitFor(() => !held.callerConnected(), { what: 'the aborted create to close its connection' });
    // Released: the next attempt recovers (looks at HubSpot first) instead of waiting out a lease.
    const [row] = await db.rpc<{ status: string; error: string }>('list_side_effects', { p_connector: 'hubspot', p_limit: 1 });
    expect(row).toMatchObject({ status: 'pending', error: 'HubSpot email create was aborted: the handler passed its deadline' });
    const claimed = await db.rpc<{ state: string }>('claim_side_effect', {
      p_idempotency_key: 'run:abort:email',
      p_connector: 'hubspot',
      p_action: 'email.create',
    });
    expect(claimed[0]?.state).toBe('recover');
    // An aborted run starts no further side effect: no request, no ledger row.
    const requests = proxy.held.length;
    await expect(crm.updateDeal({ dealId: '1', properties: { jbot_status: 'x' }, idempotencyKey: 'run:abort:deal' })).rejects.toBeInstanceOf(
      VendorCallAbortedError,
    );
    expect(proxy.held.length).toBe(requests);
    expect((await db.rpc('list_side_effects', { p_connector: 'hubspot' })).map((effect) => effect['idempotency_key'])).not.toContain('run:abort:deal');
  });

  it('Shopify: a query that gets no answer fails at its timeout and its fetch is aborted', async () => {
    const commerce = createShopifyCommerceConnector({
      storeDomain: 'harbor-pine.myshopify.com',
      accessToken: 'shpat_test',
      apiVersion: '2025-07',
      apiBase: proxy.url,
      timeoutMs: 200,
    });
    const heldBefore = proxy.held.length;
    await expect(commerce.listOrders()).rejects.toMatchObject({ code: 'vendor_timeout', facts: { vendor: 'Shopify' } });
    // On a loaded machine the 200 ms deadline can pass before the proxy even accepts the request;
    // either way no connection of this call may stay open.
    await waitFor(() => proxy.held.slice(heldBefore).every((held) => !held.callerConnected()), {
      what: 'the timed-out Shopify request to close its connection',
    });
  });

  it('Meta: a call that gets no answer fails at its timeout, and an aborted run is answered at once', async () => {
    const ads = createMetaAdsConnector({ accessToken: 'meta-test-token', adAccountId: 'act_1', apiBase: proxy.url, db, timeoutMs: 200 });
    await expect(ads.listCampaigns()).rejects.toMatchObject({ code: 'vendor_timeout', facts: { vendor: 'Meta', operation: 'campaigns list' } });
    const run = new AbortController();
    run.abort(new Error('stopping'));
    const aborted = createMetaAdsConnector({
      accessToken: 'meta-test-token',
      adAccountId: 'act_1',
      apiBase: proxy.url,
      db,
      timeoutMs: 60_000,
      abortSignal: run.signal,
    });
    await expect(aborted.listCampaigns()).rejects.toBeInstanceOf(VendorCallAbortedError);
  });
});
