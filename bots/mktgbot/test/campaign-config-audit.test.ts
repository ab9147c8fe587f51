import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type PaidCampaign, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { mktgbot } from '../src/bot.js';
import { answerOperator } from '../src/operator-replies.js';
import { auditCampaigns, campaignConfigAudit, campaignConfigAuditSettings, runCampaignConfigAudit } from '../src/jobs/campaign-config-audit.js';
import { fixCampaignConfig } from '../src/paid-media/fix-campaign-config.js';
import { executionContext, jobContext, LOADED_AT } from './paid-media-harness.js';

const NOW = new Date('2026-12-01T15:05:00Z'); // just after the load; the catalogue time is 06:45 PT
const settings = campaignConfigAuditSettings.load({});
const GIFT_SET_TIKTOK = '1790000000002';
const TIDEPOOL_META = '120210000004468';

type PaidMediaFile = { campaigns: Array<Record<string, unknown>>; meta_config: Array<Record<string, unknown>> };

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const paid = data.paid_media as PaidMediaFile;
  const typo = paid.campaigns.find((row) => row['id'] === GIFT_SET_TIKTOK);
  if (typo !== undefined) typo['daily_budget'] = 250;
  const tidepool = paid.meta_config.find((row) => row['id'] === TIDEPOOL_META);
  if (tidepool !== undefined) tidepool['url_tags'] = 'utm_source=meta&utm_medium=paid_social&utm_campaign=sm-prospecting-tidepool-serum';
  return data;
}

const edited = (overrides: Partial<PaidCampaign>): PaidCampaign => ({
  platform: 'meta',
  id: 'c1',
  name: 'KC | Prospecting | Granola',
  brand: 'KC',
  funnel: 'prospecting',
  status: 'ACTIVE',
  objective: 'OUTCOME_SALES',
  dailyBudget: 100,
  previousDailyBudget: null,
  urlTags: 'utm_source=meta&utm_campaign=kc',
  pixelId: '1',
  endAt: null,
  excludesPurchasers: true,
  promo: false,
  updatedAt: new Date(NOW.getTime() - 3_600_000).toISOString(),
  ...overrides,
});

