import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, createSignalEmitter, decideApproval, getApproval, startBot, type Db, type RunningBot } from '@jbot/core';
import { createConnectors, loadSampleCompany, type Connectors } from '@jbot/connectors';
import { freshDatabase, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import { adsbot } from '../src/bot.js';
import { creativeBriefs, creativeFatigue } from '../src/index.js';
import { fleetRegistry, runJob, silent } from './job-harness.js';

const COASTAL_FOG_SET = '23860000000001';
const COASTAL_FOG = '23860000000101';

// studiobot's ugc_available, in the catalogued shape, answering the Coastal Fog fatigue.
const UGC = {
  asset_id: 'UGC-IG-17902',
  brand: 'DW',
  platform: 'instagram',
  permalink: 'https://www.instagram.com/p/C0astalF0g/',
  rights_scope: ['meta_ads', 'organic'],
  expires_at: new Date(Date.now() + 180 * 86_400_000).toISOString(),
  licensor: '@rainydaycandles',
  replaces_ad_id: COASTAL_FOG,
};

describe('adsbot creative-briefs and the creative chain (ad fatigue → UGC → new ad drafts)', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let bot: RunningBot;
  let connectors: Connectors;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 8 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
    connectors = createConnectors({ db, env: {} });
    bot = await startBot(adsbot, {
      db,
      config: testBotConfig(),
      log: silent,
      registry: fleetRegistry(),
      extensions: { connectors },
      approvals: { pollMs: 200 },
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared for weekdays at 10:00', () => {
    expect(creativeBriefs.schedule).toBe('0 10 * * 1-5');
  });

  it("briefs the thin Coastal Fog ad set on its fatigue trigger with studiobot's cleared UGC, and drafts the ads PAUSED once approved", async () => {
    await runJob(adsbot, creativeFatigue, db, { runId: 'chain-fatigue' });
    await waitFor(async () => ((await db.rpc('list_open_ad_brief_triggers')).length > 0 ? true : null), { what: 'the fatigue trigger', timeoutMs: 30_000 });
    const studiobot = createSignalEmitter({ db, registry: fleetRegistry(), bot: 'studiobot' });
    await studiobot.emit('ugc_available', UGC);
    await waitFor(async () => ((await db.rpc('list_ugc_assets', { p_bot: 'adsbot' })).length > 0 ? true : null), {
      what: 'the UGC in the library',
      timeoutMs: 30_000,
    });

    const first = await runJob(adsbot, creativeBriefs, db, { runId: 'briefs-1' });
    expect(first.outcome).toBe('1 brief(s) posted; create_ad_drafts asked');
    expect(first.detail['subjects']).toEqual([COASTAL_FOG_SET]);
    const approvalId = (first.detail['approvals'] as string[])[0] ?? '';
    const approval = await getApproval(db, approvalId);
    const draft = approval?.draft as { ad_set_id: string; ads: Array<{ asset_id: string; ugc: boolean }> };
    expect(draft.ad_set_id).toBe(COASTAL_FOG_SET);
    expect(draft.ads.every((ad) => ad.asset_id === UGC.asset_id && ad.ugc)).toBe(true);
    expect(await sql`select 1 from channel_messages where bot = 'adsbot' and text like ${'%fatigue on Coastal Fog%Angle:%'}`).toHaveLength(1);
    expect((await db.rpc('list_open_ad_brief_triggers')).length).toBe(0);

    // Briefed and waiting for a decision: no second brief, no model call.
    const calls = (await sql`select 1 from llm_usage where bot = 'adsbot'`).length;
    const again = await runJob(adsbot, creativeBriefs, db, { runId: 'briefs-2', last: { result: first.detail } });
    expect(again.outcome).toBe('nothing to report');
    expect(await sql`select 1 from llm_usage where bot = 'adsbot'`).toHaveLength(calls);

    const before = (await db.rpc('sample_ads_list_ads')).length;
    await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' });
    const done = await waitFor(
      async () => {
        const current = await getApproval(db, approvalId);
        return current?.status === 'executed' || current?.status === 'failed' ? current : null;
      },
      { what: 'create_ad_drafts to execute', timeoutMs: 30_000 },
    );
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    const ads = await db.rpc('sample_ads_list_ads');
    const drafted = ads.filter((ad) => ad['asset_id'] === UGC.asset_id);
    expect(ads.length - before).toBe(draft.ads.length);
    expect(drafted.every((ad) => ad['status'] === 'PAUSED' && ad['queued'] === true && ad['ad_set_id'] === COASTAL_FOG_SET)).toBe(true);
    expect((await db.rpc('list_ugc_assets', { p_bot: 'adsbot' }))[0]?.['used_at']).not.toBeNull();
  });

  it('ignores UGC not cleared for paid ads', async () => {
    const studiobot = createSignalEmitter({ db, registry: fleetRegistry(), bot: 'studiobot' });
    const { id } = await studiobot.emit('ugc_available', { ...UGC, asset_id: 'UGC-ORGANIC-ONLY', rights_scope: ['organic'], replaces_ad_id: undefined });
    await waitFor(
      async () => {
        const [receipt] = await sql<Array<{ status: string }>>`select status from signal_receipts where signal_id = ${id} and consumer_bot = 'adsbot'`;
        return receipt?.status === 'handled' ? true : null;
      },
      { what: 'the organic-only UGC to be handled', timeoutMs: 30_000 },
    );
    expect((await db.rpc('list_ugc_assets', { p_bot: 'adsbot' })).map((asset) => asset['asset_id'])).not.toContain('UGC-ORGANIC-ONLY');
  });

  it('ugc_rights_expiring on an asset live in an ad asks rotate_creatives for that ad', async () => {
    const studiobot = createSignalEmitter({ db, registry: fleetRegistry(), bot: 'studiobot' });
    // LIB-006 backs a live ad in the sample account.
    const live = (await connectors.ads.listAds()).find((ad) => ad.status === 'ACTIVE' && ad.assetId !== null);
    await studiobot.emit('ugc_rights_expiring', {
      asset_id: live?.assetId ?? '',
      licensor: '@someone',
      expires_at: new Date(Date.now() - 86_400_000).toISOString(),
      in_use: [{ kind: 'meta_ad', id: live?.id ?? '' }],
    });
    const approval = await waitFor(
      async () =>
        (
          await sql<
            Array<{ draft: { rotations: Array<{ pause_ad_id: string }> } }>
          >`select draft from approvals where action = 'rotate_creatives' and title like 'Pause%'`
        )[0] ?? null,
      {
        what: 'a rotation for the expiring asset',
        timeoutMs: 30_000,
      },
    );
    expect(approval.draft.rotations.map((rotation) => rotation.pause_ad_id)).toContain(live?.id);
  });
});
