import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, type Connectors } from '@jbot/connectors';
import { freshDatabase, startFakeMetaMarketing, type FakeMetaMarketing, type TestDatabase } from '@jbot/testkit';
import { buildPaidMediaReport, paidMediaDailySettings } from '../src/jobs/paid-media-daily.js';
import { adAccountHealthSettings, findAccountProblems } from '../src/jobs/ad-account-health.js';
import { auditCampaigns, campaignConfigAuditSettings } from '../src/jobs/campaign-config-audit.js';
import { judgePacing, spendPacingSettings } from '../src/jobs/spend-pacing.js';
import { findConsolidations, learningLimitedSettings } from '../src/jobs/meta-learning-limited.js';
import { consolidateAdsets } from '../src/paid-media/consolidate-adsets.js';
import { adjustCampaignBudget } from '../src/paid-media/adjust-campaign-budget.js';
import { fixCampaignConfig } from '../src/paid-media/fix-campaign-config.js';
import { raiseSpendCap } from '../src/paid-media/raise-spend-cap.js';
import { executionContext, LOADED_AT } from './paid-media-harness.js';

const NOW = new Date('2026-12-01T15:05:00Z');
const COASTAL_FOG = '120210000000000';
const TIDEPOOL = '120210000004468';
const cents = (value: number | null) => (value === null ? '0' : String(Math.round(value * 100)));