describe('mktgbot campaign-config-audit', () => {
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

  it('is declared daily at 06:45 with the $1,000/day cap by default; a bad pixel pair or pattern stops start-up by name', () => {
    expect(campaignConfigAudit.schedule).toBe('45 6 * * *');
    expect(campaignConfigAudit.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('campaign-config-audit');
    expect(settings).toMatchObject({ PAID_CONFIG_LOOKBACK_HOURS: 24, PAID_DAILY_BUDGET_CAP_USD: 1000 });
    expect(() => campaignConfigAuditSettings.load({ PAID_PIXEL_IDS: 'meta' })).toThrow(/PAID_PIXEL_IDS/);
    expect(() => campaignConfigAuditSettings.load({ PAID_CAMPAIGN_NAME_PATTERN: '([' })).toThrow(/PAID_CAMPAIGN_NAME_PATTERN/);
  });

  it('applies each rule only to campaigns edited in the window', () => {
    const withPixels = campaignConfigAuditSettings.load({ PAID_PIXEL_IDS: 'meta=1' });
    const found = auditCampaigns(
      [
        edited({ id: 'ok' }),
        edited({ id: 'old', dailyBudget: 5000, updatedAt: new Date(NOW.getTime() - 30 * 3_600_000).toISOString() }),
        edited({ id: 'pixel', pixelId: '2' }),
        edited({ id: 'exclusion', excludesPurchasers: false }),
        edited({ id: 'promo', promo: true }),
        edited({ id: 'name', name: 'granola test 3' }),
      ],
      withPixels,
      NOW,
    );
    expect(found.map((row) => [row.campaign_id, row.issues.map((issue) => issue.rule)])).toEqual([
      ['name', ['name_convention']],
      ['exclusion', ['no_purchaser_exclusion']],
      ['pixel', ['wrong_pixel']],
      ['promo', ['promo_without_end_date']],
    ]);
    expect(found.find((row) => row.campaign_id === 'exclusion')?.patch).toEqual({ excludes_purchasers: true });
  });

  it('finds the $2,500/day TikTok budget typo (alert) and the Meta campaign without utm_campaign (warning), and proposes the fixes', async () => {
    const result = await runCampaignConfigAudit(jobContext(db, 'campaign-config-audit', 'cca-1', NOW), settings, NOW);
    expect(result.found.map((row) => [row.platform, row.campaign_id, row.issues.map((issue) => issue.rule)])).toEqual([
      ['tiktok', GIFT_SET_TIKTOK, ['budget_over_cap']],
      ['meta', TIDEPOOL_META, ['utm_missing']],
    ]);
    expect(result.found[0]?.issues[0]?.detail).toBe('daily budget $2500.00 is over the $1000 cap (it was $250.00 before the edit)');
    expect(result.found[0]?.patch).toEqual({ daily_budget: 250 });
    expect(result.found[1]?.patch).toEqual({ url_tags: 'utm_source=meta&utm_medium=paid_social&utm_campaign=sm-prospecting-tidepool-serum' });
    expect(result.outcome.outcome).toBe('2 misconfigured campaigns, posted');
    const signals = await sql<Array<{ severity: string; payload: { campaign_id: string } }>>`
      select severity, payload from bot_signals where signal_type = 'ad_config_issue' order by payload ->> 'platform' desc`;
    expect(signals.map((row) => [row.severity, row.payload.campaign_id])).toEqual([
      ['alert', GIFT_SET_TIKTOK],
      ['warning', TIDEPOOL_META],
    ]);
    expect(result.approvals.map((approval) => approval.created)).toEqual([true, true]);
    const again = await runCampaignConfigAudit(
      jobContext(db, 'campaign-config-audit', 'cca-2', NOW, { fingerprint: result.outcome.fingerprint ?? '' }),
      settings,
      NOW,
    );
    expect(again.outcome.outcome).toBe('2 misconfigured campaigns, unchanged since the last run (not reposted)');
    expect(again.signals).toBe(0);
    expect(again.approvals.map((approval) => approval.created)).toEqual([false, false]);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it("answers the operator's reply to the budget alert with the issue and the pending fix", async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'ad_config_issue' and severity = 'alert'`;
    const answer = await answerOperator(
      {
        text: 'what happened?',
        operatorMessageId: 'm1',
        signalId: signal?.id ?? null,
        approvalId: null,
        instructionSignalId: 's1',
        channel: 'local',
        senderId: 'op',
      },
      jobContext(db, 'reply', 'reply-1', NOW),
    );
    expect(answer).toMatch(/^tiktok "SM \| Prospecting \| Gift Set Spark Ads": budget over cap \(2500\)\. Approve /);
  });

  it('the approved fixes change the sample campaigns once, across a re-execution', async () => {
    const rows = await sql<Array<{ id: string; draft: unknown }>>`select id, draft from approvals where action = 'fix_campaign_config' order by requested_at`;
    for (const row of rows) {
      const draft = fixCampaignConfig.draft.parse(row.draft);
      await fixCampaignConfig.execute(draft, executionContext(db, row.id), {} as never);
      const second = await fixCampaignConfig.execute(draft, executionContext(db, row.id), {} as never);
      expect(second.budget_changed || second.config_changed).toBe(false);
    }
    const campaigns = await createConnectors({ db, env: {} }).paidMedia.listCampaigns();
    expect(campaigns.find((row) => row.id === GIFT_SET_TIKTOK)?.dailyBudget).toBe(250);
    expect(campaigns.find((row) => row.id === TIDEPOOL_META)?.urlTags).toContain('utm_campaign=');
    expect((await sql`select 1 from sample_paid_changes`).length).toBe(2);
    // Fixed: the next audit finds nothing wrong with them.
    expect(auditCampaigns(campaigns, settings, NOW)).toEqual([]);
  });

  it('finds nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      expect(auditCampaigns(await createConnectors({ db: healthyDb, env: {} }).paidMedia.listCampaigns(), settings, NOW)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
