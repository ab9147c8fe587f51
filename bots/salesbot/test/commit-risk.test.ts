import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { salesbot } from '../src/bot.js';
import { commitAtRisk, commitRisk, commitRiskSettings, findCommitRisk } from '../src/index.js';
import { liveConnectors, runSalesJob, startSampleHubSpot } from './sales-job-harness.js';

// The 3 planted late-stage deals idle 7–12 days (largest first): [deal, stage, idle days, amount].
const PLANTED = [
  ['18200340533', 'contractsent', 12, 18000],
  ['18200340468', 'contractsent', 7, 17900],
  ['18200340260', 'decisionmakerboughtin', 8, 13200],
];

describe('salesbot commit-risk', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;
  const settings = commitRiskSettings.load({});
  const list = (risk: Awaited<ReturnType<typeof findCommitRisk>>) => risk.deals.map((deal) => [deal.deal_id, deal.stage, deal.idle_days, deal.amount]);

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
    hubspot = await startSampleHubSpot();
  });
  afterAll(async () => {
    await hubspot?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared for weekdays at 14:00 with the catalogue thresholds as defaults', () => {
    expect(commitRisk.schedule).toBe('0 14 * * 1-5');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('commit-risk');
    expect(settings).toMatchObject({
      SALES_COMMIT_CONTRACT_IDLE_DAYS: 3,
      SALES_COMMIT_BOUGHT_IN_IDLE_DAYS: 5,
      SALES_COMMIT_WINDOW_DAYS: 21,
      SALES_COMMIT_MIN_AMOUNT_USD: 5000,
      SALES_COMMIT_WARNING_PCT: 20,
    });
  });

  it('finds the 3 quiet late-stage deals closing inside the window; small, fresh, far-off and stale ones are left out', async () => {
    const risk = await findCommitRisk({ connectors: createConnectors({ db, env: {} }) }, new Date(), settings);
    expect(list(risk)).toEqual(PLANTED);
    expect({ atRisk: risk.at_risk_amount, commit: risk.commit_amount, severity: risk.severity }).toEqual({
      atRisk: 49_100,
      commit: 64_100,
      severity: 'warning',
    });
  });

  it('finds the same through the live HubSpot connector at the fake', async () => {
    expect(list(await findCommitRisk({ connectors: liveConnectors(db, hubspot) }, new Date(), settings))).toEqual(PLANTED);
  });

  it('is info, not warning, when the quiet deals are under a fifth of the commit; nothing when every late-stage deal is active', async () => {
    const small = await findCommitRisk({ connectors: createConnectors({ db, env: {} }) }, new Date(), { ...settings, SALES_COMMIT_WARNING_PCT: 80 });
    expect(small.severity).toBe('info');
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      const data: SampleCompanyData = structuredClone(readSampleCompanyData());
      for (const deal of (data.hubspot as { deals: Array<{ stage: string; last_activity_days_ago: number }> }).deals)
        if (deal.stage === 'contractsent' || deal.stage === 'decisionmakerboughtin') deal.last_activity_days_ago = Math.min(deal.last_activity_days_ago, 2);
      await loadSampleCompany(healthyDb, { data });
      expect((await findCommitRisk({ connectors: createConnectors({ db: healthyDb, env: {} }) }, new Date(), settings)).deals).toEqual([]);
      expect((await runSalesJob(healthyDb, commitRisk, { runId: 'healthy-1' })).detail['signalId']).toBeNull();
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts owner mentions and raises commit_at_risk (warning) once a day', async () => {
    const first = await runSalesJob(db, commitRisk, { runId: 'commit-1' });
    expect(first.outcome).toBe('3 quiet late-stage deals, posted; commit_at_risk (warning)');
    const [signal] = await sql<
      Array<{ severity: string; payload: unknown }>
    >`select severity, payload from bot_signals where id = ${String(first.detail['signalId'])}`;
    expect(signal?.severity).toBe('warning');
    expect(commitAtRisk.schema.parse(signal?.payload)).toMatchObject({
      at_risk_amount: 49_100,
      commit_amount: 64_100,
      deals: [{ deal_id: '18200340533', idle_days: 12 }, {}, {}],
    });
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%of the $64,100 commit%'`;
    expect(post?.text).toContain('$49,100 of the $64,100 commit (77%) is going quiet.');
    expect(post?.text).toContain('• **@Maya Okafor** Fieldstone Market — Holiday program (Saltmarsh Apothecary) ($18,000, Contract sent, closes');
    const again = await runSalesJob(db, commitRisk, { runId: 'commit-2', lastFingerprint: first.fingerprint ?? null });
    expect(again.detail['signalId']).toBe(first.detail['signalId']);
    expect(await sql`select 1 from bot_signals where signal_type = 'commit_at_risk'`).toHaveLength(1);
  });
});
