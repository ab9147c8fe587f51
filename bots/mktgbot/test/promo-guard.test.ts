import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, decideApproval, getApproval, startBot, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import { adjustPromotion, answerOperator, findRiskyPromotions, promoGuard, promoGuardSettings, runPromoGuard } from '../src/index.js';
import { mktgbot } from '../src/bot.js';
import { fleetRegistry } from './fleet-registry.js';

const silent = pino({ level: 'silent' });
// Loaded at 07:00 PT; the guard runs at its catalogue time, 11:00 PT.
const LOADED_AT = new Date('2026-12-01T15:00:00Z');
const NOW = new Date('2026-12-01T19:00:00Z');
const settings = promoGuardSettings.load({});

type MktgEmail = { promotions: Array<{ id: string }> };
type Sends = { scheduled: Array<Record<string, unknown>> };

// Only the two sound promotions, plus an email during granola week that states a different discount.
function healthyVariant(withConflict: boolean): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const email = data.mktg_email as unknown as MktgEmail;
  email.promotions = email.promotions.filter((promotion) => !promotion.id.endsWith('/1101') && !promotion.id.endsWith('/1102'));
  if (withConflict)
    (data.klaviyo_sends as unknown as Sends).scheduled.push({
      id: '01JCMP7099',
      name: 'Granola week',
      brand: 'KC',
      channel: 'email',
      send_in_hours: 30,
      subject: 'Granola week: 25% off',
      body: '<p>25% off all week</p><a href="https://harborandpine.com/products/cherry-almond-granola-12oz?utm_source=klaviyo&utm_campaign=granola">Shop</a>',
      included_audiences: [{ id: 'UxNwsl', name: 'Newsletter' }],
      excluded_audiences: [{ id: 'SgUn180', name: 'Unengaged 180d' }],
    });
  return data;
}