// mktgbot's paid-media rules on the live Meta adapter (facebook-nodejs-business-sdk) against a
// fake Marketing API seeded with the sample company's Meta side in Graph's wire shapes: the
// same planted cases are found, and approved changes reach Meta once.
describe('mktgbot paid media on the live Meta adapter (fake Marketing API)', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let graph: FakeMetaMarketing;
  let live: Connectors;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: LOADED_AT });
    const sample = createConnectors({ db, env: {} }).paidMedia;
    const campaigns = (await sample.listCampaigns()).filter((row) => row.platform === 'meta');
    const days = (await sample.dailyMetrics({ from: '2026-10-01', to: '2026-11-30' })).filter((row) => row.platform === 'meta');
    const today = (await sample.todaySpend({ now: NOW, timeZone: 'America/Los_Angeles' })).filter((row) => row.platform === 'meta');
    const [account] = (await sample.accountStatus()).filter((row) => row.platform === 'meta');
    const reviews = (await sample.adReviews()).filter((row) => row.platform === 'meta');
    const learning = await sample.adSetLearning();
    graph = await startFakeMetaMarketing({
      adAccountId: account?.accountId ?? 'act_1',
      account: {
        name: account?.name,
        account_status: 1,
        disable_reason: 0,
        spend_cap: cents(account?.spendCap ?? null),
        amount_spent: cents(account?.amountSpent ?? null),
      },
      campaigns: campaigns.map((row) => ({
        id: row.id,
        name: row.name,
        status: row.status,
        objective: row.objective,
        daily_budget: cents(row.dailyBudget),
        updated_time: (row.updatedAt ?? '').replace('Z', '+0000'),
        adsets: {
          data: [
            {
              id: `${row.id}1`,
              promoted_object: { pixel_id: row.pixelId },
              targeting: { excluded_custom_audiences: row.excludesPurchasers === true ? [{ id: '23850000000001', name: 'Purchasers 180d' }] : [] },
            },
          ],
        },
        ads: { data: [{ id: `${row.id}2`, creative: { id: `${row.id}3`, url_tags: row.urlTags } }] },
      })),
      campaignInsights: days.map((row) => ({
        campaign_id: row.campaignId,
        date_start: row.day,
        date_stop: row.day,
        spend: row.spend.toFixed(2),
        impressions: String(row.impressions),
        clicks: String(row.clicks),
        actions: [{ action_type: 'purchase', value: String(row.purchases) }],
        action_values: [{ action_type: 'purchase', value: row.revenue.toFixed(2) }],
      })),
      todayInsights: today.map((row) => ({
        campaign_id: row.campaignId,
        spend: row.spendToDate.toFixed(2),
        date_start: '2026-12-01',
        date_stop: '2026-12-01',
      })),
      adSets: learning.map((row) => ({
        id: row.adSetId,
        campaign_id: row.campaignId,
        name: row.name,
        status: row.status,
        daily_budget: cents(row.dailyBudget),
        optimization_goal: row.optimizationGoal,
        learning_stage_info: {
          status: row.learningStatus,
          ...(row.lastSignificantEditAt === null ? {} : { last_sig_edit_ts: Math.floor(Date.parse(row.lastSignificantEditAt) / 1000) }),
        },
      })),
      adSetWeek: learning.map((row) => ({ adset_id: row.adSetId, actions: [{ action_type: 'purchase', value: String(row.events7d) }] })),
      ads: [
        ...reviews.map((row) => ({
          id: row.adId,
          name: row.name,
          adset_id: row.adSetId,
          campaign_id: row.campaignId,
          effective_status: row.effectiveStatus,
          ad_review_feedback: { global: row.feedback },
          adset: { id: row.adSetId, effective_status: 'ACTIVE' },
          campaign: { id: row.campaignId, effective_status: 'ACTIVE' },
        })),
        { id: '23860000000101', name: 'Coastal Fog — fog rolling in (video)', effective_status: 'ACTIVE' },
      ],
    });
    live = createConnectors({ db, env: { META_ACCESS_TOKEN: graph.accessToken, META_AD_ACCOUNT_ID: graph.adAccountId, META_API_BASE: graph.url } });
  });
  afterAll(async () => {
    await graph?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('paid-media-daily finds Coastal Fog at ROAS 1.1 from paged level=campaign insights, Meta marked live and the other platforms sample', async () => {
    const report = await buildPaidMediaReport({ connectors: live }, paidMediaDailySettings.load({ FLEET_TZ: 'America/Los_Angeles' }), NOW);
    expect(live.paidMedia.sources).toEqual({ meta: 'live', google: 'sample', tiktok: 'sample', pinterest: 'sample', amazon: 'sample' });
    expect(report.flagged.filter((row) => row.platform === 'meta').map((row) => [row.platform, row.campaign_id, row.roas_3d])).toEqual([
      ['meta', COASTAL_FOG, 1.1],
    ]);
    expect(report.platforms[0]).toMatchObject({ platform: 'meta', source: 'live' });
    const insightCalls = graph.requests.filter((request) => request.path.endsWith('/insights'));
    expect(insightCalls.every((request) => request.query['level'] === 'campaign' && request.query['time_increment'] === '1')).toBe(true);
    expect(insightCalls[0]?.query['fields']).toContain('action_values');
  });

  it('campaign-config-audit reads url_tags from the ads and finds the Tidepool campaign without utm_campaign', async () => {
    const found = auditCampaigns(await live.paidMedia.listCampaigns(), campaignConfigAuditSettings.load({ PAID_PIXEL_IDS: 'meta=1183425069911' }), NOW);
    expect(found.map((row) => [row.platform, row.campaign_id, row.issues.map((issue) => issue.rule)])).toEqual([
      ['tiktok', '1790000000002', ['budget_over_cap']],
      ['meta', TIDEPOOL, ['utm_missing']],
    ]);
    // Meta keeps url_tags on the (immutable) creative: the approved fix says so instead of pretending.
    const meta = found[1];
    const draft = fixCampaignConfig.draft.parse({
      platform: 'meta',
      campaign_id: TIDEPOOL,
      campaign: meta?.campaign,
      issues: meta?.issues,
      patch: meta?.patch,
      manual: [],
    });
    await expect(fixCampaignConfig.execute(draft, executionContext(db, 'fix-1', live), {} as never)).rejects.toThrow(/url_tags on the ad creative/);
  });

  it("spend-pacing reads today's spend from date_preset=today", async () => {
    const spend = await live.paidMedia.todaySpend({ now: NOW, timeZone: 'America/Los_Angeles' });
    expect(spend.filter((row) => row.platform === 'meta')).toHaveLength(12);
    expect(graph.requests.some((request) => request.query['date_preset'] === 'today')).toBe(true);
    const campaigns = await live.paidMedia.listCampaigns();
    const findings = judgePacing(
      campaigns,
      new Map(spend.map((row) => [`${row.platform}:${row.campaignId}`, row.spendToDate])),
      new Map(),
      7.1,
      spendPacingSettings.load({}),
    );
    expect(findings.filter((row) => row.platform === 'meta')).toEqual([]);
  });

  it('ad-account-health finds the cap at 92% (minor units) and the disapproved ad; the approved raise writes spend_cap once', async () => {
    const settings = adAccountHealthSettings.load({});
    const problems = findAccountProblems(await live.paidMedia.accountStatus(), await live.paidMedia.adReviews(), settings);
    expect(problems.map((row) => [row.kind, row.ad_ids])).toEqual([
      ['spend_cap', []],
      ['disapproved', ['23860000000135']],
    ]);
    expect(graph.requests.find((request) => request.path.endsWith('/ads'))?.query['filtering']).toContain('DISAPPROVED');
    const cap = problems[0]?.cap;
    const draft = raiseSpendCap.draft.parse({
      platform: 'meta',
      account_id: graph.adAccountId,
      account: 'Meta',
      current_spend_cap: cap?.current,
      amount_spent: cap?.spent,
      new_spend_cap: cap?.proposed,
      reason: 'cap',
    });
    graph.failNext({ method: 'POST', path: new RegExp(`/${graph.adAccountId}$`), status: 500, afterApply: true });
    await expect(raiseSpendCap.execute(draft, executionContext(db, 'cap-1', live), {} as never)).rejects.toThrow(/spend cap update failed/);
    const retried = await raiseSpendCap.execute(draft, executionContext(db, 'cap-1', live), {} as never);
    expect(retried.spend_cap).toBe(71_000);
    expect(graph.writes.filter((write) => write.body['spend_cap'] !== undefined)).toHaveLength(1);
    expect(graph.state.account['spend_cap']).toBe('7100000');
  });

  it('meta-learning-limited reads learning_stage_info and last_7d ad-set insights; the approved merge writes each ad set once', async () => {
    const { proposals } = findConsolidations(await live.paidMedia.adSetLearning(), learningLimitedSettings.load({}), NOW);
    expect(proposals.map((proposal) => [proposal.keep.adSetId, proposal.pause.map((set) => set.adSetId), proposal.combined_events_7d])).toEqual([
      ['23860000000005', ['23860000000012'], 54],
    ]);
    const draft = consolidateAdsets.draft.parse({
      campaign_id: TIDEPOOL,
      campaign: 'SM | Prospecting | Tidepool Serum',
      keep: { ad_set_id: '23860000000005', name: 'broad', daily_budget: 110, new_daily_budget: 170 },
      pause: [{ ad_set_id: '23860000000012', name: 'hooks', daily_budget: 60 }],
      combined_events_7d: 54,
      reason: 'learning limited',
    });
    await consolidateAdsets.execute(draft, executionContext(db, 'merge-1', live), {} as never);
    await consolidateAdsets.execute(draft, executionContext(db, 'merge-1', live), {} as never);
    expect(
      graph.writes
        .filter((write) => write.path.endsWith('/23860000000005') || write.path.endsWith('/23860000000012'))
        .map((write) => [write.path.split('/').at(-1), write.body]),
    ).toEqual([
      ['23860000000005', { daily_budget: 17000 }],
      ['23860000000012', { status: 'PAUSED' }],
    ]);
  });

  it('adjust_campaign_budget writes daily_budget in cents once, across a lost answer and a re-execution', async () => {
    const draft = adjustCampaignBudget.draft.parse({
      platform: 'meta',
      campaign_id: COASTAL_FOG,
      campaign: 'DW | Prospecting | Coastal Fog Candle',
      current_daily_budget: 180,
      new_daily_budget: 144,
      reason: 'ROAS 1.10',
      source: 'paid-media-daily',
    });
    graph.failNext({ method: 'POST', path: new RegExp(`/${COASTAL_FOG}$`), status: 500, afterApply: true });
    await expect(adjustCampaignBudget.execute(draft, executionContext(db, 'budget-1', live), {} as never)).rejects.toThrow(/campaign budget update failed/);
    // The retry finds the budget already at 144 on Meta (the lost write landed) and does not write again.
    const retried = await adjustCampaignBudget.execute(draft, executionContext(db, 'budget-1', live), {} as never);
    expect(retried).toMatchObject({ daily_budget: 144, changed: false });
    expect((await adjustCampaignBudget.execute(draft, executionContext(db, 'budget-1', live), {} as never)).changed).toBe(false);
    expect(graph.writes.filter((write) => write.path.endsWith(`/${COASTAL_FOG}`)).map((write) => write.body['daily_budget'])).toEqual([14400]);
    expect(graph.state.campaigns.find((row) => row['id'] === COASTAL_FOG)?.['daily_budget']).toBe('14400');
    // The sample Meta campaign is untouched: the change went to the live account.
    const [row] = await sql<Array<{ daily_budget: string }>>`select daily_budget from sample_ad_campaigns where id = ${COASTAL_FOG}`;
    expect(Number(row?.daily_budget)).toBe(180);
  });
});
