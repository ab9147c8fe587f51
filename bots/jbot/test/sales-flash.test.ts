import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import pino from 'pino';
import { buildBotServices } from '@jbot/core';
import { answerJbotInstruction, jbot, queueMorningBrief, salesFlash, salesFlashSettings } from '../src/index.js';
import { runJbotJob } from './jbot-job-harness.js';

// The sample company loaded at a fixed instant so "yesterday" (the 14th, UTC) and the month to
// date are the same on every run: 07:10 on the 15th, as the job's cron fires.
const LOADED_AT = new Date('2026-12-15T06:00:00Z');
const FLASH_AT = new Date('2026-12-15T07:10:00Z');

// The same company with Amazon selling to plan: no channel down vs last week, the month on pace.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const reporting = data.reporting as {
    amazon_order_metrics: Array<{ days_ago: number; revenue: number; orders: number; brands: Record<string, { revenue: number }> }>;
  };
  const lastWeek = reporting.amazon_order_metrics.find((row) => row.days_ago === 8);
  for (const row of reporting.amazon_order_metrics) {
    const scale = (row.days_ago === 1 && lastWeek !== undefined ? lastWeek.revenue / row.revenue : 1) / 0.58;
    row.revenue *= scale;
    for (const brand of Object.values(row.brands)) brand.revenue *= scale;
  }
  return data;
}

