import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db, type OperatorInstruction } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { forecastQuarter, quarterOf, runWeeklyForecast, weeklyForecast, weeklyForecastSettings } from '../src/index.js';
import { salesbot } from '../src/bot.js';
import { jobContext, midQuarter, sampleHubSpot } from './pipeline-fixtures.js';

const SETTINGS = { minCoverage: 3, minWeightedPct: 90 };

// A quarter the pipeline covers: a target a fifth of the planted one.
function coveredVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  for (const goal of (data.salesbot_pipeline as { goals: Array<Record<string, unknown>> }).goals) goal['target'] = 60_000;
  return data;
}

describe('salesbot weekly-forecast', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;
  const now = midQuarter();
  const today = now.toISOString().slice(0, 10);

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now });
    hubspot = await sampleHubSpot(now);
  });
  afterAll(async () => {
    await hubspot?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared for Mondays at 07:45 with the catalogue gap rule as defaults', () => {
    expect(weeklyForecast.schedule).toBe('45 7 * * 1');
    expect(weeklyForecast.missed).toBe('once');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('weekly-forecast');
    expect(weeklyForecastSettings.load({})).toMatchObject({ SALES_FORECAST_MIN_COVERAGE: 3, SALES_FORECAST_MIN_WEIGHTED_PCT: 90 });
  });

  it('finds the planted gap against the $600k quarter target and the 2 deals that slipped out last week', async () => {
    const forecast = await forecastQuarter(createConnectors({ db, env: {} }), today, now, SETTINGS);
    expect(forecast).toMatchObject({ quarter: quarterOf(today).label, target: 600_000, gap: true });
    expect(forecast.coverage_ratio).toBeLessThan(3);
    expect(forecast.reasons.join(' ')).toMatch(/coverage .* is under 3×/);
    expect(forecast.slipped.map((deal) => deal.deal_id).sort()).toEqual(['18200340182', '18200340481']);
    expect(forecast.slipped.every((deal) => deal.from <= forecast.end && deal.to > forecast.end)).toBe(true);
    // Weighted is Σ amount × stage probability over the open deals closing in the quarter.
    const deals = await createConnectors({ db, env: {} }).crm.listDeals();
    const probability: Record<string, number> = {
      appointmentscheduled: 0.2,
      qualifiedtobuy: 0.4,
      presentationscheduled: 0.6,
      decisionmakerboughtin: 0.8,
      contractsent: 0.9,
    };
    const expected = deals
      .filter((deal) => !deal.isClosed && deal.closeDate !== null && deal.closeDate >= forecast.start && deal.closeDate <= forecast.end)
      .reduce((sum, deal) => sum + (deal.amount ?? 0) * (probability[deal.stage] ?? 0), 0);
    expect(forecast.weighted).toBe(Math.round(expected));
  });

  it('computes the same forecast through HubSpot (pipelines API, goal_targets, property history) at the fake', async () => {
    const live = createConnectors({ db, env: { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url } });
    const sample = await forecastQuarter(createConnectors({ db, env: {} }), today, now, SETTINGS);
    const fromHubSpot = await forecastQuarter(live, today, now, SETTINGS);
    expect(fromHubSpot).toEqual(sample);
  });

  it('finds no gap when the pipeline covers the target', async () => {
    const covered = await freshDatabase();
    const coveredDb = createPostgresDb({ url: covered.url, poolMax: 2 });
    try {
      await loadSampleCompany(coveredDb, { data: coveredVariant(), now });
      const forecast = await forecastQuarter(createConnectors({ db: coveredDb, env: {} }), today, now, SETTINGS);
      expect({ gap: forecast.gap, reasons: forecast.reasons }).toEqual({ gap: false, reasons: [] });
    } finally {
      await coveredDb.close();
      await covered.drop();
    }
  });

  it('posts the forecast and raises forecast_gap once a week; the reply names the deals to push and the slipped ones', async () => {
    const first = await runWeeklyForecast(
      jobContext(db, 'weekly-forecast', 'fc-1', weeklyForecastSettings.load({}), now, null),
      weeklyForecastSettings.load({}),
      now,
    );
    expect(first.outcome.outcome).toBe('1 quarter forecast, posted');
    const [post] = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'salesbot' and text like '%Slipped out of the quarter last week%'`;
    expect(post?.text).toContain('**Gap:** coverage');
    const again = await runWeeklyForecast(
      jobContext(db, 'weekly-forecast', 'fc-2', weeklyForecastSettings.load({}), now, null, true),
      weeklyForecastSettings.load({}),
      now,
    );
    expect(again.signalId).toBe(first.signalId);
    const signals = await sql<
      Array<{ id: string; severity: string; payload: { target: number; slipped: unknown[] } }>
    >`select id, severity, payload from bot_signals where signal_type = 'forecast_gap'`;
    expect(signals.map((signal) => [signal.severity, signal.payload.target, signal.payload.slipped.length])).toEqual([['warning', 600_000, 2]]);

    const instruction: OperatorInstruction = {
      text: 'what do we do?',
      operatorMessageId: 'op-fc',
      signalId: signals[0]?.id ?? '',
      approvalId: null,
      instructionSignalId: 'ins-fc',
      channel: 'local',
      senderId: 'operator',
    };
    const context = jobContext(db, 'weekly-forecast', 'fc-3', { FLEET_TZ: 'UTC' }, now, null);
    const answer = await salesbot.onInstruction?.(instruction, context as never);
    expect(answer).toMatch(/to go; weighted \$[\d,]+ \(was \$[\d,]+ at the alert\)\. Push these to close: .+ at .+\. Pull back in: /);
  });
});
