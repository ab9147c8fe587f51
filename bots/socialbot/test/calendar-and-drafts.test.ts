import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, createSignalEmitter, decideApproval, getApproval, startBot, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import { socialbot } from '../src/bot.js';
import { calendarGapsJob, calendarGapsSettings, findCalendarIssues, findPostSlots, postDrafts, postDraftsSettings } from '../src/index.js';
import { fleetRegistry, runJob, silent } from './job-harness.js';

// The calendar with the gift-set week filled, the draft approved and the Holiday Trio post moved to a SKU in stock.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const social = data.social as { calendar: Array<Record<string, unknown>> };
  for (const entry of social.calendar) {
    if (entry['id'] === 'CC-901') entry['status'] = 'approved';
    if (entry['id'] === 'CC-902') entry['sku'] = 'DW-101';
  }
  let n = 0;
  for (const [platform, missing] of [
    ['instagram', 2],
    ['pinterest', 4],
  ] as const)
    for (let index = 0; index < missing; index += 1)
      social.calendar.push({
        id: `CC-H${(n += 1)}`,
        title: 'DW gift set',
        brand: 'DW',
        platform,
        in_days: 8 + index,
        owner: 'socialbot',
        status: 'approved',
        sku: 'DW-102',
        pillar: 'offer',
      });
  return data;
}

describe('socialbot calendar-gaps and post-drafts', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 8 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const context = () => ({ db, connectors: createConnectors({ db, env: {} }) });

  it('finds the gift-set week gaps (Driftwood Instagram 2/4, Pinterest 6/10), the unapproved draft and the Holiday Trio post', async () => {
    expect(calendarGapsJob.schedule).toBe('0 8 * * *');
    const findings = await findCalendarIssues(context(), calendarGapsSettings.load({}));
    expect(findings.gaps.map((gap) => [gap.brand, gap.platform, gap.scheduled, gap.target, gap.launch])).toEqual([
      ['DW', 'instagram', 2, 4, 'Holiday gift-set push'],
      ['DW', 'pinterest', 6, 10, 'Holiday gift-set push'],
    ]);
    expect(findings.unapproved.map((entry) => entry.id)).toEqual(['CC-901']);
    expect(findings.lowCover.map((entry) => [entry.id, entry.sku])).toEqual([['CC-902', 'DW-109']]);
  });

  it('finds nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant() });
      const findings = await findCalendarIssues({ db: healthyDb, connectors: createConnectors({ db: healthyDb, env: {} }) }, calendarGapsSettings.load({}));
      expect(findings).toEqual({ gaps: [], unapproved: [], lowCover: [] });
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the calendar and raises calendar_gap as warnings (a launch week), once a day', async () => {
    const first = await runJob(socialbot, calendarGapsJob, db, { runId: 'calendar-1' });
    expect(first.outcome).toBe('4 calendar issues, posted');
    const gaps = await sql<
      Array<{ severity: string; payload: Record<string, unknown> }>
    >`select severity, payload from bot_signals where signal_type = 'calendar_gap' order by payload ->> 'platform'`;
    expect(gaps.map((gap) => [gap.severity, gap.payload['platform'], gap.payload['launch']])).toEqual([
      ['warning', 'instagram', 'Holiday gift-set push'],
      ['warning', 'pinterest', 'Holiday gift-set push'],
    ]);
    expect(
      await sql`select 1 from channel_messages where bot = 'socialbot' and text like '%DW instagram, week of%2/4%Holiday gift-set push week%'`,
    ).toHaveLength(1);
    await runJob(socialbot, calendarGapsJob, db, { runId: 'calendar-2', last: { fingerprint: first.fingerprint ?? null } });
    expect(await sql`select 1 from bot_signals where signal_type = 'calendar_gap'`).toHaveLength(2);
  });

  it('drafts the missing posts inside T+3..T+7 on SKUs in stock (never the held one), with cleared UGC, and schedules them once approved', async () => {
    expect(postDrafts.schedule).toBe('0 10 * * 1-5');
    const bot = await startBot(socialbot, {
      db,
      config: testBotConfig(),
      log: silent,
      registry: fleetRegistry(),
      extensions: { connectors: createConnectors({ db, env: {} }) },
      approvals: { pollMs: 200 },
    });
    try {
      // shipbot's stockout_risk and studiobot's ugc_available, in their catalogued shapes.
      const shipbot = createSignalEmitter({ db, registry: fleetRegistry(), bot: 'shipbot' });
      await shipbot.emit('stockout_risk', {
        sku: 'DW-101',
        location: 'PDX-1',
        available: 40,
        days_of_cover: 2.5,
        stockout_date: '2026-12-04',
        next_inbound_eta: null,
        channels: ['dtc'],
      });
      const studiobot = createSignalEmitter({ db, registry: fleetRegistry(), bot: 'studiobot' });
      await studiobot.emit('ugc_available', {
        asset_id: 'UGC-DW-7',
        brand: 'DW',
        platform: 'instagram',
        permalink: 'https://cdn.example.com/ugc/dw-7.jpg',
        rights_scope: ['organic'],
        expires_at: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      });
      await waitFor(
        async () => ((await db.rpc('list_social_sku_holds')).length > 0 && (await db.rpc('list_ugc_assets', { p_bot: 'socialbot' })).length > 0 ? true : null),
        {
          what: 'the hold and the UGC',
          timeoutMs: 30_000,
        },
      );
      const slots = await findPostSlots({ ...context(), bot: 'socialbot' }, postDraftsSettings.load({}));
      expect(slots.map((slot) => [slot.brand, slot.platform]).sort()).toEqual([
        ['DW', 'instagram'],
        ['DW', 'instagram'],
        ['DW', 'pinterest'],
        ['DW', 'pinterest'],
        ['DW', 'pinterest'],
        ['DW', 'pinterest'],
      ]);
      expect(slots.some((slot) => slot.sku === 'DW-101' || slot.sku === 'DW-104' || slot.sku === 'DW-109')).toBe(false);
      expect(slots[0]?.ugc?.asset_id).toBe('UGC-DW-7');

      const first = await runJob(socialbot, postDrafts, db, { runId: 'drafts-1' });
      expect(first.outcome).toBe('6 post(s) drafted; schedule_social_posts asked');
      const approvalId = String(first.detail['approvalId']);
      // Waiting for a decision: the same gaps are not drafted again.
      expect((await runJob(socialbot, postDrafts, db, { runId: 'drafts-2', last: { result: first.detail } })).outcome).toBe('nothing to report');

      await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' });
      const done = await waitFor(
        async () => {
          const approval = await getApproval(db, approvalId);
          return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
        },
        { what: 'schedule_social_posts to execute', timeoutMs: 30_000 },
      );
      expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    } finally {
      await bot.stop();
    }
    const published = (await db.rpc('sample_social_actions')).filter((action) => action['action'] === 'publish');
    expect(published).toHaveLength(6);
    // On the calendar now: the gift-set week is at cadence.
    const findings = await findCalendarIssues(context(), calendarGapsSettings.load({}));
    expect(findings.gaps).toEqual([]);
  });
});
