import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type KlaviyoFlowReport, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeKlaviyo, type FakeKlaviyoFlow, type TestDatabase } from '@jbot/testkit';
import { answerOperator, flowHealthSettings, judgeFlows, klaviyoFlowHealth, runFlowHealth } from '../src/index.js';
import { mktgbot } from '../src/bot.js';

const silent = pino({ level: 'silent' });
// Loaded at 07:00 PT; the check runs at its catalogue time, 08:00 PT.
const LOADED_AT = new Date('2026-12-01T15:00:00Z');
const NOW = new Date('2026-12-01T16:00:00Z');
const settings = flowHealthSettings.load({});

function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  (data.klaviyo_flow_daily as { stalled: unknown[] }).stalled = [];
  return data;
}

// A flow report built by hand: `days` daily sends at `rpr` dollars per recipient, the last 30 at `recentRpr`.
function report(name: string, rpr: number, recentRpr: number): KlaviyoFlowReport {
  const days = Array.from({ length: 60 }, (_, index) => ({ day: `d${index}`, recipients: 100, revenue: 100 * (index >= 30 ? recentRpr : rpr) }));
  return {
    id: name,
    name,
    status: 'live',
    trigger: null,
    days,
    last30: { recipients: 3000, revenue: 3000 * recentRpr, openRate: 0.4, clickRate: 0.03, conversionRate: 0.02, unsubscribeRate: 0.002, spamComplaintRate: 0 },
  };
}

