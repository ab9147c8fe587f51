import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type CampaignDay, type PaidCampaign, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { mktgbot } from '../src/bot.js';
import { answerOperator } from '../src/operator-replies.js';
import { adjustCampaignBudget } from '../src/paid-media/adjust-campaign-budget.js';
import { findLosingCampaigns, needsNarrative, paidMediaDaily, paidMediaDailySettings, runPaidMediaDaily } from '../src/jobs/paid-media-daily.js';
import { executionContext, jobContext, LOADED_AT } from './paid-media-harness.js';

const NOW = new Date('2026-12-01T15:00:00Z'); // 07:00 PT, the job's catalogue time
const settings = paidMediaDailySettings.load({ FLEET_TZ: 'America/Los_Angeles' });
const COASTAL_FOG = '120210000000000';

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const roas = (data.paid_media as { meta_roas: Array<{ campaign_id: string; roas_days_7_to_1: Array<number | null> }> }).meta_roas;
  const coastal = roas.find((row) => row.campaign_id === COASTAL_FOG);
  if (coastal !== undefined) coastal.roas_days_7_to_1 = [2.3, 2.2, 2.1, 2.2, 2.0, 2.1, 2.2];
  return data;
}

const campaign = (id: string, funnel: PaidCampaign['funnel']): PaidCampaign => ({
  platform: 'tiktok',
  id,
  name: id,
  brand: null,
  funnel,
  status: 'ACTIVE',
  objective: null,
  dailyBudget: 200,
  previousDailyBudget: null,
  urlTags: null,
  pixelId: null,
  endAt: null,
  excludesPurchasers: null,
  promo: false,
  updatedAt: null,
});
const days = (id: string, values: Array<[number, number, number]>): CampaignDay[] =>
  values.map(([spend, revenue, purchases], index) => ({
    platform: 'tiktok',
    campaignId: id,
    day: `2026-11-${String(30 - index).padStart(2, '0')}`,
    spend,
    revenue,
    purchases,
    impressions: 1000,
    clicks: 10,
  }));

