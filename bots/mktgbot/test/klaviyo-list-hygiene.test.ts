import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, decideApproval, getApproval, startBot, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import { judgeMembers, klaviyoListHygiene, listHygieneSettings, runListHygiene } from '../src/index.js';
import { mktgbot } from '../src/bot.js';
import { fleetRegistry } from './fleet-registry.js';

const silent = pino({ level: 'silent' });
// Loaded Sunday 2026-12-06 at 11:00 PT; the pass runs at its catalogue time, 19:00 PT.
const LOADED_AT = new Date('2026-12-06T19:00:00Z');
const NOW = new Date('2026-12-07T03:00:00Z');
const settings = listHygieneSettings.load({});

function smallSegment(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const [segment] = (data.mktg_email as { segments: Array<{ qualifying: number }> }).segments;
  if (segment !== undefined) segment.qualifying = 600;
  return data;
}

describe('mktgbot klaviyo-list-hygiene', () => {
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

  const context = (runId: string, database_ = db) => ({
    ...buildBotServices(mktgbot, { db: database_, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, {
      job: 'klaviyo-list-hygiene',
      runId,
    }),
    connectors: createConnectors({ db: database_, env: {} }),
    job: 'klaviyo-list-hygiene',
    runId,
    scheduledFor: NOW,
    attempt: 1,
    manual: false,
    idempotencyKey: runId,
    lastRun: async () => null,
  });

  it('is declared on mktgbot Sundays at 19:00 with the catalogue rules as defaults', () => {
    expect(klaviyoListHygiene.schedule).toBe('0 19 * * 0');
    expect(klaviyoListHygiene.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('klaviyo-list-hygiene');
    expect(settings).toMatchObject({
      KLAVIYO_UNENGAGED_DAYS: 180,
      KLAVIYO_NO_ORDER_DAYS: 365,
      KLAVIYO_SUNSET_GRACE_DAYS: 30,
      KLAVIYO_HYGIENE_MIN_PROFILES: 1000,
    });
    expect(() => listHygieneSettings.load({ KLAVIYO_UNENGAGED_SEGMENT: 'Unengaged' })).toThrow(/KLAVIYO_UNENGAGED_SEGMENT/);
  });

  it('finds 18,400 of the unengaged segment qualifying, keeping the recent buyers and the sunset-flow entrants', async () => {
    const members = await createConnectors({ db, env: {} }).klaviyo.segmentProfiles('SgUn180');
    const verdict = judgeMembers(members, settings, NOW);
    expect([members.length, verdict.qualifying.length, verdict.recentBuyers.length, verdict.inSunsetFlow.length, verdict.engagedRecently.length]).toEqual([
      18_950, 18_400, 310, 240, 0,
    ]);
  });

  it('asks nothing when fewer than 1,000 qualify', async () => {
    const small = await freshDatabase();
    const smallDb = createPostgresDb({ url: small.url, poolMax: 2 });
    try {
      await loadSampleCompany(smallDb, { data: smallSegment(), now: LOADED_AT });
      const result = await runListHygiene(context('small', smallDb), settings, NOW);
      expect([result.outcome, result.verdict.qualifying.length, result.approval]).toEqual(['nothing to report', 600, null]);
      expect((await smallDb.rpc('list_approvals', { p_status: null, p_bot: 'mktgbot', p_limit: 10 }).catch(() => [])).length).toBe(0);
    } finally {
      await smallDb.close();
      await small.drop();
    }
  });

  it('asks suppress_unengaged_profiles once; approved, the 18,400 are suppressed once and the kept 550 are not', async () => {
    const first = await runListHygiene(context('hygiene-1'), settings, NOW);
    expect(first.outcome).toBe(
      '18,400 of 18,950 in "Unengaged 180d" qualify (kept: 310 recent buyers, 240 in the sunset flow, 0 engaged since); suppress_unengaged_profiles asked',
    );
    const again = await runListHygiene(context('hygiene-2'), settings, NOW);
    expect(again.approval).toEqual({ id: first.approval?.id, created: false });
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);

    const approvalId = first.approval?.id ?? '';
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
        { what: 'suppress_unengaged_profiles to execute', timeoutMs: 30_000 },
      );
      expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    } finally {
      await bot.stop();
    }
    const [counts] = await sql<Array<{ suppressed: number; kept: number }>>`
      select count(*) filter (where suppressed_at is not null)::int as suppressed, count(*) filter (where suppressed_at is null)::int as kept
        from sample_klaviyo_segment_profiles`;
    expect(counts).toEqual({ suppressed: 18_400, kept: 550 });
    expect((await sql`select 1 from sample_klaviyo_suppression_jobs`).length).toBe(1);
  });
});
