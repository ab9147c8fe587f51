import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { ConnectorError, createConnectors, loadSampleCompany, type Connectors } from '@jbot/connectors';

const DAY_MS = 86_400_000;

describe('sample connectors over the sample company in Postgres', () => {
  let database: TestDatabase;
  let db: Db;
  let connectors: Connectors;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    connectors = createConnectors({ db, env: {} });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('loads the company once; a second load keeps it, a reset reloads it', async () => {
    const first = await loadSampleCompany(db);
    expect(first).toMatchObject({ loaded: true, deals: 62, shipments: 8, campaigns: 12 });
    const second = await loadSampleCompany(db);
    expect(second.loaded).toBe(false);
    expect(second.loadedAt).toBe(first.loadedAt);
    const reset = await loadSampleCompany(db, { reset: true });
    expect(reset.loaded).toBe(true);
    expect(reset.deals).toBe(62);
  });

  it('picks sample implementations when no credentials are set', () => {
    expect([connectors.crm.source, connectors.freight.source, connectors.commerce.source, connectors.ads.source]).toEqual([
      'sample',
      'sample',
      'sample',
      'sample',
    ]);
  });

  it('the pipeline has exactly 2 open deals without activity for more than 14 days, 3 new this week, 1 closed-won this week', async () => {
    const deals = await connectors.crm.listDeals();
    const now = Date.now();
    const stale = deals.filter((deal) => !deal.isClosed && deal.lastActivityAt !== null && now - Date.parse(deal.lastActivityAt) > 14 * DAY_MS);
    expect(stale.map((deal) => deal.name).sort()).toEqual([
      'Cobblestone Kitchen Supply — Café shelf program (Trailhead Coffee Roasters)',
      'Whole Harvest Market — Holiday program (Driftwood Candle Co.)',
    ]);
    expect(stale.every((deal) => deal.ownerName !== null && deal.contactEmail?.includes('@'))).toBe(true);
    // No deal at all (open or closed) is untouched for more than 14 days apart from those two.
    expect(deals.filter((deal) => deal.lastActivityAt !== null && now - Date.parse(deal.lastActivityAt) > 14 * DAY_MS)).toHaveLength(2);
    expect(deals.filter((deal) => now - Date.parse(deal.createdAt) < 7 * DAY_MS)).toHaveLength(3);
    expect(deals.filter((deal) => deal.isClosedWon && deal.closedAt !== null && now - Date.parse(deal.closedAt) < 7 * DAY_MS)).toHaveLength(1);
    const owners = await connectors.crm.listOwners();
    expect(owners).toHaveLength(4);
    const contacts = await connectors.crm.listDealContacts(stale[0]?.id ?? '');
    expect(contacts[0]?.isPrimary).toBe(true);
  });

  it('sends one email per idempotency key and counts it as activity on the deal', async () => {
    const deals = await connectors.crm.listDeals();
    const stale = deals.find((deal) => deal.name.startsWith('Whole Harvest Market — Holiday'));
    if (stale === undefined || stale.contactEmail === null) throw new Error('stale deal missing');
    const input = {
      dealId: stale.id,
      to: stale.contactEmail,
      subject: 'Holiday program — checking in',
      body: 'Hi Sarah, …',
      idempotencyKey: 'approval:test-1',
    };
    const sends = await Promise.all([connectors.crm.sendEmail(input), connectors.crm.sendEmail(input), connectors.crm.sendEmail(input)]);
    expect(sends.filter((send) => send.created)).toHaveLength(1);
    expect(new Set(sends.map((send) => send.emailId)).size).toBe(1);
    const emails = await db.rpc('sample_crm_list_emails', { p_deal_id: stale.id });
    expect(emails).toHaveLength(1);
    const after = (await connectors.crm.listDeals()).find((deal) => deal.id === stale.id);
    expect(Date.now() - Date.parse(after?.lastActivityAt ?? '')).toBeLessThan(DAY_MS);

    const update = { dealId: stale.id, properties: { jbot_status: 're-engaged' }, idempotencyKey: 'approval:test-1:deal' };
    const first = await connectors.crm.updateDeal(update);
    const again = await connectors.crm.updateDeal(update);
    expect([first.applied, again.applied]).toEqual([true, false]);
    expect(first.properties['jbot_status']).toBe('re-engaged');
    const reread = (await connectors.crm.listDeals()).find((deal) => deal.id === stale.id);
    expect(reread?.properties['jbot_status']).toBe('re-engaged');
  });

  it('reports SHKGH0525145 from China 21 days late against its promised ETA, and only it beyond a few days', async () => {
    const shipments = await connectors.freight.listShipments();
    expect(shipments).toHaveLength(8);
    const late = shipments.find((shipment) => shipment.id === 'SHKGH0525145');
    expect(late).toMatchObject({ delayDays: 21, supplierCountry: 'CN' });
    expect(late?.lines.map((line) => line.sku)).toContain('DW-104');
    expect(shipments.filter((shipment) => shipment.delayDays >= 3).map((shipment) => shipment.id)).toEqual(['SHKGH0525145']);
  });

  it('imports a forwarder CSV: updates a known shipment, adds a new one, rejects a bad row by number', async () => {
    const promised = new Date(Date.now() + 10 * DAY_MS).toISOString().slice(0, 10);
    const expected = new Date(Date.now() + 15 * DAY_MS).toISOString().slice(0, 10);
    const csv = `Shipment ID,Carrier,Mode,Origin,Promised ETA,Expected ETA,Status,SKUs\nNGB0611028,COSCO,ocean,"Ningbo, CN",${promised},${expected},delayed,\nYTN0700001,Yang Ming,ocean,"Yantian, CN",${promised},${promised},in_transit,DW-102:600; DW-103:400\n`;
    const result = await connectors.freight.importCsv(csv);
    expect(result).toEqual({ inserted: 1, updated: 1, shipmentIds: ['NGB0611028', 'YTN0700001'] });
    const shipments = await connectors.freight.listShipments();
    expect(shipments.find((shipment) => shipment.id === 'NGB0611028')?.delayDays).toBe(5);
    expect(shipments.find((shipment) => shipment.id === 'NGB0611028')?.lines).toHaveLength(2); // kept: the CSV had no SKUs
    expect(shipments.find((shipment) => shipment.id === 'YTN0700001')?.lines).toEqual([
      { sku: 'DW-102', quantity: 600 },
      { sku: 'DW-103', quantity: 400 },
    ]);
    await expect(connectors.freight.importCsv('shipment_id,origin,promised_eta\nX1,Busan,next week\n')).rejects.toThrow(/row 2: promised_eta/);
    await expect(connectors.freight.importCsv('shipment_id,origin,promised_eta\nX1,Busan,next week\n')).rejects.toBeInstanceOf(ConnectorError);
  });

  it('serves a week of DTC orders, wholesale POs and inventory with committed stock', async () => {
    const orders = await connectors.commerce.listOrders();
    expect(orders.filter((order) => order.channel === 'dtc').length).toBeGreaterThan(100);
    expect(orders.every((order) => Date.now() - Date.parse(order.createdAt) <= 13 * DAY_MS)).toBe(true);
    const wholesale = orders.filter((order) => order.channel === 'wholesale');
    // Six open POs with a future window, and WO-7694 past its window (shipbot's late-orders case).
    expect(wholesale.length).toBe(7);
    expect(wholesale.every((order) => order.promisedShipDate !== null)).toBe(true);
    const inventory = await connectors.commerce.listInventory();
    // 40 SKUs at two locations: the Portland DC and the Reno overflow 3PL.
    expect(inventory).toHaveLength(80);
    const candle = inventory.find((level) => level.sku === 'DW-104');
    expect(candle?.committed).toBeGreaterThan(0);
    expect(candle?.available).toBe((candle?.onHand ?? 0) - (candle?.committed ?? 0));
    const open = await connectors.commerce.listOrders({ openOnly: true });
    expect(open.every((order) => order.fulfillmentStatus !== 'fulfilled')).toBe(true);
  });

  it('pausing a campaign changes the data, once per key', async () => {
    const campaigns = await connectors.ads.listCampaigns();
    expect(campaigns).toHaveLength(12);
    const target = campaigns.find((campaign) => campaign.promotedSkus.includes('DW-104'));
    if (target === undefined) throw new Error('no campaign promotes DW-104');
    expect(target.status).toBe('ACTIVE');
    const insights = await connectors.ads.listInsights({ campaignId: target.id });
    expect(insights).toHaveLength(7);
    // The Coastal Fog campaign is fatiguing: frequency up, CTR down across the week.
    expect((insights.at(-1)?.frequency ?? 0) > (insights[0]?.frequency ?? 0)).toBe(true);
    expect((insights.at(-1)?.ctr ?? 0) < (insights[0]?.ctr ?? 0)).toBe(true);
    const paused = await connectors.ads.pauseCampaign({
      campaignId: target.id,
      idempotencyKey: 'approval:pause-1',
      reason: 'DW-104 out of stock until SHKGH0525145 lands',
    });
    expect(paused).toEqual({ campaignId: target.id, status: 'PAUSED', changed: true });
    const repeat = await connectors.ads.pauseCampaign({ campaignId: target.id, idempotencyKey: 'approval:pause-1' });
    expect(repeat.changed).toBe(false);
    const reread = (await connectors.ads.listCampaigns()).find((campaign) => campaign.id === target.id);
    expect(reread?.status).toBe('PAUSED');
  });

  it('has the rest of the company: Klaviyo flows, Amazon listings, a content calendar', async () => {
    expect((await db.rpc('sample_klaviyo_flows')).length).toBeGreaterThanOrEqual(5);
    expect((await db.rpc('sample_klaviyo_campaigns')).length).toBeGreaterThanOrEqual(4);
    expect((await db.rpc('sample_amazon_listings')).length).toBe(30);
    expect((await db.rpc('sample_content_calendar')).length).toBeGreaterThanOrEqual(10);
    const [status] = await db.rpc('sample_company_status');
    expect(status).toMatchObject({ loaded: true, name: 'Harbor & Pine Goods Co.' });
  });
});