describe('mktgbot paid-media-daily', () => {
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

  it('is declared daily at 07:00 with the catalogue thresholds as defaults, and rejects a bad value by name', () => {
    expect(paidMediaDaily.schedule).toBe('0 7 * * *');
    expect(paidMediaDaily.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('paid-media-daily');
    expect(paidMediaDailySettings.load({})).toMatchObject({
      PAID_ROAS_FLOOR_PROSPECTING: 1.5,
      PAID_ROAS_FLOOR_RETARGETING: 3,
      PAID_ROAS_DAYS: 3,
      PAID_MIN_DAILY_SPEND_USD: 100,
      PAID_CPA_MULTIPLE: 1.5,
      PAID_MER_TARGET: 3,
    });
    expect(() => paidMediaDailySettings.load({ PAID_ROAS_FLOOR_PROSPECTING: 'low' })).toThrow(/PAID_ROAS_FLOOR_PROSPECTING/);
  });

  it('applies the rules: every day under the floor at real spend, retargeting held to 3.0, CPA over 1.5 × target', () => {
    const found = findLosingCampaigns(
      [
        campaign('under', 'prospecting'),
        campaign('one-good-day', 'prospecting'),
        campaign('small', 'prospecting'),
        campaign('retarget', 'retargeting'),
        campaign('cpa', 'prospecting'),
      ],
      [
        ...days('under', [
          [120, 130, 4],
          [120, 140, 4],
          [120, 150, 4],
        ]),
        ...days('one-good-day', [
          [120, 130, 4],
          [120, 300, 8],
          [120, 150, 4],
        ]),
        ...days('small', [
          [60, 30, 1],
          [60, 30, 1],
          [60, 30, 1],
        ]),
        ...days('retarget', [
          [150, 400, 10],
          [150, 420, 10],
          [150, 410, 10],
        ]),
        ...days('cpa', [
          [150, 400, 1],
          [150, 420, 1],
          [150, 410, 1],
        ]),
      ],
      '2026-11-30',
      settings,
    );
    expect(found.map((row) => [row.campaign_id, row.rules, row.floor])).toEqual([
      ['under', ['roas'], 1.5],
      ['retarget', ['roas'], 3],
      ['cpa', ['cpa'], 1.5],
    ]);
  });

  it('finds the Meta prospecting campaign at ROAS 1.1 three days running, and nothing else, across five platforms', async () => {
    const now = NOW;
    const result = await runPaidMediaDaily(jobContext(db, 'paid-media-daily', 'pmd-1', now), settings, now);
    expect(result.report.day).toBe('2026-11-30');
    expect(result.report.platforms.map((row) => [row.platform, row.spend > 0])).toEqual([
      ['meta', true],
      ['google', true],
      ['tiktok', true],
      ['pinterest', true],
      ['amazon', true],
    ]);
    // Meta's planted campaign; Google comes through the search jobs' Google Ads sample, whose Shopping
    // and Performance Max campaigns return ROAS 1.2-1.3 there (their data, flagged by the same rule).
    expect(result.report.flagged.map((row) => [row.platform, row.campaign_id, row.roas_3d, row.rules])).toEqual([
      ['meta', COASTAL_FOG, 1.1, ['roas']],
      ['google', '1710000005', 1.19, ['roas']],
      ['google', '1710000006', 1.3, ['roas']],
    ]);
    expect(result.outcome.outcome).toBe('1 daily report, posted');
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'mktgbot' and text like '%| platform | spend |%'`;
    expect(post?.text).toMatch(/\| meta \(sample\) \| \$[\d,.]+ \|/);
    expect(post?.text).toMatch(/DW \| Prospecting \| Coastal Fog Candle\*\*: ROAS 1\.10 over 3 days \(floor 1\.5\)/);
    expect(post?.text).toMatch(/\n\[offline draft/);
    const signals = await sql<Array<{ signal_type: string; severity: string; payload: Record<string, unknown> }>>`
      select signal_type, severity, payload from bot_signals where source_bot = 'mktgbot' and signal_type <> 'approval_requested' order by signal_type`;
    expect(signals.map((row) => [row.signal_type, row.severity])).toEqual([
      ['paid_media_daily', 'info'],
      ['roas_below_floor', 'warning'],
      ['roas_below_floor', 'warning'],
      ['roas_below_floor', 'warning'],
    ]);
    expect(signals.find((row) => row.payload['platform'] === 'meta')?.payload).toMatchObject({ campaign_id: COASTAL_FOG, roas_3d: 1.1, floor: 1.5 });
    expect((signals[0]?.payload['by_platform'] as unknown[]).length).toBe(5);
    expect(result.approvals).toHaveLength(3);
    const [approval] = await sql<
      Array<{ id: string; action: string; draft: Record<string, unknown> }>
    >`select id, action, draft from approvals where bot = 'mktgbot' and draft ->> 'platform' = 'meta'`;
    expect(approval).toMatchObject({
      action: 'adjust_campaign_budget',
      draft: { platform: 'meta', campaign_id: COASTAL_FOG, current_daily_budget: 180, new_daily_budget: 144 },
    });
    // The offline drafter stood in: a model call was made (priced at 0) because a campaign is flagged.
    expect(result.narrative.called).toBe(true);
  });

  it('a rerun on the same input makes no model call, no repost, no second signal or approval', async () => {
    const first = await runPaidMediaDaily(jobContext(db, 'paid-media-daily', 'pmd-2', NOW), settings, NOW);
    const before = await sql`select 1 from llm_usage where bot = 'mktgbot'`;
    const again = await runPaidMediaDaily(
      jobContext(db, 'paid-media-daily', 'pmd-3', NOW, {
        fingerprint: first.outcome.fingerprint ?? '',
        result: { modelInput: first.modelInput, narrative: first.narrative.text },
      }),
      settings,
      NOW,
    );
    expect(again.narrative.called).toBe(false);
    expect(again.narrative.text).toBe(first.narrative.text);
    expect(again.outcome.outcome).toBe('1 daily report, unchanged since the last run (not reposted)');
    expect(again.signals).toBe(0);
    expect(again.approvals.map((approval) => approval.created)).toEqual([false, false, false]);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(before.length);
    expect((await sql`select 1 from approvals where bot = 'mktgbot'`).length).toBe(3);
  });

  it("answers the operator's reply to roas_below_floor with the figures and the pending budget approval", async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'roas_below_floor' and payload ->> 'platform' = 'meta'`;
    const [approval] = await sql<Array<{ id: string }>>`select id from approvals where action = 'adjust_campaign_budget' and draft ->> 'platform' = 'meta'`;
    const answer = await answerOperator(
      { text: 'why?', operatorMessageId: 'm1', signalId: signal?.id ?? null, approvalId: null, instructionSignalId: 's1', channel: 'local', senderId: 'op' },
      jobContext(db, 'reply', 'reply-1', NOW),
    );
    expect(answer).toContain('meta "DW | Prospecting | Coastal Fog Candle" returned ROAS 1.10');
    expect(answer).toContain(`Approve ${approval?.id ?? '?'}`);
  });

  it('the approved budget cut changes the sample campaign once, across a re-execution', async () => {
    const [approval] = await sql<
      Array<{ id: string; draft: unknown }>
    >`select id, draft from approvals where action = 'adjust_campaign_budget' and draft ->> 'platform' = 'meta'`;
    const draft = adjustCampaignBudget.draft.parse(approval?.draft);
    const first = await adjustCampaignBudget.execute(draft, executionContext(db, approval?.id ?? ''), {} as never);
    const second = await adjustCampaignBudget.execute(draft, executionContext(db, approval?.id ?? ''), {} as never);
    expect(first).toMatchObject({ changed: true, daily_budget: 144, previous: 180 });
    expect(second.changed).toBe(false);
    const [row] = await sql<Array<{ daily_budget: string }>>`select daily_budget from sample_ad_campaigns where id = ${COASTAL_FOG}`;
    expect(Number(row?.daily_budget)).toBe(144);
    expect((await sql`select 1 from sample_paid_changes where action = 'budget'`).length).toBe(1);
  });

  it('finds nothing to flag on a healthy variant, and skips the narrative when MER is steady', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      const result = await runPaidMediaDaily(jobContext(healthyDb, 'paid-media-daily', 'pmd-h', NOW), settings, NOW);
      expect(result.report.flagged.filter((row) => row.platform !== 'google')).toEqual([]);
      expect(needsNarrative({ ...result.report, flagged: [], mer: 1, merDayBefore: 1.03 }, settings)).toBe(false);
      expect(needsNarrative({ ...result.report, flagged: [], mer: 1, merDayBefore: 1.2 }, settings)).toBe(true);
      const campaigns = await createConnectors({ db: healthyDb, env: {} }).paidMedia.listCampaigns();
      expect(campaigns.filter((row) => row.platform === 'meta')).toHaveLength(12);
      expect(campaigns.map((row) => row.platform).filter((platform) => platform !== 'meta')).toHaveLength(21); // Google 8 (search jobs' sample), TikTok 4, Pinterest 3, Amazon 6
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
