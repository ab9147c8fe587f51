import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { answerOperator, checkLaunches, launchReadiness, launchReadinessSettings, runLaunchReadiness } from '../src/index.js';
import { mktgbot } from '../src/bot.js';

const silent = pino({ level: 'silent' });
// Loaded at 07:00 PT; the checklist runs at its catalogue time, 08:15 PT.
const LOADED_AT = new Date('2026-12-01T15:00:00Z');
const NOW = new Date('2026-12-01T16:15:00Z');
const settings = launchReadinessSettings.load({ FLEET_TZ: 'America/Los_Angeles' });

// Both launches fully prepared: a Saltmarsh email and post on the gift set, and the gift sets stocked through the push.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const email = data.mktg_email as { email_calendar: Array<Record<string, unknown>> };
  email.email_calendar.push({ id: 'CC-344', title: 'Saltmarsh gift set', brand: 'SM', in_days: 6, owner: 'mktgbot', status: 'planned', sku: 'SM-110' });
  const social = data.social as { calendar: Array<Record<string, unknown>> };
  social.calendar.push({
    id: 'CC-990',
    title: 'The Saltmarsh gift set',
    brand: 'SM',
    platform: 'instagram',
    in_days: 6,
    owner: 'socialbot',
    status: 'approved',
    sku: 'SM-110',
    pillar: 'offer',
  });
  for (const file of [data.shopify, data.shipbot] as Array<{ inventory: Array<{ sku: string; on_hand: number }> }>)
    for (const level of file.inventory) if (level.sku === 'SM-110' || level.sku === 'DW-109') level.on_hand += 2000;
  return data;
}

describe('mktgbot launch-readiness', () => {
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

  const context = (runId: string, lastFingerprint: string | null) => ({
    ...buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, { job: 'launch-readiness', runId }),
    connectors: createConnectors({ db, env: {} }),
    job: 'launch-readiness',
    runId,
    scheduledFor: NOW,
    attempt: 1,
    manual: false,
    idempotencyKey: runId,
    lastRun: async () => (lastFingerprint === null ? null : ({ fingerprint: lastFingerprint } as never)),
  });

  it('is declared on mktgbot weekdays at 08:15 with the catalogue horizon and T−7 as defaults', () => {
    expect(launchReadiness.schedule).toBe('15 8 * * 1-5');
    expect(launchReadiness.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('launch-readiness');
    expect(settings).toMatchObject({ LAUNCH_HORIZON_DAYS: 14, LAUNCH_WARNING_DAYS: 7 });
    expect([...settings.LAUNCH_SKUS]).toEqual([
      ['LAUNCH-SMGIFT', ['SM-110']],
      ['LAUNCH-GIFT', ['DW-109']],
    ]);
    expect(() => launchReadinessSettings.load({ LAUNCH_SKUS: 'SM-110' })).toThrow(/LAUNCH_SKUS/);
  });

  it('finds the Saltmarsh gift set without a post or an email, its SM-110 inbound on the late SHKGH0525145 (alert); the Driftwood push short only of stock', async () => {
    const checks = await checkLaunches({ db, connectors: createConnectors({ db, env: {} }) }, settings, NOW);
    expect(checks.map((check) => [check.launch_id, check.days_to_launch, check.severity, check.missing.map((item) => item.owner_bot)])).toEqual([
      ['LAUNCH-GIFT', 7, 'alert', ['shipbot']],
      ['LAUNCH-SMGIFT', 7, 'alert', ['mktgbot', 'socialbot', 'shipbot']],
    ]);
    const saltmarsh = checks.find((check) => check.launch_id === 'LAUNCH-SMGIFT');
    expect(saltmarsh?.missing.find((item) => item.owner_bot === 'shipbot')?.item).toMatch(
      /^SM-110 Saltmarsh Gift Set: \d+\.\d days of cover for a launch running to 2026-12-14; inbound on SHKGH0525145 expected 2026-12-15$/,
    );
    expect(saltmarsh?.inventory_eta).toBe('2026-12-15');
  });

  it('finds both launches ready on a healthy variant of the company', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      const checks = await checkLaunches({ db: healthyDb, connectors: createConnectors({ db: healthyDb, env: {} }) }, settings, NOW);
      expect(checks.map((check) => [check.launch_id, check.missing, check.severity])).toEqual([
        ['LAUNCH-GIFT', [], null],
        ['LAUNCH-SMGIFT', [], null],
      ]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the checklist and raises launch_at_risk per launch with the missing pieces by owner; a rerun neither reposts nor re-raises', async () => {
    const first = await runLaunchReadiness(context('launch-1', null), settings, NOW);
    expect(first.outcome.outcome).toBe('2 red launch checklists, posted');
    expect(first.signals).toBe(2);
    const signals = await sql<Array<{ severity: string; payload: { launch: string; missing: Array<{ owner_bot: string }>; inventory_eta: string } }>>`
      select severity, payload from bot_signals where signal_type = 'launch_at_risk' order by payload ->> 'launch'`;
    expect(
      signals.map((signal) => [signal.severity, signal.payload.launch, signal.payload.missing.map((item) => item.owner_bot), signal.payload.inventory_eta]),
    ).toEqual([
      ['alert', 'Holiday gift-set push', ['shipbot'], '2026-12-15'],
      ['alert', 'Saltmarsh gift set', ['mktgbot', 'socialbot', 'shipbot'], '2026-12-15'],
    ]);
    const again = await runLaunchReadiness(context('launch-2', first.outcome.fingerprint ?? null), settings, NOW);
    expect(again.outcome.outcome).toMatch(/unchanged since the last run \(not reposted\)$/);
    expect(again.signals).toBe(0);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it("answers the operator's reply to launch_at_risk with what each owner is missing", async () => {
    const [signal] = await sql<
      Array<{ id: string }>
    >`select id from bot_signals where signal_type = 'launch_at_risk' and payload ->> 'launch' = 'Saltmarsh gift set'`;
    const answer = await answerOperator(
      {
        text: 'what is missing?',
        operatorMessageId: 'm1',
        signalId: signal?.id ?? null,
        approvalId: null,
        instructionSignalId: 's1',
        channel: 'local',
        senderId: 'op',
      },
      context('reply', null),
    );
    expect(answer).toMatch(
      /^launch at risk — Saltmarsh gift set on 2026-12-08: mktgbot: no email scheduled or planned for Saltmarsh gift set \| socialbot: no social post on SM-110/,
    );
    expect(answer).toContain('Stock arrives 2026-12-15');
  });
});
