import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { answerOperator, judgeListGrowth, klaviyoListGrowth, listGrowthSettings, runListGrowth } from '../src/index.js';
import { mktgbot } from '../src/bot.js';

const silent = pino({ level: 'silent' });
// Loaded at 07:00 PT; the check runs at its catalogue time, 08:30 PT.
const LOADED_AT = new Date('2026-12-01T15:00:00Z');
const NOW = new Date('2026-12-01T16:30:00Z');
const settings = listGrowthSettings.load({});

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  (data.mktg_email as { forms: { broken: unknown[] } }).forms.broken = [];
  return data;
}

describe('mktgbot klaviyo-list-growth', () => {
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
    ...buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, { job: 'klaviyo-list-growth', runId }),
    connectors: createConnectors({ db, env: {} }),
    job: 'klaviyo-list-growth',
    runId,
    scheduledFor: NOW,
    attempt: 1,
    manual: false,
    idempotencyKey: runId,
    lastRun: async () => (lastFingerprint === null ? null : ({ fingerprint: lastFingerprint } as never)),
  });

  it('is declared on mktgbot daily at 08:30 with the catalogue thresholds as defaults', () => {
    expect(klaviyoListGrowth.schedule).toBe('30 8 * * *');
    expect(klaviyoListGrowth.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('klaviyo-list-growth');
    expect(settings).toEqual({
      KLAVIYO_FORM_BROKEN_SHARE_PCT: 50,
      KLAVIYO_FORM_MEDIAN_DAYS: 14,
      KLAVIYO_FORM_MIN_DAILY_VIEWS: 500,
      KLAVIYO_LIST_DECLINE_DAYS: 3,
    });
    expect(() => listGrowthSettings.load({ KLAVIYO_FORM_MIN_DAILY_VIEWS: 'many' })).toThrow(/KLAVIYO_FORM_MIN_DAILY_VIEWS/);
  });

  it('finds the mobile pop-up broken (submit rate under half its 14-day median at ≥ 500 views) and nothing else on the sample company', async () => {
    const klaviyo = createConnectors({ db, env: {} }).klaviyo;
    const window = { end: NOW, days: 30 };
    const forms = await klaviyo.formReports(window);
    expect(forms).toHaveLength(4);
    const findings = judgeListGrowth(forms, await klaviyo.subscriberGrowth(window), settings);
    expect(findings.map((finding) => (finding.kind === 'form_broken' ? [finding.kind, finding.form_id, finding.day] : [finding.kind]))).toEqual([
      ['form_broken', 'Fm7Pop', '2026-11-30'],
    ]);
    expect(findings[0]).toMatchObject({ views: expect.any(Number) as number, submit_rate: expect.any(Number) as number });
    expect(findings[0]?.kind === 'form_broken' && findings[0].detail).toMatch(/low for 2 days/);
  });

  it('finds nothing on a healthy variant of the company', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      const klaviyo = createConnectors({ db: healthyDb, env: {} }).klaviyo;
      const window = { end: NOW, days: 30 };
      expect(judgeListGrowth(await klaviyo.formReports(window), await klaviyo.subscriberGrowth(window), settings)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('reports a list declining 3 days running, and not 2', () => {
    const growth = (nets: number[]) => nets.map((net, index) => ({ day: `2026-11-2${index}`, subscribed: 100, unsubscribed: 100 - net }));
    expect(judgeListGrowth([], growth([5, -1, -2, -3]), settings).map((finding) => finding.kind)).toEqual(['list_decline']);
    expect(judgeListGrowth([], growth([-5, 1, -2, -3]), settings)).toEqual([]);
  });

  it('posts the broken form and raises klaviyo_issue form_broken as a warning; a rerun neither reposts nor re-raises, and no model is called', async () => {
    const first = await runListGrowth(context('growth-1', null), settings, NOW);
    expect(first.outcome.outcome).toBe('1 list growth issue, posted');
    expect(first.signals).toBe(1);
    const posts = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'mktgbot' and text like '%form broken%'`;
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toMatch(/Mobile pop-up: 10% off first order/);
    const signals = await sql<Array<{ severity: string; payload: { kind: string; object_id: string } }>>`
      select severity, payload from bot_signals where signal_type = 'klaviyo_issue'`;
    expect(signals.map((signal) => [signal.severity, signal.payload.kind, signal.payload.object_id])).toEqual([['warning', 'form_broken', 'Fm7Pop']]);

    const again = await runListGrowth(context('growth-2', first.outcome.fingerprint ?? null), settings, NOW);
    expect(again.outcome.outcome).toBe('1 list growth issue, unchanged since the last run (not reposted)');
    expect(again.signals).toBe(0);
    expect((await sql`select 1 from bot_signals where signal_type = 'klaviyo_issue'`).length).toBe(1);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it("answers the operator's reply to the broken-form warning with its figures", async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'klaviyo_issue'`;
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
      context('reply', null),
    );
    expect(answer).toMatch(/^form broken — Mobile pop-up: 10% off first order \(Fm7Pop\): submit_rate = 0\.00\d+ vs 0\.0\d+\. \d+ submits from \d+ views/);
  });
});