describe('mktgbot klaviyo-flow-health', () => {
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

  const context = (runId: string, lastFingerprint: string | null, connectors = createConnectors({ db, env: {} })) => ({
    ...buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, { job: 'klaviyo-flow-health', runId }),
    connectors,
    job: 'klaviyo-flow-health',
    runId,
    scheduledFor: NOW,
    attempt: 1,
    manual: false,
    idempotencyKey: runId,
    lastRun: async () => (lastFingerprint === null ? null : ({ fingerprint: lastFingerprint } as never)),
  });

  it('is declared on mktgbot daily at 08:00 with the catalogue thresholds and benchmarks as defaults', () => {
    expect(klaviyoFlowHealth.schedule).toBe('0 8 * * *');
    expect(klaviyoFlowHealth.missed).toBe('once');
    expect(mktgbot.jobs?.map((job) => job.id)).toContain('klaviyo-flow-health');
    expect(settings).toMatchObject({
      KLAVIYO_FLOW_STALL_HOURS: 48,
      KLAVIYO_FLOW_STALL_MIN_DAILY: 20,
      KLAVIYO_RPR_BENCHMARK_WELCOME: 2.65,
      KLAVIYO_RPR_BENCHMARK_ABANDONED_CART: 3.65,
      KLAVIYO_RPR_BENCHMARK_BROWSE: 1.07,
      KLAVIYO_RPR_BENCHMARK_POST_PURCHASE: 0.41,
      KLAVIYO_RPR_BENCHMARK_SHARE_PCT: 50,
      KLAVIYO_RPR_DROP_PCT: 30,
    });
    expect(() => flowHealthSettings.load({ KLAVIYO_FLOW_STALL_HOURS: 'two days' })).toThrow(/KLAVIYO_FLOW_STALL_HOURS/);
  });

  it('finds Browse Abandonment stalled at 0 recipients for 3 days, and nothing else on the sample company', async () => {
    const findings = judgeFlows(await createConnectors({ db, env: {} }).klaviyo.flowReports({ end: NOW, days: 60 }), settings);
    expect(findings.map((finding) => [finding.kind, finding.flow_id, finding.flow])).toEqual([['flow_stalled', 'XkbQf2', 'Browse Abandonment']]);
    expect(findings[0]?.detail).toMatch(/^0 recipients for 3 days \(since 2026-11-28\); it normally sends \d+ a day/);
  });

  it('judges revenue per recipient against the benchmark share and the previous 30 days', () => {
    const findings = judgeFlows(
      [report('Welcome Series', 2.5, 1.2), report('Coffee Replenishment', 2.0, 1.3), report('Abandoned Checkout', 3.6, 3.5)],
      settings,
    );
    expect(findings.map((finding) => [finding.flow, finding.value, finding.benchmark])).toEqual([
      ['Coffee Replenishment', 1.3, 2],
      ['Welcome Series', 1.2, 2.65],
    ]);
    expect(findings[1]?.detail).toBe('RPR $1.20 is under 50% of the welcome benchmark $2.65; RPR $1.20 is down 52% from $2.50 the 30 days before');
  });

  it('finds nothing on a healthy variant of the company', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant(), now: LOADED_AT });
      const reports = await createConnectors({ db: healthyDb, env: {} }).klaviyo.flowReports({ end: NOW, days: 60 });
      expect(reports).toHaveLength(7);
      expect(judgeFlows(reports, settings)).toEqual([]);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the stalled flow and raises klaviyo_issue flow_stalled as an alert; a rerun neither reposts nor re-raises, and no model is called', async () => {
    const first = await runFlowHealth(context('flows-1', null), settings, NOW);
    expect(first.outcome.outcome).toBe('1 flow issue, posted');
    expect(first.signals).toBe(1);
    const posts = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'mktgbot' and text like '%Klaviyo flows: 1 stalled, 0 underperforming%'`;
    expect(posts).toHaveLength(1);
    const signals = await sql<Array<{ severity: string; payload: { kind: string; object_id: string; value: number } }>>`
      select severity, payload from bot_signals where signal_type = 'klaviyo_issue'`;
    expect(signals.map((signal) => [signal.severity, signal.payload.kind, signal.payload.object_id, signal.payload.value])).toEqual([
      ['alert', 'flow_stalled', 'XkbQf2', 0],
    ]);

    const again = await runFlowHealth(context('flows-2', first.outcome.fingerprint ?? null), settings, NOW);
    expect(again.outcome.outcome).toBe('1 flow issue, unchanged since the last run (not reposted)');
    expect(again.signals).toBe(0);
    expect((await sql`select 1 from bot_signals where signal_type = 'klaviyo_issue'`).length).toBe(1);
    expect((await sql`select 1 from llm_usage where bot = 'mktgbot'`).length).toBe(0);
  });

  it("answers the operator's reply to the stalled-flow alert with its figures", async () => {
    const [signal] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'klaviyo_issue'`;
    const answer = await answerOperator(
      { text: 'why?', operatorMessageId: 'm1', signalId: signal?.id ?? null, approvalId: null, instructionSignalId: 's1', channel: 'local', senderId: 'op' },
      context('reply', null),
    );
    expect(answer).toMatch(/^flow stalled — Browse Abandonment \(XkbQf2\): recipients_48h = 0 vs \d+\. 0 recipients for 3 days/);
  });

  it('finds the same through the live Klaviyo connector: one series and one values report call for all flows', async () => {
    const rows = await db.rpc('sample_klaviyo_flow_daily_report', { p_start: '2026-10-02', p_end: '2026-12-01' });
    const flows = new Map<string, FakeKlaviyoFlow>();
    for (const row of rows) {
      const id = String(row['flow_id']);
      const flow = flows.get(id) ?? {
        id,
        name: String(row['name']),
        status: String(row['status']),
        triggerType: String(row['trigger']),
        daily: [],
        rates: { open_rate: 0.45, click_rate: 0.03, conversion_rate: 0.02, unsubscribe_rate: 0.002, spam_complaint_rate: 0.00004 },
      };
      flow.daily.push({ day: String(row['day']).slice(0, 10), recipients: Number(row['recipients']), revenue: Number(row['revenue']) });
      flows.set(id, flow);
    }
    const klaviyo = await startFakeKlaviyo({ seed: { flows: [...flows.values()] } });
    try {
      const connectors = createConnectors({ db, env: { KLAVIYO_API_KEY: klaviyo.apiKey, KLAVIYO_API_BASE: klaviyo.url } });
      const reports = await connectors.klaviyo.flowReports({ end: NOW, days: 60 });
      expect(reports).toHaveLength(7);
      expect(
        reports
          .find((flow) => flow.id === 'XkbQf2')
          ?.days.slice(-3)
          .map((day) => day.recipients),
      ).toEqual([0, 0, 0]);
      expect(reports.find((flow) => flow.id === 'Xk9Qf0')?.last30.openRate).toBeCloseTo(0.45);
      expect(judgeFlows(reports, settings).map((finding) => [finding.kind, finding.flow_id])).toEqual([['flow_stalled', 'XkbQf2']]);
      const reportCalls = klaviyo.requests.filter((request) => request.path.includes('-reports'));
      expect(reportCalls.map((request) => request.path)).toEqual(['/api/flow-series-reports', '/api/flow-values-reports']);
      expect(reportCalls[0]?.body).toMatchObject({
        data: {
          type: 'flow-series-report',
          attributes: { interval: 'daily', conversion_metric_id: 'RESQ6t', timeframe: { start: '2026-10-02T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' } },
        },
      });
    } finally {
      await klaviyo.close();
    }
  });
});
