import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, startFakeHubSpot, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import {
  ConnectorError,
  createConnectors,
  hubspotObjectsFromSample,
  readSampleCompanyData,
  SideEffectInFlightError,
  type CrmConnector,
} from '@jbot/connectors';

const DAY_MS = 86_400_000;

describe('live HubSpot connector against the fake HubSpot at HUBSPOT_API_BASE', () => {
  let database: TestDatabase;
  let db: Db;
  let hubspot: FakeHubSpot;
  let crm: CrmConnector;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    const objects = hubspotObjectsFromSample(readSampleCompanyData(), new Date());
    hubspot = await startFakeHubSpot({ seed: { owners: objects.owners, objects: { deals: objects.deals, contacts: objects.contacts } } });
    // A one-second lease so the "crashed mid-call" case can be recovered inside the test.
    crm = createConnectors({
      db,
      env: { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url, CONNECTOR_SIDE_EFFECT_LEASE_SECONDS: '1' },
    }).crm;
  });
  afterAll(async () => {
    await hubspot.close();
    await db.close();
    await database.drop();
  });

  it('is chosen by HUBSPOT_ACCESS_TOKEN and lists every deal with owners and last activity, across pages', async () => {
    expect(crm.source).toBe('hubspot');
    const deals = await crm.listDeals();
    expect(deals).toHaveLength(62);
    expect(hubspot.requests.filter((request) => request.path === '/crm/v3/objects/deals').length).toBe(1); // one page of up to 100
    const stale = deals.filter((deal) => !deal.isClosed && deal.lastActivityAt !== null && Date.now() - Date.parse(deal.lastActivityAt) > 14 * DAY_MS);
    expect(stale.map((deal) => deal.name).sort()).toEqual([
      'Cobblestone Kitchen Supply — Café shelf program (Trailhead Coffee Roasters)',
      'Whole Harvest Market — Holiday program (Driftwood Candle Co.)',
    ]);
    expect(stale.every((deal) => deal.ownerName !== null)).toBe(true);
    expect(deals.filter((deal) => deal.isClosedWon)).toHaveLength(8);
    const contacts = await crm.listDealContacts(stale[0]?.id ?? '');
    expect(contacts[0]?.email).toMatch(/@/);
  });

  it('sends one email per idempotency key even when retried, concurrently or after success', async () => {
    const [deal] = (await crm.listDeals()).filter((candidate) => candidate.name.startsWith('Whole Harvest Market — Holiday'));
    if (deal === undefined) throw new Error('deal missing');
    const input = {
      dealId: deal.id,
      to: 'sarah.bennett@wholeharvestmarket.com',
      subject: 'Holiday program',
      body: 'Hi Sarah',
      idempotencyKey: 'approval:a1:email',
    };
    const first = await crm.sendEmail(input);
    const retry = await crm.sendEmail(input);
    expect(first.created).toBe(true);
    expect(retry).toMatchObject({ created: false, emailId: first.emailId });
    const emails = hubspot.emailsCreated();
    expect(emails).toHaveLength(1);
    expect(emails[0]?.properties['jbot_idempotency_key']).toBe('approval:a1:email');
    expect(emails[0]?.associations['deals']).toEqual([deal.id]);
    // Logging the email is activity: the deal is no longer stale.
    const after = (await crm.listDeals()).find((candidate) => candidate.id === deal.id);
    expect(Date.now() - Date.parse(after?.lastActivityAt ?? '')).toBeLessThan(DAY_MS);

    // Another process holds the key mid-call: this attempt is told to wait and sends nothing.
    await db.rpc('claim_side_effect', { p_idempotency_key: 'approval:a2:email', p_connector: 'hubspot', p_action: 'email.create', p_lease_seconds: 600 });
    await expect(crm.sendEmail({ ...input, idempotencyKey: 'approval:a2:email' })).rejects.toBeInstanceOf(SideEffectInFlightError);
    expect(hubspot.emailsCreated()).toHaveLength(1);
  });

  it('recovers a send whose response was lost after HubSpot created the email, without sending twice', async () => {
    const [deal] = await crm.listDeals();
    if (deal === undefined) throw new Error('no deal');
    const input = { dealId: deal.id, to: 'buyer@example.com', subject: 'Notice', body: 'Freight delay', idempotencyKey: 'approval:a3:email' };
    const before = hubspot.emailsCreated().length;
    hubspot.failNext({ method: 'POST', path: /\/crm\/v3\/objects\/emails$/, status: 502, afterApply: true });
    await expect(crm.sendEmail(input)).rejects.toBeInstanceOf(ConnectorError);
    expect(hubspot.emailsCreated()).toHaveLength(before + 1); // it landed
    const recovered = await crm.sendEmail(input); // failure released the lease: this attempt looks first
    expect(recovered.created).toBe(false);
    expect(hubspot.emailsCreated()).toHaveLength(before + 1);
    expect(hubspot.requests.some((request) => request.path === '/crm/v3/objects/emails/search')).toBe(true);

    // A failure before anything landed: the retry finds nothing and sends once.
    hubspot.failNext({ method: 'POST', path: /\/crm\/v3\/objects\/emails$/, status: 500 });
    await expect(crm.sendEmail({ ...input, idempotencyKey: 'approval:a4:email' })).rejects.toThrow(/HTTP 500/);
    expect((await crm.sendEmail({ ...input, idempotencyKey: 'approval:a4:email' })).created).toBe(true);
    expect(hubspot.emailsCreated()).toHaveLength(before + 2);
  });

  it('updates a deal once per key', async () => {
    const [deal] = (await crm.listDeals()).filter((candidate) => candidate.name.startsWith('Cobblestone'));
    if (deal === undefined) throw new Error('deal missing');
    const update = { dealId: deal.id, properties: { jbot_status: 're-engaged' }, idempotencyKey: 'approval:a1:deal' };
    const results = [await crm.updateDeal(update), await crm.updateDeal(update), await crm.updateDeal(update)];
    expect(results.map((result) => result.applied)).toEqual([true, false, false]);
    expect(hubspot.dealUpdates()).toHaveLength(1);
    expect(hubspot.store.table('deals').get(deal.id)?.properties['jbot_status']).toBe('re-engaged');
    const [ledger] = await db.rpc('list_side_effects', { p_connector: 'hubspot', p_limit: 1 });
    expect(ledger).toMatchObject({ idempotency_key: 'approval:a1:deal', status: 'done', action: 'deal.update' });
  });

  it('turns a HubSpot error into a ConnectorError naming the operation', async () => {
    const error = await crm
      .updateDeal({ dealId: '404404', properties: { jbot_status: 'x' }, idempotencyKey: 'approval:a5:deal' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).facts).toMatchObject({ operation: 'deal update', status: 404 });
  });
});
