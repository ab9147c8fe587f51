import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type AdAccountStatus, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { mktgbot } from '../src/bot.js';
import { answerOperator } from '../src/operator-replies.js';
import { adAccountHealth, adAccountHealthSettings, findAccountProblems, runAdAccountHealth } from '../src/jobs/ad-account-health.js';
import { raiseSpendCap } from '../src/paid-media/raise-spend-cap.js';
import { executionContext, jobContext, LOADED_AT } from './paid-media-harness.js';

const NOW = new Date('2026-12-01T15:20:00Z');
const settings = adAccountHealthSettings.load({});
const TIDEPOOL_CLAIMS_AD = '23860000000135';

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const paid = data.paid_media as { accounts: Array<Record<string, unknown>>; ad_reviews: unknown[] };
  paid.ad_reviews = [];
  const meta = paid.accounts.find((row) => row['platform'] === 'meta');
  if (meta !== undefined) meta['amount_spent'] = 41_000;
  return data;
}

const account = (overrides: Partial<AdAccountStatus>): AdAccountStatus => ({
  platform: 'tiktok',
  accountId: 'a1',
  name: 'TikTok',
  status: 'active',
  rawStatus: 'STATUS_ENABLE',
  disableReason: null,
  spendCap: null,
  amountSpent: null,
  paymentFailed: false,
  ...overrides,
});

describe('mktgbot ad-account-health', () => {
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

  it('is declared every 2 hours at :20, a watch that skips missed runs, with the 90% cap line by default', () => {
    expect(adAccountHealth.schedule).toBe('20 */2 * * *');
    expect(adAccountHealth.missed).toBe('skip');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('ad-account-health');
    expect(settings.PAID_SPEND_CAP_ALERT_PCT).toBe(90);
    expect(() => adAccountHealthSettings.load({ PAID_SPEND_CAP_ALERT_PCT: '150' })).toThrow(/PAID_SPEND_CAP_ALERT_PCT/);
  });

  it('applies the rules: payment failure, restriction, cap nearly used; a rejected ad in a paused ad set costs nothing', () => {
    const found = findAccountProblems(
      [
        account({ accountId: 'pay', paymentFailed: true, status: 'unsettled', rawStatus: 'UNSETTLED' }),
        account({ platform: 'pinterest', accountId: 'off', status: 'disabled', rawStatus: 'DISABLED', disableReason: 'ADS_INTEGRITY_POLICY' }),
        account({ platform: 'google', accountId: 'cap', spendCap: 1000, amountSpent: 899 }),
      ],
      [{ platform: 'tiktok', adId: 'x', name: 'x', adSetId: 's', campaignId: 'c', effectiveStatus: 'DISAPPROVED', feedback: {}, adSetActive: false }],
      settings,
    );
    expect(found.map((problem) => [problem.account_id, problem.kind])).toEqual([
      ['pay', 'payment'],
      ['off', 'restricted'],
    ]);
  });

  it('finds the disapproved Tidepool ad and the Meta spend cap at 92%, raises two alerts and proposes a higher cap', async () => {
    const result = await runAdAccountHealth(jobContext(db, 'ad-account-health', 'aah-1', NOW), settings, NOW);
    expect(result.problems.map((problem) => [problem.platform, problem.kind, problem.ad_ids])).toEqual([
      ['meta', 'spend_cap', []],
      ['meta', 'disapproved', [TIDEPOOL_CLAIMS_AD]],
    ]);
    expect(result.problems[1]?.detail).toContain('Unsubstantiated health claim');
    expect(result.problems[0]?.cap).toEqual({ current: 60_000, spent: 55_200, proposed: 71_000 });
    const signals = await sql<
      Array<{ severity: string; payload: { kind: string } }>
    >`select severity, payload from bot_signals where signal_type = 'ad_account_issue' order by payload ->> 'kind'`;
    expect(signals.map((row) => [row.severity, row.payload.kind])).toEqual([
      ['alert', 'disapproved'],
      ['alert', 'spend_cap'],
    ]);
    const again = await runAdAccountHealth(jobContext(db, 'ad-account-health', 'aah-2', NOW, { fingerprint: result.outcome.fingerprint ?? '' }), settings, NOW);
    expect(again.outcome.outcome).toBe('2 account issues, unchanged since the last run (not reposted)');
    expect([again.signals, again.approvals.map((approval) => approval.created)]).toEqual([0, [false]]);
  });

  it("answers the operator's reply to the spend-cap alert, and the approved raise changes the cap once", async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'ad_account_issue' and payload ->> 'kind' = 'spend_cap'`;
    const answer = await answerOperator(
      { text: '?', operatorMessageId: 'm1', signalId: signal?.id ?? null, approvalId: null, instructionSignalId: 's1', channel: 'local', senderId: 'op' },
      jobContext(db, 'reply', 'reply-1', NOW),
    );
    expect(answer).toMatch(/^meta account act_1183425069 — spend cap: 92% of the \$60,000\.00 spend cap used .* Approve /);
    const [approval] = await sql<Array<{ id: string; draft: unknown }>>`select id, draft from approvals where action = 'raise_spend_cap'`;
    const draft = raiseSpendCap.draft.parse(approval?.draft);
    expect((await raiseSpendCap.execute(draft, executionContext(db, approval?.id ?? ''), {} as never)).changed).toBe(true);
    expect((await raiseSpendCap.execute(draft, executionContext(db, approval?.id ?? ''), {} as never)).changed).toBe(false);
    const [meta] = (await createConnectors({ db, env: {} }).paidMedia.accountStatus()).filter((row) => row.platform === 'meta');
    expect(meta?.spendCap).toBe(71_000);
    // The disapproved ad's answer points at the fix on the platform (adsbot drafts the replacement).
    const [disapproved] = await sql<
      Array<{ id: string }>
    >`select id from bot_signals where signal_type = 'ad_account_issue' and payload ->> 'kind' = 'disapproved'`;
    const why = await answerOperator(
      { text: '?', operatorMessageId: 'm2', signalId: disapproved?.id ?? null, approvalId: null, instructionSignalId: 's2', channel: 'local', senderId: 'op' },
      jobContext(db, 'reply', 'reply-2', NOW),
    );
    expect(why).toContain('adsbot drafts a compliant replacement');
  });

  it('finds nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      const connectors = createConnectors({ db: healthyDb, env: {} });
      const accounts = await connectors.paidMedia.accountStatus();
      // Google's account status is not read through the Google Ads connector yet: four accounts.
      expect(accounts.map((row) => row.platform)).toEqual(['meta', 'tiktok', 'pinterest', 'amazon']);
      expect(findAccountProblems(accounts, await connectors.paidMedia.adReviews(), settings)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
