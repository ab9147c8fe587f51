import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, decideApproval, getApproval, startBot, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import { answerOperator, discountCodeLeak, discountLeakSettings, judgeCodes, replacementCode, runDiscountLeak } from '../src/index.js';
import { mktgbot } from '../src/bot.js';
import { fleetRegistry } from './fleet-registry.js';

const silent = pino({ level: 'silent' });
// Loaded at 07:00 PT; the check runs at its catalogue time, 10:00 PT.
const LOADED_AT = new Date('2026-12-01T15:00:00Z');
const NOW = new Date('2026-12-01T18:00:00Z');
const settings = discountLeakSettings.load({});

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  (data.mktg_email as { code_spikes: unknown[] }).code_spikes = [];
  return data;
}

async function judgeOn(db: Db) {
  const connectors = createConnectors({ db, env: {} });
  const [discounts, redemptions, collaborations] = await Promise.all([
    connectors.discounts.listDiscounts(),
    connectors.discounts.listCodeRedemptions({ since: new Date(NOW.getTime() - 15 * 86_400_000), until: NOW }),
    db.rpc('creator_collabs_list'),
  ]);
  const creators = new Map(collaborations.map((row) => [String(row['discount_code']).toUpperCase(), String(row['creator'])]));
  return judgeCodes(discounts, redemptions, creators, settings, NOW);
}

describe('mktgbot discount-code-leak', () => {
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
    ...buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, { job: 'discount-code-leak', runId }),
    connectors: createConnectors({ db, env: {} }),
    job: 'discount-code-leak',
    runId,
    scheduledFor: NOW,
    attempt: 1,
    manual: false,
    idempotencyKey: runId,
    lastRun: async () => (lastFingerprint === null ? null : ({ fingerprint: lastFingerprint } as never)),
  });

  it('is declared on mktgbot daily at 10:00 with the catalogue thresholds as defaults', () => {
    expect(discountCodeLeak.schedule).toBe('0 10 * * *');
    expect(discountCodeLeak.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('discount-code-leak');
    expect(settings).toMatchObject({ LEAK_SPIKE_MULTIPLE: 3, LEAK_MIN_DAILY: 30, LEAK_MEDIAN_DAYS: 14, LEAK_COUPON_SHARE_PCT: 40, LEAK_CREATOR_MULTIPLE: 5 });
    expect(() => discountLeakSettings.load({ LEAK_SPIKE_MULTIPLE: 'x' })).toThrow(/LEAK_SPIKE_MULTIPLE/);
  });

  it('finds SALTMARSH20 (the saltmarsh.sisters creator code) spiking from coupon sites, and no other code of the ten', async () => {
    const leaked = await judgeOn(db);
    expect(leaked.map((code) => [code.code, code.creator, code.reasons.length])).toEqual([['SALTMARSH20', 'saltmarsh.sisters', 3]]);
    expect(leaked[0]?.redemptions_today).toBeGreaterThanOrEqual(80);
    expect(leaked[0]?.coupon_share).toBeGreaterThanOrEqual(0.5);
    expect(leaked[0]?.reasons[0]).toMatch(/^\d+ redemptions in 24 h, over 3× its 14-day median of \d+(\.5)?\/day$/);
  });

  it('finds nothing on a healthy variant of the company', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      expect(await judgeOn(healthyDb)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('replaces a code with the next number of its stem, skipping codes in use (the code studiobot gives the creator)', () => {
    expect(replacementCode('SALTMARSH20', new Set())).toBe('SALTMARSH21');
    expect(replacementCode('SALTMARSH20', new Set(['SALTMARSH21']))).toBe('SALTMARSH22');
    expect(replacementCode('WELCOME', new Set())).toBe('WELCOME1');
  });

  it('posts the leak, raises discount_leak and asks disable_discount_code; a rerun asks and raises nothing new', async () => {
    const first = await runDiscountLeak(context('leak-1', null), settings, NOW);
    expect(first.outcome.outcome).toBe('1 leaked code, posted');
    expect(first.signals).toBe(1);
    const [signal] = await sql<Array<{ severity: string; payload: { code: string; creator: string } }>>`
      select severity, payload from bot_signals where signal_type = 'discount_leak'`;
    expect([signal?.severity, signal?.payload.code, signal?.payload.creator]).toEqual(['warning', 'SALTMARSH20', 'saltmarsh.sisters']);
    const approvals = await sql<
      Array<{ title: string; draft: { replacement_code: string } }>
    >`select title, draft from approvals where action = 'disable_discount_code'`;
    expect(approvals).toHaveLength(1);
    expect(approvals[0]?.draft.replacement_code).toBe('SALTMARSH21');
    expect(approvals[0]?.title).toMatch(/^Disable leaked code SALTMARSH20 \(\d+ uses in 24 h\) and replace it with SALTMARSH21$/);

    const again = await runDiscountLeak(context('leak-2', first.outcome.fingerprint ?? null), settings, NOW);
    expect(again.outcome.outcome).toBe('1 leaked code, unchanged since the last run (not reposted)');
    expect(again.signals).toBe(0);
    expect(again.approvals[0]?.created).toBe(false);
    expect((await sql`select 1 from approvals where action = 'disable_discount_code'`).length).toBe(1);
  });

  it("answers the operator's reply to discount_leak with the figures and the pending disable", async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'discount_leak'`;
    const answer = await answerOperator(
      { text: '?', operatorMessageId: 'm1', signalId: signal?.id ?? null, approvalId: null, instructionSignalId: 's1', channel: 'local', senderId: 'op' },
      context('reply', null),
    );
    expect(answer).toMatch(
      /^discount leak — SALTMARSH20 \(saltmarsh\.sisters\): \d+ redemptions in the last 24 h vs a median of \d+(\.5)?\/day, \d+% referred by coupon sites\. Approve /,
    );
  });

  it('approving deactivates SALTMARSH20 and creates SALTMARSH21 once; the leak is then gone', async () => {
    const [row] = await sql<Array<{ id: string }>>`select id from approvals where action = 'disable_discount_code'`;
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
        { what: 'disable_discount_code to execute', timeoutMs: 30_000 },
      );
      expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    } finally {
      await bot.stop();
    }
    const codes = await sql<Array<{ code: string; status: string; percent: string }>>`
      select code, status, percent from sample_shopify_discounts where code like 'SALTMARSH%' order by code`;
    expect(codes.map((code) => [code.code, code.status, Number(code.percent)])).toEqual([
      ['SALTMARSH20', 'EXPIRED', 20],
      ['SALTMARSH21', 'ACTIVE', 20],
    ]);
    expect(await judgeOn(db)).toEqual([]);
  });
});
