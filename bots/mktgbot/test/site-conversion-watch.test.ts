import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { judgeOrderGap, runSiteConversionWatch, siteConversionSettings, siteConversionWatch, answerOperator } from '../src/index.js';
import { mktgbot } from '../src/bot.js';
import { searchJobContext } from './search-test-context.js';

// Loaded at noon PT; the 12:10 run judges 10:00–12:00.
const LOADED_AT = new Date('2026-12-01T20:00:00Z');
const NOW = new Date('2026-12-01T20:10:00Z');
const settings = siteConversionSettings.load({ FLEET_TZ: 'America/Los_Angeles' });

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  (data.mktg_search as { ga4_hourly: { planted: unknown[] } }).ga4_hourly.planted = [];
  return data;
}

describe('mktgbot site-conversion-watch', () => {
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

  it('is declared every 2 hours 08:10–22:10, skipping missed ticks, with the catalogue thresholds as defaults', () => {
    expect(siteConversionWatch.schedule).toBe('10 8-22/2 * * *');
    expect(siteConversionWatch.missed).toBe('skip');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('site-conversion-watch');
    expect(siteConversionSettings.load({})).toMatchObject({
      SITE_CONVERSION_RATE_SHARE_PCT: 60,
      SITE_CONVERSION_MIN_SESSIONS: 200,
      SITE_NO_ORDERS_BASELINE_MIN: 8,
      SITE_NO_ORDERS_CRITICAL_HOURS: 4,
    });
    expect(() => siteConversionSettings.load({ SITE_CONVERSION_MIN_SESSIONS: '-3' })).toThrow(/SITE_CONVERSION_MIN_SESSIONS/);
  });

  it('the order rules: none in 2 h vs ≥ 8 last week → alert; none for 4 daytime hours → critical; night hours never critical', () => {
    const end = new Date('2026-12-01T20:00:00Z'); // 12:00 PT
    const lastWeek = (hoursBefore: number, count: number) =>
      Array.from({ length: count }, (_, index) => new Date(end.getTime() - 7 * 86_400_000 - hoursBefore * 3_600_000 + index * 60_000));
    expect(
      judgeOrderGap([...lastWeek(1, 9), new Date(end.getTime() - 3 * 3_600_000)], end, settings).map((finding) => [finding.rule, finding.severity]),
    ).toEqual([['no_orders', 'alert']]);
    expect(judgeOrderGap([...lastWeek(1, 5), ...lastWeek(3, 5)], end, settings).map((finding) => [finding.rule, finding.severity])).toEqual([
      ['no_orders_daytime', 'critical'],
    ]);
    expect(judgeOrderGap([...lastWeek(1, 9), new Date(end.getTime() - 30 * 60_000)], end, settings)).toEqual([]);
    const night = new Date('2026-12-01T12:00:00Z'); // 04:00 PT
    const nightLastWeek = Array.from({ length: 10 }, (_, index) => new Date(night.getTime() - 7 * 86_400_000 - 3 * 3_600_000 + index * 60_000));
    expect(judgeOrderGap(nightLastWeek, night, settings).map((finding) => finding.severity)).not.toContain('critical');
  });

  it('finds the planted mobile checkout drop, raises conversion_drop (alert) once per day, and posts on change', async () => {
    const first = await runSiteConversionWatch(searchJobContext(db, 'site-conversion-watch', 'site-1', NOW), settings, NOW);
    expect(first.findings.map((finding) => [finding.device, finding.rule, finding.severity])).toEqual([['mobile', 'checkout_rate', 'alert']]);
    expect(first.findings[0]?.rate).toBeLessThan(0.25);
    expect(first.findings[0]?.baseline_rate).toBeGreaterThan(0.55);
    expect(first.findings[0]?.sessions).toBeGreaterThanOrEqual(200);
    expect(first.outcome.outcome).toBe('1 conversion drop, posted');
    const signals = await sql<Array<{ severity: string; payload: { device: string; window: string } }>>`
      select severity, payload from bot_signals where signal_type = 'conversion_drop'`;
    expect(signals.map((signal) => [signal.severity, signal.payload.device, signal.payload.window])).toEqual([['alert', 'mobile', '2026-12-01 10:00–12:00']]);

    const again = await runSiteConversionWatch(
      searchJobContext(db, 'site-conversion-watch', 'site-2', NOW, { lastFingerprint: first.outcome.fingerprint ?? null }),
      settings,
      new Date(NOW.getTime() + 60_000),
    );
    expect(again.outcome.outcome).toBe('1 conversion drop, unchanged since the last run (not reposted)');
    expect(again.signals).toBe(0);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it("answers the operator's reply to the drop with its figures and what to check", async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'conversion_drop'`;
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
      searchJobContext(db, 'reply', 'reply-1', NOW),
    );
    expect(answer).toMatch(/^conversion drop — mobile checkout→purchase \d+\.\d% vs \d+\.\d% .*2026-12-01 10:00–12:00/);
  });

  it('finds nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 3 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      const run = await runSiteConversionWatch(searchJobContext(healthyDb, 'site-conversion-watch', 'healthy', NOW, { manual: true }), settings, NOW);
      expect(run.findings).toEqual([]);
      expect(run.outcome.outcome).toBe('nothing to report');
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