describe('mktgbot promo-guard', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: LOADED_AT });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const context = (runId: string, lastFingerprint: string | null) => ({
    ...buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, { job: 'promo-guard', runId }),
    connectors: createConnectors({ db, env: {} }),
    job: 'promo-guard',
    runId,
    scheduledFor: NOW,
    attempt: 1,
    manual: false,
    idempotencyKey: runId,
    lastRun: async () => (lastFingerprint === null ? null : ({ fingerprint: lastFingerprint } as never)),
  });

  it('is declared on mktgbot daily at 11:00 with the catalogue thresholds as defaults', () => {
    expect(promoGuard.schedule).toBe('0 11 * * *');
    expect(promoGuard.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('promo-guard');
    expect(settings).toMatchObject({ PROMO_COVER_BUFFER_DAYS: 7, PROMO_MIN_MARGIN_PCT: 20, PROMO_FULFILMENT_COST_PER_UNIT: 2.5 });
    expect(() => promoGuardSettings.load({ PROMO_MIN_MARGIN_PCT: '120' })).toThrow(/PROMO_MIN_MARGIN_PCT/);
  });

  it('finds the low-cover Coastal Fog sale and the Trailhead 50% flash below the margin floor, and passes the two sound promotions', async () => {
    const risky = await findRiskyPromotions(createConnectors({ db, env: {} }), settings, NOW);
    // Soonest-ending first.
    expect(risky.map((promotion) => [promotion.title, promotion.risks.map((risk) => [risk.sku, risk.risk])])).toEqual([
      [
        'Trailhead coffee flash 50% off',
        [
          ['TH-101', 'below_margin'],
          ['TH-103', 'below_margin'],
        ],
      ],
      ['Coastal Fog winter sale 20% off', [['DW-104', 'low_cover']]],
    ]);
    expect(risky[0]?.risks[0]?.detail).toBe('TH-101 at 50% off sells for $8.50: after $4.76 unit cost and $2.50 fulfilment the margin is 14.6% (floor 20%)');
    expect(risky[1]?.risks[0]?.detail).toBe(
      'DW-104 Coastal Fog Candle 14oz: sold out (-30 available: orders already wait for stock) for a 9-day promotion + 7 days',
    );
  });

  it('finds nothing on a healthy variant, and a price conflict when an email during the promotion states another discount', async () => {
    for (const withConflict of [false, true]) {
      const healthy = await freshDatabase();
      const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
      try {
        await loadSampleCompany(healthyDb, { data: healthyVariant(withConflict), now: LOADED_AT });
        const risky = await findRiskyPromotions(createConnectors({ db: healthyDb, env: {} }), settings, NOW);
        expect(risky.map((promotion) => [promotion.title, promotion.risks.map((risk) => [risk.sku, risk.risk])])).toEqual(
          withConflict ? [['Granola week 15% off', [['KC-102', 'price_conflict']]]] : [],
        );
      } finally {
        await healthyDb.close();
        await healthy.drop();
      }
    }
  });

  it('posts the two promotions, raises promo_risk per promotion and risk, asks adjust_promotion for each; a rerun asks and raises nothing new', async () => {
    const first = await runPromoGuard(context('promo-1', null), settings, NOW);
    expect(first.outcome.outcome).toBe('2 risky promotions, posted');
    expect(first.signals).toBe(2);
    const signals = await sql<Array<{ severity: string; payload: { risk: string; skus: string[] } }>>`
      select severity, payload from bot_signals where signal_type = 'promo_risk' order by payload ->> 'risk'`;
    expect(signals.map((signal) => [signal.severity, signal.payload.risk, signal.payload.skus])).toEqual([
      ['warning', 'below_margin', ['TH-101', 'TH-103']],
      ['warning', 'low_cover', ['DW-104']],
    ]);
    const approvals = await sql<Array<{ title: string; draft: { ends_at: string | null; exclude_skus: string[] } }>>`
      select title, draft from approvals where action = 'adjust_promotion' order by title`;
    expect(approvals.map((approval) => approval.title)).toEqual([
      'End early: "Coastal Fog winter sale 20% off" (low cover)',
      'End early: "Trailhead coffee flash 50% off" (below margin)',
    ]);
    // DW-104 has under 7 days of cover: it cannot stay on sale at all.
    expect(approvals[0]?.draft.ends_at).toBe(NOW.toISOString());

    const again = await runPromoGuard(context('promo-2', first.outcome.fingerprint ?? null), settings, NOW);
    expect(again.outcome.outcome).toBe('2 risky promotions, unchanged since the last run (not reposted)');
    expect(again.signals).toBe(0);
    expect(again.approvals.every((approval) => !approval.created)).toBe(true);
    expect((await sql`select 1 from approvals where action = 'adjust_promotion'`).length).toBe(2);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it("answers the operator's reply to promo_risk with the figures and the pending adjustment", async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'promo_risk' and payload ->> 'risk' = 'below_margin'`;
    const [pending] = await sql<Array<{ id: string }>>`select id from approvals where action = 'adjust_promotion' and title like '%Trailhead%'`;
    const answer = await answerOperator(
      { text: 'why?', operatorMessageId: 'm1', signalId: signal?.id ?? null, approvalId: null, instructionSignalId: 's1', channel: 'local', senderId: 'op' },
      context('reply', null),
    );
    expect(answer).toMatch(/^below margin — Trailhead coffee flash 50% off \(TH-101, TH-103\): TH-101 at 50% off sells for \$8\.50/);
    expect(answer).toContain(`Approve ${pending?.id}`);
  });

  it('approving ends the Trailhead flash in the sample store once; running the executor again changes nothing', async () => {
    const [row] = await sql<Array<{ id: string }>>`select id from approvals where action = 'adjust_promotion' and title like '%Trailhead%'`;
    const approvalId = row?.id ?? '';
    const bot = await startBot(mktgbot, {
      db,
      config: testBotConfig(),
      log: silent,
      registry: fleetRegistry(),
      extensions: { connectors: createConnectors({ db, env: {} }) },
      approvals: { pollMs: 200 },
    });
    try {
      expect((await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' })).decided).toBe(true);
      const done = await waitFor(
        async () => {
          const approval = await getApproval(db, approvalId);
          return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
        },
        { what: 'adjust_promotion to execute', timeoutMs: 30_000 },
      );
      expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    } finally {
      await bot.stop();
    }
    const [promotion] = await sql<Array<{ ends_at: Date }>>`select ends_at from sample_shopify_discounts where id = 'gid://shopify/DiscountAutomaticNode/1102'`;
    expect(promotion?.ends_at.toISOString()).toBe(NOW.toISOString());
    const approval = await getApproval(db, approvalId);
    const services = buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const rerun = await adjustPromotion.execute(
      adjustPromotion.draft.parse(approval?.draft),
      { ...services, connectors: createConnectors({ db, env: {} }), approvalId, idempotencyKey: `approval:${approvalId}` },
      approval as never,
    );
    expect(rerun.changed).toBe(false);
    expect(await sql`select action from sample_shopify_discount_actions`).toEqual([{ action: 'update' }]);
    // Ended, it is no longer a risk.
    const risky = await findRiskyPromotions(createConnectors({ db, env: {} }), settings, new Date(NOW.getTime() + 60_000));
    expect(risky.map((promotion) => promotion.title)).toEqual(['Coastal Fog winter sale 20% off']);
  });
});