describe('jbot sales-flash', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: LOADED_AT });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared on jbot at 07:10 daily with the catalogue thresholds as defaults', () => {
    expect(salesFlash.schedule).toBe('10 7 * * *');
    expect(jbot.jobs?.map((job) => job.id)).toContain('sales-flash');
    expect(salesFlashSettings.load({})).toEqual({ SALES_FLASH_CHANNEL_DROP_PCT: 25, SALES_FLASH_PACE_FLOOR_PCT: 90, SALES_FLASH_PACE_AFTER_DAY: 7 });
    expect(() => salesFlashSettings.load({ SALES_FLASH_PACE_FLOOR_PCT: 'ninety' })).toThrow(/SALES_FLASH_PACE_FLOOR_PCT/);
  });

  it('finds the planted case: Amazon down 31% vs last Monday and the month behind plan → the #jbot table, sales_flash and revenue_pace_miss', async () => {
    const first = await runJbotJob<{
      outcome: string;
      fingerprint: string;
      detail: { day: string; pace: number; flagged: string[]; paceSignal: string | null };
    }>(salesFlash, { db, runId: 'flash-1', scheduledFor: FLASH_AT });
    expect(first.detail.day).toBe('2026-12-14');
    expect(first.detail.flagged).toEqual(['amazon']);
    expect(first.detail.pace).toBeLessThan(90);
    expect(first.detail.paceSignal).not.toBeNull();

    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'jbot' and text like 'Sales flash Mon 2026-12-14%'`;
    expect(post?.text).toMatch(/⚠ Amazon: \$\d+ · \d+ orders · AOV \$\d+ · \d+ units · −31% vs LW/);
    expect(post?.text).toMatch(/• DTC: \$[\d,]+ · \d+ orders/);
    expect(post?.text).toContain('By brand:');
    expect(post?.text).toMatch(/Month to date \(December 2026, day 14\): \$[\d,]+ vs \$[\d,]+ plan to date = \d+(\.\d)?% ⚠ behind plan/);

    const signals = await sql<Array<{ signal_type: string; severity: string; payload: Record<string, unknown> }>>`
      select signal_type, severity::text, payload from bot_signals where source_bot = 'jbot' order by seq`;
    expect(signals.map((signal) => [signal.signal_type, signal.severity])).toEqual([
      ['sales_flash', 'info'],
      ['revenue_pace_miss', 'warning'],
    ]);
    const flash = signals[0]?.payload as { channels: Array<{ channel: string; vs_last_week_pct: number }>; headline: string; mtd_pace_pct: number };
    expect(flash.channels.map((channel) => channel.channel)).toEqual(['dtc', 'wholesale', 'amazon']);
    expect(flash.channels.find((channel) => channel.channel === 'amazon')?.vs_last_week_pct).toBe(-31);
    expect(flash.headline).toMatch(/^Yesterday \$[\d,]+ from \d+ orders \([+−±][\d.]+% vs last Mon\); MTD \d+(\.\d)?% of plan$/);
    const miss = signals[1]?.payload as { month: string; channels_behind: Array<{ channel: string }> };
    expect(miss.month).toBe('2026-12');
    expect(miss.channels_behind.map((channel) => channel.channel)).toEqual(['amazon']);

    // The same figures again (a catch-up, a second host): not reposted, one signal each.
    const again = await runJbotJob<{ outcome: string }>(salesFlash, { db, runId: 'flash-2', scheduledFor: FLASH_AT, lastFingerprint: first.fingerprint });
    expect(again.outcome).toMatch(/unchanged \(not reposted\)$/);
    expect((await sql`select 1 from channel_messages where bot = 'jbot' and text like 'Sales flash Mon%'`).length).toBe(1);
    expect((await sql`select 1 from bot_signals where source_bot = 'jbot'`).length).toBe(2);
  });

  it("the operator's reply to the pace-miss line explains the gap by channel", async () => {
    const [miss] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'revenue_pace_miss'`;
    const services = buildBotServices(jbot, { db, log: pino({ level: 'silent' }), host: 'test-host' });
    const answer = await answerJbotInstruction(
      { text: 'why?', operatorMessageId: 'm1', signalId: miss?.id ?? null, approvalId: null, instructionSignalId: 'i1', channel: 'telegram', senderId: '1' },
      services.context(new AbortController().signal, pino({ level: 'silent' })),
    );
    expect(answer).toMatch(/^2026-12 is at \d+(\.\d)?% of plan to date \(\$[\d,]+ vs \$[\d,]+\)\. Behind: Amazon \d+(\.\d)?% of plan \(\$[\d,]+ behind\)/);
  });

  it("the morning brief quotes today's flash headline above the ranked items", async () => {
    await queueMorningBrief(db, { chats: ['local-operator'], lookbackHours: 72, key: 'brief-1' });
    const [brief] = await sql<Array<{ text: string }>>`select text from telegram_outbox where idempotency_key = 'brief:brief-1:local-operator'`;
    expect(brief?.text).toMatch(/^Good morning — nothing needs you now\.\n📈 Yesterday \$[\d,]+ from \d+ orders/);
  });

  it('a day with no order on any channel is missing data: one line, no pace judged, no signal (bench day raised a false pace miss)', async () => {
    const before = (await sql`select 1 from bot_signals where source_bot = 'jbot'`).length;
    const result = await runJbotJob<{ outcome: string; detail: { paceSignal: string | null } }>(salesFlash, {
      db,
      runId: 'flash-empty',
      scheduledFor: new Date('2027-03-15T07:10:00Z'),
    });
    expect(result.outcome).toBe('No orders recorded for 2027-03-14, posted');
    expect(result.detail.paceSignal).toBeNull();
    expect((await sql`select 1 from bot_signals where source_bot = 'jbot'`).length).toBe(before);
  });

  it('finds nothing to flag on a healthy variant: no channel down, no pace miss', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { now: LOADED_AT, data: healthyVariant() });
      const result = await runJbotJob<{ detail: { flagged: string[]; pace: number; paceSignal: string | null } }>(salesFlash, {
        db: healthyDb,
        runId: 'flash-healthy',
        scheduledFor: FLASH_AT,
      });
      expect(result.detail.flagged).toEqual([]);
      expect(result.detail.pace).toBeGreaterThanOrEqual(90);
      expect(result.detail.paceSignal).toBeNull();
      const types = await healthyDb.rpc<{ signal_type: string }>('list_signals', { p_limit: 10 });
      expect(types.map((row) => row.signal_type)).toEqual(['sales_flash']);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
