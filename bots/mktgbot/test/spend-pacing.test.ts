import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type PaidCampaign, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { mktgbot } from '../src/bot.js';
import { answerOperator } from '../src/operator-replies.js';
import { curveShare, judgePacing, runSpendPacing, spendPacing, spendPacingSettings } from '../src/jobs/spend-pacing.js';
import { adjustCampaignBudget } from '../src/paid-media/adjust-campaign-budget.js';
import { executionContext, jobContext, LOADED_AT } from './paid-media-harness.js';

const AT_15 = new Date('2026-12-01T23:05:00Z'); // 15:05 PT
const settings = spendPacingSettings.load({ FLEET_TZ: 'America/Los_Angeles' });
const TIKTOK_COASTAL = '1790000000001';
const AMAZON_WHOLE_BEAN = '3120000003';

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const intraday = (data.paid_media as { intraday: Array<{ campaign_id: string; hourly_spend: number[] }> }).intraday;
  for (const row of intraday)
    if (row.campaign_id === TIKTOK_COASTAL || row.campaign_id === AMAZON_WHOLE_BEAN) row.hourly_spend = row.hourly_spend.map((value) => value / 1.9);
  return data;
}

const campaign = (id: string, platform: PaidCampaign['platform'], dailyBudget: number): PaidCampaign => ({
  platform,
  id,
  name: id,
  brand: null,
  funnel: 'prospecting',
  status: 'ACTIVE',
  objective: null,
  dailyBudget,
  previousDailyBudget: null,
  urlTags: null,
  pixelId: null,
  endAt: null,
  excludesPurchasers: null,
  promo: false,
  updatedAt: null,
});

