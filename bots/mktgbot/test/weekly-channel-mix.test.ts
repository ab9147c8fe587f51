import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, type CampaignDay, type PaidCampaign } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { mktgbot } from '../src/bot.js';
import { channelMixSettings, platformWeeks, proposeReallocation, runChannelMix, weeklyChannelMix } from '../src/jobs/weekly-channel-mix.js';
import { reallocateBudget } from '../src/paid-media/reallocate-budget.js';
import { executionContext, jobContext } from './paid-media-harness.js';

// Monday 2026-12-07, 07:30 PT; the company loaded that morning.
const LOADED = new Date('2026-12-07T15:00:00Z');
const NOW = new Date('2026-12-07T15:30:00Z');
const settings = channelMixSettings.load({ FLEET_TZ: 'America/Los_Angeles' });

const campaign = (platform: PaidCampaign['platform'], id: string, dailyBudget: number): PaidCampaign => ({
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
// A campaign's last two weeks as daily rows: the week before (Nov 23-29) and the week (Nov 30 - Dec 6).
const days = (platform: PaidCampaign['platform'], id: string, spendPrev: number, revenuePrev: number, spend: number, revenue: number): CampaignDay[] => {
  const row = (day: string, daySpend: number, dayRevenue: number): CampaignDay => ({
    platform,
    campaignId: id,
    day,
    spend: daySpend,
    revenue: dayRevenue,
    purchases: 0,
    impressions: 0,
    clicks: 0,
  });
  return [
    ...Array.from({ length: 7 }, (_, index) => row(index < 6 ? `2026-12-0${6 - index}` : '2026-11-30', spend / 7, revenue / 7)),
    ...Array.from({ length: 7 }, (_, index) => row(`2026-11-${String(29 - index).padStart(2, '0')}`, spendPrev / 7, revenuePrev / 7)),
  ];
};

describe('mktgbot weekly-channel-mix', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: LOADED });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared Mondays at 07:30 with ≤ 10% of the weekly budget moved', () => {
    expect(weeklyChannelMix.schedule).toBe('30 7 * * 1');
    expect(weeklyChannelMix.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('weekly-channel-mix');
    expect(settings.PAID_MIX_MAX_SHIFT_PCT).toBe(10);
  });

  it('scores platforms by marginal ROAS week on week and moves budget from the lowest to the highest; equal returns move nothing', () => {
    const weeks = platformWeeks([...days('meta', 'm', 1000, 2000, 1400, 2200), ...days('google', 'g', 1000, 3000, 1400, 4600)], '2026-12-06', settings);
    expect(weeks.filter((week) => week.spend > 0).map((week) => [week.platform, week.marginal_roas])).toEqual([
      ['meta', 0.5],
      ['google', 4],
    ]);
    const proposal = proposeReallocation(weeks, [campaign('meta', 'm', 200), campaign('google', 'g', 200)], settings);
    expect(proposal).toMatchObject({ from_platform: 'meta', to_platform: 'google', weekly_amount: 280 });
    expect(proposal?.changes.map((change) => [change.campaign_id, change.to_daily_budget])).toEqual([
      ['m', 160],
      ['g', 240],
    ]);
    const even = platformWeeks([...days('meta', 'm', 1000, 3000, 1000, 3000), ...days('google', 'g', 1000, 3000, 1000, 3000)], '2026-12-06', settings);
    expect(proposeReallocation(even, [campaign('meta', 'm', 200), campaign('google', 'g', 200)], settings)).toBe(null);
  });

  it('posts the week by platform with email share and CAC, asks reallocate_budget once per week; the narrative is drafted (offline drafter here)', async () => {
    const first = await runChannelMix(jobContext(db, 'weekly-channel-mix', 'wcm-1', NOW), settings, NOW);
    expect(first.weeks.map((week) => week.platform)).toEqual(['meta', 'google', 'tiktok', 'pinterest', 'amazon']);
    expect(first.proposal).not.toBe(null);
    expect(first.proposal?.from_platform).not.toBe(first.proposal?.to_platform);
    expect(first.approval?.created).toBe(true);
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'mktgbot' and text like '%| platform | spend | share |%'`;
    expect(post?.text).toMatch(/Email \(Klaviyo flows\) \$[\d,.]+ = [\d.]+% of DTC revenue/);
    expect(post?.text).toMatch(/\[offline draft/);
    const second = await runChannelMix(jobContext(db, 'weekly-channel-mix', 'wcm-2', NOW), settings, NOW);
    expect(second.approval).toEqual({ id: first.approval?.id, created: false });
    expect((await sql`select 1 from approvals where action = 'reallocate_budget'`).length).toBe(1);
  });

  it('the approved reallocation sets each campaign budget once, within the same weekly total', async () => {
    const [row] = await sql<Array<{ id: string; draft: unknown }>>`select id, draft from approvals where action = 'reallocate_budget'`;
    const draft = reallocateBudget.draft.parse(row?.draft);
    const before = (await createConnectors({ db, env: {} }).paidMedia.listCampaigns()).reduce((sum, item) => sum + item.dailyBudget, 0);
    expect((await reallocateBudget.execute(draft, executionContext(db, row?.id ?? ''), {} as never)).changed).toBe(draft.changes.length);
    expect((await reallocateBudget.execute(draft, executionContext(db, row?.id ?? ''), {} as never)).changed).toBe(0);
    const after = (await createConnectors({ db, env: {} }).paidMedia.listCampaigns()).reduce((sum, item) => sum + item.dailyBudget, 0);
    expect(Math.abs(after - before)).toBeLessThan(1);
  });
});
