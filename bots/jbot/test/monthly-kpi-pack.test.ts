import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, decideApproval, getApproval, loadLlmConfig, startBot, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeAnthropic, testBotConfig, waitFor, type FakeAnthropic, type TestDatabase } from '@jbot/testkit';
import { createJbot, jbot, kpiPackSettings, monthlyKpiPack, shareKpiPack } from '../src/index.js';
import { runJbotJob } from './jbot-job-harness.js';

const silent = pino({ level: 'silent' });
// Loaded on the 1st; the pack runs at 08:00 for November.
const LOADED_AT = new Date('2026-12-01T06:00:00Z');
const PACK_AT = new Date('2026-12-01T08:00:00Z');

// November with Driftwood on Amazon and Saltmarsh DTC back on plan: nothing beyond ±10%.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const reporting = data.reporting as {
    monthly_kpis: Array<{ month_offset: number; channel: string; brand: string; revenue: number; cogs: number }>;
    plan_targets: Array<{ month_offset: number; channel: string; brand: string; revenue: number }>;
  };
  for (const row of reporting.monthly_kpis) {
    if (row.month_offset !== -1) continue;
    const plan = reporting.plan_targets.find((target) => target.month_offset === -1 && target.channel === row.channel && target.brand === row.brand);
    if (plan === undefined || Math.abs(row.revenue / plan.revenue - 1) <= 0.05) continue;
    row.cogs *= plan.revenue / row.revenue;
    row.revenue = plan.revenue;
  }
  return data;
}

describe('jbot monthly-kpi-pack', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let anthropic: FakeAnthropic;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    anthropic = await startFakeAnthropic();
    await loadSampleCompany(db, { now: LOADED_AT });
  });
  afterAll(async () => {
    await anthropic?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared on jbot at 08:00 on the 1st with the catalogue variance threshold', () => {
    expect(monthlyKpiPack.schedule).toBe('0 8 1 * *');
    expect(jbot.jobs?.map((job) => job.id)).toContain('monthly-kpi-pack');
    expect(kpiPackSettings.load({})).toEqual({ KPI_PACK_VARIANCE_PCT: 10, JBOT_EXEC_EMAILS: [] });
  });

  it('finds the planted variances (Driftwood on Amazon −22%, Saltmarsh DTC +16% vs plan), comments them with one smart-tier call, posts with the CSV, notes and asks share_kpi_pack', async () => {
    anthropic.respondWith((request) => {
      const text = JSON.stringify(request.messages);
      const metrics = [...text.matchAll(/- (Revenue · [^:]+?): actual/g)].map((match) => match[1] ?? '');
      return { text: JSON.stringify({ comments: metrics.map((metric) => ({ metric, comment: `${metric} moved: check the channel owner's notes.` })) }) };
    });
    const llm = loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url });
    const result = await runJbotJob<{ outcome: string; detail: { month: string; slots: number; approvalId: string } }>(monthlyKpiPack, {
      db,
      runId: 'pack-1',
      scheduledFor: PACK_AT,
      llm,
    });
    expect(result.detail.month).toBe('2026-11');
    expect(result.outcome).toBe('November 2026 pack posted, 2 variances commented; share_kpi_pack asked');
    expect(anthropic.requests).toHaveLength(1);
    expect(anthropic.requests[0]?.model).toBe(llm.models.smart);
    const [usage] = await sql<Array<{ bot: string; job: string }>>`select bot, job from llm_usage`;
    expect(usage).toEqual({ bot: 'jbot', job: 'monthly-kpi-pack' });

    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'jbot' and text like 'KPI pack — November 2026%'`;
    expect(post?.text).toMatch(/◆ Revenue · Driftwood Candle Co\. on Amazon: \$[\d,]+ · plan \$[\d,]+ \(−22%\)/);
    expect(post?.text).toMatch(/◆ Revenue · Saltmarsh Apothecary on DTC: \$[\d,]+ · plan \$[\d,]+ \(\+16%\)/);
    expect(post?.text).toMatch(/• OTIF: 9\d(\.\d)?% · prior month [+−±][\d.]+% · prior year/);
    expect(post?.text).toContain('◆ Revenue · Driftwood Candle Co. on Amazon moved');
    expect(post?.text).toContain('```csv\nmetric,unit,actual,plan,prior_month,prior_year,vs_plan_pct');

    const [note] = await sql<
      Array<{ payload: { detail: { kind: string; variances: string[] } } }>
    >`select payload from bot_signals where signal_type = 'bot_note'`;
    expect(note?.payload.detail).toMatchObject({
      kind: 'kpi_pack',
      variances: ['Revenue · Saltmarsh Apothecary on DTC', 'Revenue · Driftwood Candle Co. on Amazon'],
    });

    const approval = await getApproval(db, result.detail.approvalId);
    expect(approval).toMatchObject({ action: 'share_kpi_pack', status: 'pending', title: 'Email the November 2026 KPI pack to exec-team@harborandpine.com' });
    // A catch-up run finds the pack already asked.
    const again = await runJbotJob<{ detail: { approvalId: string } }>(monthlyKpiPack, { db, runId: 'pack-2', scheduledFor: PACK_AT });
    expect(again.detail.approvalId).toBe(result.detail.approvalId);
  });

  it('approving emails the pack with its CSV once; the executor again sends nothing', async () => {
    const [row] = await sql<Array<{ id: string }>>`select id from approvals where action = 'share_kpi_pack'`;
    const approvalId = row?.id ?? '';
    const bot = await startBot(createJbot({ env: { FLEET_TZ: 'UTC' } }), {
      db,
      config: testBotConfig(),
      log: silent,
      extensions: { connectors: createConnectors({ db, env: {} }) },
      approvals: { pollMs: 200 },
    });
    try {
      await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' });
      const done = await waitFor(
        async () => {
          const approval = await getApproval(db, approvalId);
          return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
        },
        { what: 'share_kpi_pack to execute', timeoutMs: 30_000 },
      );
      expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    } finally {
      await bot.stop();
    }
    const sent = await db.rpc<{ to_addresses: string[]; subject: string; attachments: Array<{ filename: string; content: string }> }>('sample_mail_list_sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to_addresses: ['exec-team@harborandpine.com'], subject: 'KPI pack — November 2026' });
    expect(sent[0]?.attachments[0]?.filename).toBe('kpi-pack-2026-11.csv');

    const approval = await getApproval(db, approvalId);
    const context = buildBotServices(jbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const rerun = await shareKpiPack.execute(
      shareKpiPack.draft.parse(approval?.draft),
      { ...context, connectors: createConnectors({ db, env: {} }), approvalId, idempotencyKey: `approval:${approvalId}` },
      approval as never,
    );
    expect(rerun.sent_now).toBe(false);
    expect(await db.rpc('sample_mail_list_sent')).toHaveLength(1);
  });

  it('a healthy month has no commentary slot and makes no model call', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { now: LOADED_AT, data: healthyVariant() });
      const before = anthropic.requests.length;
      const result = await runJbotJob<{ outcome: string; detail: { slots: number } }>(monthlyKpiPack, {
        db: healthyDb,
        runId: 'pack-healthy',
        scheduledFor: PACK_AT,
        llm: loadLlmConfig({ ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_BASE_URL: anthropic.url }),
      });
      expect(result.detail.slots).toBe(0);
      expect(anthropic.requests.length).toBe(before);
      expect(result.outcome).toBe('November 2026 pack posted, 0 variances commented; share_kpi_pack asked');
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
