import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { buildBotServices, createPostgresDb, type BotContext, type Db } from '@jbot/core';
import { createConnectors, hubspotObjectsFromSample, loadSampleCompany, readSampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeHubSpot, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { findDealChanges, hubspotSync, isoWeek, previousSync, runHubSpotSync } from '../src/jobs/hubspot-sync.js';
import { salesbot } from '../src/bot.js';

const STALE_NAMES = [
  'Whole Harvest Market — Holiday program (Driftwood Candle Co.)',
  'Cobblestone Kitchen Supply — Café shelf program (Trailhead Coffee Roasters)',
];

describe('salesbot hubspot-sync', () => {
  let database: TestDatabase;
  let db: Db;
  let hubspot: FakeHubSpot;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db);
    const objects = hubspotObjectsFromSample(readSampleCompanyData(), new Date());
    hubspot = await startFakeHubSpot({ seed: { owners: objects.owners, objects: { deals: objects.deals, contacts: objects.contacts } } });
  });
  afterAll(async () => {
    await hubspot.close();
    await db.close();
    await database.drop();
  });

  function context(connectors = createConnectors({ db, env: {} })): BotContext & { connectors: typeof connectors; scheduledFor: Date; manual: boolean } {
    const log = pino({ level: 'silent' });
    return {
      ...buildBotServices(salesbot, { db, log, host: 'test' }).context(new AbortController().signal, log),
      connectors,
      scheduledFor: new Date(),
      manual: true,
    };
  }

  it('is declared on salesbot for weekdays at 08:30', () => {
    expect(salesbot.jobs?.map((job) => job.id).slice(0, 2)).toEqual(['hubspot-sync', 'deal-hygiene']);
    expect(hubspotSync.schedule).toBe('30 8 * * 1-5');
  });

  it('finds 3 new, 2 stale (most neglected first) and 1 closed-won deal in the sample pipeline', async () => {
    const changes = await findDealChanges(createConnectors({ db, env: {} }), new Date());
    expect(changes.newDeals).toHaveLength(3);
    expect(changes.staleDeals.map((deal) => deal.name)).toEqual([STALE_NAMES[1], STALE_NAMES[0]]);
    expect(changes.staleDeals.map((deal) => deal.days_since_activity)).toEqual([23, 18]);
    expect(changes.staleDeals.every((deal) => deal.owner !== undefined && deal.last_activity_at !== undefined)).toBe(true);
    expect(changes.closedWon.map((deal) => deal.name)).toEqual(['Northbound Outfitters — Opening order (Kettle & Crumb)']);
    // The stage as people know it in HubSpot, not its internal id.
    expect(changes.staleDeals.map((deal) => deal.stage)).toEqual(['Decision maker bought-in', 'Presentation scheduled']);
    expect(changes.closedWon[0]?.stage).toBe('Closed won');
  });

  it('finds the same changes through the live HubSpot connector at the fake', async () => {
    const live = createConnectors({ db, env: { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url } });
    const changes = await findDealChanges(live, new Date());
    expect([changes.newDeals.length, changes.staleDeals.length, changes.closedWon.length]).toEqual([3, 2, 1]);
    expect(changes.staleDeals.map((deal) => deal.name).sort()).toEqual([...STALE_NAMES].sort());
  });

  it('emits one stale_deals warning per week with the catalog payload; a rerun the same week only bumps it', async () => {
    const first = await runHubSpotSync(context());
    expect(first.signalId).not.toBeNull();
    expect(first.deduplicated).toBe(false);
    const again = await runHubSpotSync(context());
    expect(again).toMatchObject({ signalId: first.signalId, deduplicated: true });
    const [row] = await db.rpc('get_signal', { p_signal_id: first.signalId });
    expect(row).toMatchObject({ signal_type: 'stale_deals', severity: 'warning', source_bot: 'salesbot', dedupe_key: `stale_deals:${isoWeek(new Date())}` });
    const payload = row?.['payload'] as { deals: Array<{ name: string }>; threshold_days: number; new_deals: unknown[]; closed_won: unknown[] };
    expect(payload.deals.map((deal) => deal.name).sort()).toEqual([...STALE_NAMES].sort());
    expect([payload.threshold_days, payload.new_deals.length, payload.closed_won.length]).toEqual([14, 3, 1]);
  });

  it('reports closed-won deals since the previous weekday sync', () => {
    // Monday 2026-11-30 08:30 UTC → the previous sync was Friday 2026-11-27 08:30.
    expect(previousSync(new Date('2026-11-30T08:30:00Z'), 'UTC').toISOString()).toBe('2026-11-27T08:30:00.000Z');
    expect(previousSync(new Date('2026-12-01T08:30:00Z'), 'UTC').toISOString()).toBe('2026-11-30T08:30:00.000Z');
    expect(isoWeek(new Date('2026-11-30T08:30:00Z'))).toBe('2026-W49');
    expect(isoWeek(new Date('2027-01-01T08:30:00Z'))).toBe('2026-W53');
  });
});
