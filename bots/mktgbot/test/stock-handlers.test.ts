import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, createSignalEmitter, decideApproval, getApproval, startBot, type Db, type RunningBot } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import { pauseCampaigns } from '../src/index.js';
import { mktgbot } from '../src/bot.js';
import { fleetRegistry } from './fleet-registry.js';

const silent = pino({ level: 'silent' });
const registry = fleetRegistry();
const COASTAL_FOG = '120210000000000';

// mktgbot's answers to shipbot's stock signals, tested with emitted signals of the catalogued shape.
describe('mktgbot stock handlers: expiring_inventory → create_clearance_promo, back_in_stock → resume_campaigns', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let bot: RunningBot;
  const shipbot = () => createSignalEmitter({ db, registry, bot: 'shipbot' });

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
    bot = await startBot(mktgbot, {
      db,
      config: testBotConfig(),
      log: silent,
      registry,
      extensions: { connectors: createConnectors({ db, env: {} }) },
      approvals: { pollMs: 200 },
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const approveAndWait = async (approvalId: string) => {
    expect((await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' })).decided).toBe(true);
    const done = await waitFor(
      async () => {
        const approval = await getApproval(db, approvalId);
        return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
      },
      { what: `approval ${approvalId} to execute`, timeoutMs: 30_000 },
    );
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
  };
  const handled = (dedupeKey: string) =>
    waitFor(
      async () =>
        (
          await sql`select 1 from signal_receipts r join bot_signals s on s.id = r.signal_id where s.dedupe_key = ${dedupeKey} and r.consumer_bot = 'mktgbot' and r.status = 'handled'`
        ).length > 0
          ? true
          : null,
      { what: `${dedupeKey} handled by mktgbot`, timeoutMs: 30_000 },
    );

  it('an expiring lot gets one clearance proposal (25% keeps the margin), however often the signal repeats; approved, the discount exists once', async () => {
    const expiry = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const lot = { sku: 'TH-105', lot: 'TH2418A', expiry, units: 40, days_to_sell_through: 14 };
    await shipbot().emit('expiring_inventory', lot, { dedupeKey: 'expiring-1' });
    await shipbot().emit('expiring_inventory', { ...lot, days_to_sell_through: 15 }, { dedupeKey: 'expiring-2' });
    await handled('expiring-1');
    await handled('expiring-2');
    const asked = await sql<Array<{ id: string; title: string; draft: { percent: number; ends_at: string; clearance_price: number } }>>`
      select id, title, draft from approvals where action = 'create_clearance_promo'`;
    expect(asked).toHaveLength(1);
    expect(asked[0]?.title).toBe(`Clearance promo: 25% off TH-105 Decaf Night Hike 12oz until ${expiry} (40 units of lot TH2418A expiring)`);
    expect(asked[0]?.draft).toMatchObject({ percent: 25, clearance_price: 12.75, ends_at: `${expiry}T00:00:00.000Z` });
    await approveAndWait(asked[0]?.id ?? '');
    const promotions = await sql<Array<{ title: string; skus: string[]; percent: string; kind: string }>>`
      select title, skus, percent, kind from sample_shopify_discounts where title like 'Clearance:%'`;
    expect(promotions.map((promotion) => [promotion.kind, promotion.skus, Number(promotion.percent)])).toEqual([['automatic', ['TH-105'], 25]]);
  });

  it('back_in_stock resumes only what mktgbot paused, only once every SKU the campaign promotes is in stock, once', async () => {
    const services = buildBotServices(mktgbot, { db, log: silent, host: 'test-host' });
    const { approval: pause } = await services.approvals.request({
      action: pauseCampaigns,
      title: 'Pause Coastal Fog while DW-104 is out',
      draft: {
        campaigns: [
          { campaign_id: COASTAL_FOG, campaign: 'DW | Prospecting | Coastal Fog Candle', skus: 'DW-104 Coastal Fog Candle 14oz (out 2026-12-01 → 2026-12-20)' },
        ],
      },
      requestKey: 'pause-coastal-fog-test',
    });
    await approveAndWait(pause.id);
    expect((await createConnectors({ db, env: {} }).ads.listCampaigns()).find((campaign) => campaign.id === COASTAL_FOG)?.status).toBe('PAUSED');

    // DW-104 still has orders waiting on stock: nothing is resumed.
    await shipbot().emit('back_in_stock', { sku: 'DW-104', days_of_cover: 0 }, { dedupeKey: 'back-1' });
    await handled('back-1');
    expect((await sql`select 1 from approvals where action = 'resume_campaigns'`).length).toBe(0);
    // A SKU mktgbot paused nothing for asks nothing either.
    await shipbot().emit('back_in_stock', { sku: 'KC-101', days_of_cover: 30 }, { dedupeKey: 'back-2' });
    await handled('back-2');
    expect((await sql`select 1 from approvals where action = 'resume_campaigns'`).length).toBe(0);

    // The restock lands.
    await sql`update sample_inventory set on_hand = on_hand + 600 where sku = 'DW-104'`;
    await shipbot().emit('back_in_stock', { sku: 'DW-104', days_of_cover: 24 }, { dedupeKey: 'back-3' });
    await shipbot().emit('back_in_stock', { sku: 'DW-104', days_of_cover: 25 }, { dedupeKey: 'back-4' });
    await handled('back-3');
    await handled('back-4');
    const asked = await sql<
      Array<{ id: string; title: string; draft: { paused_by: string } }>
    >`select id, title, draft from approvals where action = 'resume_campaigns'`;
    expect(asked).toHaveLength(1);
    expect(asked[0]?.draft.paused_by).toBe(pause.id);
    await approveAndWait(asked[0]?.id ?? '');
    expect((await createConnectors({ db, env: {} }).ads.listCampaigns()).find((campaign) => campaign.id === COASTAL_FOG)?.status).toBe('ACTIVE');
    expect(await sql`select action from sample_ad_actions where campaign_id = ${COASTAL_FOG} order by applied_at`).toEqual([
      { action: 'pause' },
      { action: 'resume' },
    ]);
  });
});
