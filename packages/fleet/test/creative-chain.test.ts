import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { createPostgresDb, decideApproval, getApproval, startBot, type Db, type RunningBot } from '@jbot/core';
import { loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import { fleetRuntime, rosterEntry } from '../src/index.js';

const silent = pino({ level: 'silent' });
const DAY_MS = 86_400_000;

// The creative chain of catalogue §4 across the three bots' real processes-worth of code:
// adsbot's creative-fatigue finds the planted "Coastal Fog" fatigue → studiobot's ad_fatigue
// handler shortlists rights-cleared UGC (ugc_available) → adsbot's handler takes it into its
// library → adsbot's creative-briefs drafts new ads with it → approved, the ads are created
// PAUSED, once. Nothing here is emitted by the test: every signal comes from a bot.
describe('the creative chain: ad fatigue → UGC shortlist → rights-cleared content → new ad drafts', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const running: RunningBot[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 8 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
    const runtime = fleetRuntime(db);
    for (const name of ['adsbot', 'studiobot']) {
      running.push(
        await startBot(await rosterEntry(name).load(), {
          db,
          config: testBotConfig(),
          log: silent,
          registry: runtime.registry,
          fleet: runtime.fleet,
          extensions: runtime.extensions,
          approvals: { pollMs: 200 },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const bot of running) await bot.stop();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  /** Ask a bot to run a job now (as `fleet run` does) and wait for the run to succeed. */
  async function runNow(bot: string, job: string): Promise<void> {
    const [requested] = await db.rpc<{ run_id: string }>('request_manual_run', { p_bot: bot, p_job: job, p_requested_by: 'test' });
    const runId = requested?.run_id ?? '';
    const [finished] = await waitFor(
      async () => {
        const rows = await sql<Array<{ status: string; error: string | null }>>`select status, error from cron_runs where id = ${runId}`;
        return rows[0] !== undefined && !['requested', 'running'].includes(rows[0].status) ? rows : null;
      },
      { what: `${bot}/${job} to finish`, timeoutMs: 60_000 },
    );
    expect(finished).toEqual({ status: 'succeeded', error: null });
  }

  it('runs end to end on the sample company, each step by the bot that owns it', async () => {
    await runNow('adsbot', 'creative-fatigue');
    const [fatigue] = await sql<Array<{ id: string; payload: { ad_id: string; ad_name?: string } }>>`
      select id, payload from bot_signals where signal_type = 'ad_fatigue' and source_bot = 'adsbot'`;
    expect(fatigue?.payload.ad_name).toMatch(/Coastal Fog/);

    // studiobot answers with the brand's rights-cleared assets, licensed for ads a month or more:
    // one ugc_available each, then one shortlist post once they are all out.
    await waitFor(async () => ((await sql`select 1 from channel_messages where bot = 'studiobot' and text like 'UGC shortlist%'`).length > 0 ? true : null), {
      what: "studiobot's UGC shortlist",
      timeoutMs: 30_000,
    });
    const shortlist = await sql<Array<{ payload: { asset_id: string; rights_scope: string[]; expires_at: string; replaces_ad_id?: string } }>>`
      select payload from bot_signals where signal_type = 'ugc_available' and source_bot = 'studiobot'`;
    expect(shortlist.length).toBeGreaterThan(0);
    for (const { payload } of shortlist) {
      expect(payload.replaces_ad_id).toBe(fatigue?.payload.ad_id);
      expect(payload.rights_scope).toContain('meta_ads');
      expect(Date.parse(payload.expires_at)).toBeGreaterThan(Date.now() + 30 * DAY_MS);
    }
    const offered = new Set(shortlist.map(({ payload }) => payload.asset_id));
    await waitFor(
      async () => ((await db.rpc<{ asset_id: string }>('list_ugc_assets', { p_bot: 'adsbot' })).some((asset) => offered.has(asset.asset_id)) ? true : null),
      {
        what: "the shortlist in adsbot's creative library",
        timeoutMs: 30_000,
      },
    );

    // adsbot's brief for the fatigued ad set uses the cleared UGC; approved, the ads are drafted once.
    await runNow('adsbot', 'creative-briefs');
    const [request] = await sql<Array<{ id: string; draft: { ads: Array<{ asset_id: string }> } }>>`
      select id, draft from approvals where bot = 'adsbot' and action = 'create_ad_drafts' and status = 'pending'`;
    expect(request?.draft.ads.some((ad) => offered.has(ad.asset_id))).toBe(true);
    const before = (await db.rpc('sample_ads_list_ads')).length;
    await decideApproval(db, { approvalId: request?.id ?? '', decision: 'approved', decidedBy: 'cli:ana', decidedVia: 'local' });
    const done = await waitFor(
      async () => {
        const approval = await getApproval(db, request?.id ?? '');
        return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
      },
      { what: 'create_ad_drafts to execute', timeoutMs: 30_000 },
    );
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    const ads = await db.rpc<{ asset_id: string | null; status: string }>('sample_ads_list_ads');
    expect(ads.length - before).toBe(request?.draft.ads.length);
    expect(ads.filter((ad) => ad.asset_id !== null && offered.has(ad.asset_id)).every((ad) => ad.status === 'PAUSED')).toBe(true);
  });
});
