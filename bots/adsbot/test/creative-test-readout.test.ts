import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { adsbot } from '../src/bot.js';
import { creativeTestReadout, creativeTestSettings, readCreativeTests, twoProportionPValue } from '../src/index.js';
import { runJob } from './job-harness.js';

// Each test's ads, as the sample data lists them.
const SNACK_BOX = ['23860000000126', '23860000000127', '23860000000128'];
const POUR_OVER_REVEAL = '23860000000134';

// The same tests with evenly matched arms, strong hooks and no zero-purchase ad: nothing to call.
function healthyVariant(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const creative = data.ads_creative as { insights: Array<Record<string, unknown>> };
  const byAd = new Map<string, Record<string, unknown>>();
  for (const row of creative.insights) if (row['ad_id'] === SNACK_BOX[0]) byAd.set(String(row['days_ago']), row);
  for (const row of creative.insights) {
    const id = String(row['ad_id']);
    if (SNACK_BOX.includes(id) && id !== SNACK_BOX[0]) Object.assign(row, { ...byAd.get(String(row['days_ago'])), ad_id: id });
    if (id === POUR_OVER_REVEAL) row['video_3s_views'] = Math.round(Number(row['impressions']) * 0.3);
  }
  return data;
}

describe('adsbot creative-test-readout', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('computes the two-proportion p-value', () => {
    // 24/1184 vs 12/1194: z ≈ 2.02, two-sided p ≈ 0.043.
    expect(twoProportionPValue(24, 1184, 12, 1194)).toBeCloseTo(0.043, 2);
    expect(twoProportionPValue(10, 600, 10, 600)).toBeCloseTo(1, 6);
    expect(twoProportionPValue(0, 0, 1, 10)).toBe(1);
  });

  it('calls the Snack Box winner, pauses its loser and the zero-purchase ad, names the Pour-Over hook problem, waits on Tidepool', async () => {
    const readouts = await readCreativeTests(createConnectors({ db, env: {} }), creativeTestSettings.load({}));
    expect(readouts.map((readout) => [readout.test_id, readout.verdict])).toEqual([
      ['CT-01', 'winner'],
      ['CT-03', 'no_winner'],
    ]);
    const [snack, pourOver] = readouts;
    expect(snack?.winner_ad_id).toBe(SNACK_BOX[0]);
    expect(snack?.p_value).toBeLessThan(0.1);
    expect(snack?.pause.map((ad) => ad.ad_id)).toEqual([SNACK_BOX[1], SNACK_BOX[2]]);
    expect(pourOver?.pause).toEqual([]);
    expect(pourOver?.hook_problems.map((ad) => ad.ad_id)).toEqual([POUR_OVER_REVEAL]);
  });

  it('calls nothing on a healthy variant', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    try {
      await loadSampleCompany(healthyDb, { data: healthyVariant() });
      const readouts = await readCreativeTests(createConnectors({ db: healthyDb, env: {} }), creativeTestSettings.load({}));
      expect(readouts.every((readout) => readout.verdict === 'no_winner' && readout.pause.length === 0 && readout.hook_problems.length === 0)).toBe(true);
    } finally {
      await healthyDb.close();
      await healthy.drop();
    }
  });

  it('posts the calls, records learnings and asks apply_creative_test_result once for the Snack Box test', async () => {
    expect(creativeTestReadout.schedule).toBe('0 9 * * *');
    const first = await runJob(adsbot, creativeTestReadout, db, { runId: 'readout-1' });
    expect(first.outcome).toBe('2 creative test calls, posted; apply_creative_test_result asked for 1');
    const approvals = first.detail['approvals'] as string[];
    const approval = await getApproval(db, approvals[0] ?? '');
    expect(approval).toMatchObject({ action: 'apply_creative_test_result', status: 'pending' });
    expect((approval?.draft as { pause: unknown[] }).pause).toHaveLength(2);
    const learnings = await db.rpc('list_creative_learnings', { p_bot: 'adsbot' });
    expect(learnings.find((row) => row['verdict'] === 'won')).toMatchObject({ tag_kind: expect.any(String), source: `CT-01:${SNACK_BOX[0]}` });
    expect(learnings.some((row) => row['verdict'] === 'weak_hook' && row['tag_value'] === 'unboxing')).toBe(true);
    expect(await sql`select 1 from channel_messages where bot = 'adsbot' and text like '%Snack Box hooks%wins%'`).toHaveLength(1);

    const again = await runJob(adsbot, creativeTestReadout, db, { runId: 'readout-2', last: { fingerprint: first.fingerprint ?? null } });
    expect(again.outcome).toContain('unchanged since the last run');
    expect(again.detail['approvals']).toEqual(approvals);
  });
});
