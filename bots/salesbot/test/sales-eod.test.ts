import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import { findPipelineMovement, runSalesEod, salesEod, salesEodSettings, startOfLocalDay } from '../src/index.js';
import { salesbot } from '../src/bot.js';
import { jobContext, midQuarter, sampleHubSpot } from './pipeline-fixtures.js';

const SETTINGS = { amountChangePct: 10, closePushDays: 14 };

// The same day with nothing moved: today's changes happened yesterday.
function quietVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  for (const entry of (data.salesbot_pipeline as { history: Array<Record<string, unknown>> }).history)
    if (entry['minutes_ago'] !== undefined) {
      delete entry['minutes_ago'];
      entry['days_ago'] = 1;
    }
  return data;
}

describe('salesbot sales-eod', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;
  const now = midQuarter();
  const since = startOfLocalDay(now.toISOString().slice(0, 10), 'UTC');

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

  const shape = (movements: Awaited<ReturnType<typeof findPipelineMovement>>) =>
    movements
      .map((movement) => [movement.kind, movement.deal_id, movement.from, movement.to])
      .sort((left, right) => `${left[0]}${left[1]}`.localeCompare(`${right[0]}${right[1]}`));

  it('is declared for weekdays at 17:30 with the catalogue thresholds as defaults', () => {
    expect(salesEod.schedule).toBe('30 17 * * 1-5');
    expect(salesbot.jobs?.map((job) => job.id)).toContain('sales-eod');
    expect(salesEodSettings.load({})).toMatchObject({ SALES_EOD_AMOUNT_CHANGE_PCT: 10, SALES_EOD_CLOSE_PUSH_DAYS: 14 });
  });

  it("finds today's planted movement: 3 deals advanced, an amount up 26%, a close date pushed 21 days", async () => {
    const movements = await findPipelineMovement(createConnectors({ db, env: {} }), since, SETTINGS);
    expect(shape(movements)).toEqual([
      ['advanced', '18200340234', 'appointmentscheduled', 'qualifiedtobuy'],
      ['advanced', '18200340312', 'qualifiedtobuy', 'presentationscheduled'],
      ['advanced', '18200340624', 'appointmentscheduled', 'qualifiedtobuy'],
      ['amount_changed', '18200340312', '3400', '4300'],
      ['close_pushed', '18200340624', expect.any(String), expect.any(String)],
    ]);
    const pushed = movements.find((movement) => movement.kind === 'close_pushed');
    expect((Date.parse(pushed?.to ?? '') - Date.parse(pushed?.from ?? '')) / 86_400_000).toBe(21);
  });

  it('finds the same movement through HubSpot (search + batch read with propertiesWithHistory) at the fake', async () => {
    const live = createConnectors({ db, env: { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url } });
    const sample = await findPipelineMovement(createConnectors({ db, env: {} }), since, SETTINGS);
    expect(shape(await findPipelineMovement(live, since, SETTINGS))).toEqual(shape(sample));
    expect(hubspot.requests.some((request) => request.path === '/crm/v3/objects/deals/batch/read')).toBe(true);
  });

  it('finds nothing on a day when nothing moved', async () => {
    const quiet = await freshDatabase();
    const quietDb = createPostgresDb({ url: quiet.url, poolMax: 2 });
    try {
      await loadSampleCompany(quietDb, { data: quietVariant(), now });
      expect(await findPipelineMovement(createConnectors({ db: quietDb, env: {} }), since, SETTINGS)).toEqual([]);
    } finally {
      await quietDb.close();
      await quiet.drop();
    }
  });

  it('posts the movement once and leaves a pipeline_movement note for the digest; an unchanged day is not reposted', async () => {
    const first = await runSalesEod(jobContext(db, 'sales-eod', 'eod-1', salesEodSettings.load({}), now, null), salesEodSettings.load({}), now);
    expect(first.outcome.outcome).toBe('5 pipeline movements, posted');
    const [post] = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'salesbot' and text like '%**Advanced**%'`;
    expect(post?.text).toContain('Qualified to buy → Presentation scheduled');
    expect(post?.text).toContain('amount $3,400 → $4,300');
    const notes = await sql<
      Array<{ severity: string; payload: { detail: { kind: string; movements: unknown[] } } }>
    >`select severity, payload from bot_signals where signal_type = 'bot_note'`;
    expect(notes.map((note) => [note.severity, note.payload.detail.kind, note.payload.detail.movements.length])).toEqual([['info', 'pipeline_movement', 5]]);

    const again = await runSalesEod(
      jobContext(db, 'sales-eod', 'eod-2', salesEodSettings.load({}), now, first.outcome.fingerprint ?? null),
      salesEodSettings.load({}),
      now,
    );
    expect(again.outcome.outcome).toBe('5 pipeline movements, unchanged since the last run (not reposted)');
    expect((await sql`select 1 from bot_signals where signal_type = 'bot_note'`).length).toBe(1);
  });
});
