import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, readSampleCompanyData, type SampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { socialbot } from '../src/bot.js';
import { measureSocialPerformance, socialPerformance, socialPerformanceSettings } from '../src/index.js';
import { runJob } from './job-harness.js';

// No organic post went out yesterday: nothing to measure.
function quietDay(): SampleCompanyData {
  const data = structuredClone(readSampleCompanyData());
  const social = data.social as { posts: Array<Record<string, unknown>> };
  for (const post of social.posts) if (post['days_ago'] === 1) post['days_ago'] = 2;
  return data;
}

describe('socialbot social-performance', () => {
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

  it("ranks yesterday's 8 posts against each platform's median: SP-001 top decile, SP-002 bottom", async () => {
    expect(socialPerformance.schedule).toBe('0 9 * * *');
    const { performance, learnings } = await measureSocialPerformance({ connectors: createConnectors({ db, env: {} }) }, socialPerformanceSettings.load({}));
    expect(performance).toHaveLength(8);
    expect(performance[0]).toMatchObject({ post_id: 'SP-001', decile: 'top' });
    expect(performance.at(-1)).toMatchObject({ post_id: 'SP-002', decile: 'bottom' });
    expect(performance.filter((post) => post.decile !== null).length).toBeLessThanOrEqual(3);
    expect(learnings.every((learning) => learning.n >= 5)).toBe(true);
    expect(learnings.some((learning) => learning.verdict === 'above')).toBe(true);
  });

  it('posts, records learnings and leaves one bot_note (social_performance) for the digest', async () => {
    const first = await runJob(socialbot, socialPerformance, db, { runId: 'performance-1' });
    expect(first.outcome).toBe('8 posts, posted');
    const notes = await sql<
      Array<{ payload: { detail: Record<string, unknown> } }>
    >`select payload from bot_signals where signal_type = 'bot_note' and source_bot = 'socialbot'`;
    expect(notes).toHaveLength(1);
    expect(notes[0]?.payload.detail).toMatchObject({ kind: 'social_performance', posts: 8, top: ['SP-001'] });
    expect(notes[0]?.payload.detail['bottom']).toContain('SP-002');
    expect((await db.rpc('list_creative_learnings', { p_bot: 'socialbot' })).length).toBeGreaterThan(0);
  });

  it('reports nothing on a day without posts', async () => {
    const quiet = await freshDatabase();
    const quietDb = createPostgresDb({ url: quiet.url, poolMax: 2 });
    try {
      await loadSampleCompany(quietDb, { data: quietDay() });
      expect((await runJob(socialbot, socialPerformance, quietDb, { runId: 'performance-quiet', manual: true })).outcome).toBe('nothing to report');
    } finally {
      await quietDb.close();
      await quiet.drop();
    }
  });
});