describe('mktgbot spend-pacing', () => {
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

  it('is declared hourly at :05 from 08 to 22, skipping missed and overlapping runs; a bad curve stops start-up by name', () => {
    expect(spendPacing.schedule).toBe('5 8-22 * * *');
    expect([spendPacing.missed, spendPacing.overlap]).toEqual(['skip', 'skip']);
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('spend-pacing');
    expect(settings).toMatchObject({
      PAID_PACING_OVERSPEND_FACTOR: 1.3,
      PAID_PACING_ALERT_OVER_USD: 500,
      PAID_NO_DELIVERY_HOUR: 11,
      PAID_OUT_OF_BUDGET_PCT: 90,
      PAID_OUT_OF_BUDGET_BEFORE_HOUR: 18,
    });
    expect(() => spendPacingSettings.load({ PAID_PACING_CURVE: '1,2,3' })).toThrow(/PAID_PACING_CURVE/);
    expect(curveShare(settings.PAID_PACING_CURVE, 24)).toBe(1);
  });

  it('applies the rules: overspend ≥ $500 over pace alerts, a top campaign at $0 after 11:00 alerts, Amazon nearly spent and profitable is out of budget', () => {
    const campaigns = [
      campaign('big', 'meta', 2000),
      campaign('small', 'tiktok', 100),
      campaign('dark', 'google', 900),
      campaign('sp', 'amazon', 100),
      campaign('sp-poor', 'amazon', 100),
    ];
    const spend = new Map([
      ['meta:big', 1800],
      ['tiktok:small', 90],
      ['google:dark', 0],
      ['amazon:sp', 95],
      ['amazon:sp-poor', 95],
    ]);
    const roas = new Map<string, number | null>([
      ['amazon:sp', 4.2],
      ['amazon:sp-poor', 1.2],
    ]);
    const found = judgePacing(campaigns, spend, roas, 13, settings);
    expect(found.map((row) => [row.kind, row.campaign_id, row.alert, row.proposed_budget])).toEqual([
      ['overspend', 'big', true, 1600],
      ['overspend', 'small', false, 80],
      ['out_of_budget', 'sp', true, 125],
      ['no_delivery', 'dark', true, null],
    ]);
  });

  it('finds the TikTok overspend and the Amazon campaign out of budget at 15:05, posts, raises the out-of-budget alert and proposes both budget changes', async () => {
    const result = await runSpendPacing(jobContext(db, 'spend-pacing', 'sp-1', AT_15), settings, AT_15);
    expect(result.findings.map((row) => [row.kind, row.platform, row.campaign_id])).toEqual([
      ['overspend', 'tiktok', TIKTOK_COASTAL],
      ['out_of_budget', 'amazon', AMAZON_WHOLE_BEAN],
    ]);
    expect(result.findings[0]?.alert).toBe(false); // $73 over pace: posted and proposed, under the $500 alert line
    expect(result.outcome.outcome).toBe('2 pacing issues, posted');
    const signals = await sql<
      Array<{ severity: string; payload: { kind: string; campaign_id: string } }>
    >`select severity, payload from bot_signals where signal_type = 'ad_spend_anomaly'`;
    expect(signals.map((row) => [row.severity, row.payload.kind, row.payload.campaign_id])).toEqual([['alert', 'out_of_budget', AMAZON_WHOLE_BEAN]]);
    const approvals = await sql<
      Array<{ draft: { campaign_id: string; new_daily_budget: number } }>
    >`select draft from approvals where action = 'adjust_campaign_budget' order by requested_at`;
    expect(approvals.map((row) => [row.draft.campaign_id, row.draft.new_daily_budget])).toEqual([
      [TIKTOK_COASTAL, 120],
      [AMAZON_WHOLE_BEAN, 100],
    ]);
  });

  it('an hour later the same problems are not reposted, re-raised or re-proposed, and no model is called', async () => {
    const first = await runSpendPacing(jobContext(db, 'spend-pacing', 'sp-2', AT_15), settings, AT_15);
    const later = new Date(AT_15.getTime() + 3_600_000);
    const again = await runSpendPacing(jobContext(db, 'spend-pacing', 'sp-3', later, { fingerprint: first.outcome.fingerprint ?? '' }), settings, later);
    expect(again.outcome.outcome).toBe('2 pacing issues, unchanged since the last run (not reposted)');
    expect(again.signals).toBe(0);
    expect(again.approvals.map((approval) => approval.created)).toEqual([false, false]);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it("answers the operator's reply to the alert and the approved raise changes the Amazon budget once", async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'ad_spend_anomaly'`;
    const answer = await answerOperator(
      { text: '?', operatorMessageId: 'm1', signalId: signal?.id ?? null, approvalId: null, instructionSignalId: 's1', channel: 'local', senderId: 'op' },
      jobContext(db, 'reply', 'reply-1', AT_15),
    );
    expect(answer).toMatch(/^amazon "TH \| SP \| Whole Bean Exact" out of budget: \$\d+\.\d\d spent today against .* Approve /);
    const [approval] = await sql<Array<{ id: string; draft: unknown }>>`select id, draft from approvals where draft ->> 'campaign_id' = ${AMAZON_WHOLE_BEAN}`;
    const draft = adjustCampaignBudget.draft.parse(approval?.draft);
    expect((await adjustCampaignBudget.execute(draft, executionContext(db, approval?.id ?? ''), {} as never)).changed).toBe(true);
    expect((await adjustCampaignBudget.execute(draft, executionContext(db, approval?.id ?? ''), {} as never)).changed).toBe(false);
    const campaigns = await createConnectors({ db, env: {} }).paidMedia.listCampaigns();
    expect(campaigns.find((row) => row.id === AMAZON_WHOLE_BEAN)?.dailyBudget).toBe(100);
  });

  it('while tracking_broken is open, proposes the overspend cut but not the Amazon raise, and says why', async () => {
    const broken = await freshDatabase();
    const brokenDb = createPostgresDb({ url: broken.url, poolMax: 2 });
    try {
      await loadSampleCompany(brokenDb, { now: LOADED_AT });
      await jobContext(brokenDb, 'tracking-health', 'seed', AT_15).signals.emit(
        'tracking_broken',
        { platform: 'ga4', ratio_now: 0.3, ratio_median: 0.93, shopify_orders: 21, platform_purchases: 6 },
        { severity: 'alert' },
      );
      const result = await runSpendPacing(jobContext(brokenDb, 'spend-pacing', 'sp-t', AT_15), settings, AT_15);
      expect(result.findings.map((row) => [row.kind, row.proposed_budget])).toEqual([
        ['overspend', 120],
        ['out_of_budget', null],
      ]);
      const drafts = await brokenDb.rpc<{ draft: { campaign_id: string } }>('list_approvals', { p_bot: 'mktgbot' });
      expect(drafts.map((row) => row.draft.campaign_id)).toEqual([TIKTOK_COASTAL]);
      const posts = await brokenDb.rpc<{ text: string }>('list_channel_messages', { p_bot: 'mktgbot', p_limit: 50 });
      expect(posts.filter((post) => /Spend pacing/.test(post.text) && /No budget increase proposed: .*tracking/.test(post.text))).toHaveLength(1);
    } finally {
      await brokenDb.close();
      await broken.drop();
    }
  });

  it('finds nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      const result = await runSpendPacing(jobContext(healthyDb, 'spend-pacing', 'sp-h', AT_15), settings, AT_15);
      expect(result.findings).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
