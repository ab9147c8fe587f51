import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { adFatigue } from '@jbot/adsbot/signals';
import { discountLeak } from '@jbot/mktgbot/signals';
import {
  catalogSignalTypes,
  createPostgresDb,
  createSignalEmitter,
  decideApproval,
  getApproval,
  SignalRegistry,
  startBot,
  type Db,
  type RunningBot,
} from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import {
  answerOperator,
  creatorPostCompliance,
  listRights,
  renewOrPauseAsset,
  sendCreatorReminders,
  signalTypes,
  ugcHarvest,
  ugcRightsExpiry,
} from '../src/index.js';
import { studiobot } from '../src/bot.js';
import { runJob, silent, studioContext } from './studiobot-helpers.js';

const registry = new SignalRegistry([...catalogSignalTypes, ...signalTypes, adFatigue, discountLeak]);

describe('studiobot approvals, the creative chain and operator replies', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let bot: RunningBot;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 8 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
    bot = await startBot(studiobot, {
      db,
      config: testBotConfig(),
      log: silent,
      registry,
      extensions: { connectors: createConnectors({ db, env: {} }) },
      approvals: { pollMs: 200 },
    });
  });
  afterAll(async () => {
    await bot?.stop();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const approveAndWait = async (approvalId: string) => {
    expect((await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' })).decided).toBe(true);
    const done = await waitFor(
      async () => {
        const approval = await getApproval(db, approvalId);
        return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
      },
      { what: `approval ${approvalId} to execute`, timeoutMs: 30_000 },
    );
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    return done;
  };
  const executionContext = (approvalId: string) => ({ ...studioContext(db), approvalId, idempotencyKey: `approval:${approvalId}` });

  it('ad_fatigue (adsbot, catalogue shape) → studiobot shortlists rights-cleared Driftwood UGC → ugc_available for adsbot', async () => {
    const adsbot = createSignalEmitter({ db, registry, bot: 'adsbot' });
    const fatigue = await adsbot.emit('ad_fatigue', {
      platform: 'meta',
      ad_id: '120210000000101',
      ad_set_id: '120210000000050',
      frequency_7d: 4.2,
      ctr_drop_pct: -32,
      cpm_change_pct: 35,
      spend_7d: 1260,
      ad_name: 'DW | Prospecting | Coastal Fog Candle',
    });
    const available = await waitFor(
      async () => {
        const rows = await sql<
          Array<{ payload: Record<string, unknown> }>
        >`select payload from bot_signals where source_bot = 'studiobot' and signal_type = 'ugc_available' and payload->>'replaces_ad_id' = '120210000000101'`;
        return rows.length >= 5 ? rows : null;
      },
      { what: 'the UGC shortlist', timeoutMs: 30_000 },
    );
    const register = await listRights(db);
    for (const { payload } of available) {
      expect(payload['brand']).toBe('DW');
      const asset = register.find((entry) => entry.assetId === payload['asset_id']);
      expect(asset?.status).toBe('granted');
      expect(Date.parse(String(payload['expires_at']))).toBeGreaterThan(Date.now() + 30 * 86_400_000);
      expect(payload['rights_scope']).toContain('meta_ads');
    }
    // Parsed by the catalogued schema on the consumer side.
    expect(() => registry.parse('ugc_available', available[0]?.payload)).not.toThrow();
    // The post follows the signals: wait for it rather than assume it landed with them.
    const posted = await waitFor(
      async () => {
        const rows = await sql<
          Array<{ text: string }>
        >`select text from channel_messages where bot = 'studiobot' and text like '%UGC shortlist for fatigued ad DW | Prospecting | Coastal Fog Candle%'`;
        return rows.length > 0 ? rows : null;
      },
      { what: 'the shortlist post', timeoutMs: 30_000 },
    );
    expect(posted).toHaveLength(1);
    expect(posted[0]?.text).toContain('@annika.at.home'); // strong Coastal Fog post still without rights
    expect(fatigue.id).toBeDefined();
  });

  it('request_ugc_rights: replies under each strong post once, registers them; the next harvest grants the yeses and announces them (ugc_available)', async () => {
    const first = await runJob(db, ugcHarvest, { runId: 'harvest-1' });
    expect(first.outcome).toBe('6 strong UGC posts, posted; request_ugc_rights asked');
    const approvalId = String(first.detail.approvalId);
    await approveAndWait(approvalId);
    const messages = await db.rpc('sample_creators_list_messages', {});
    expect(messages.filter((message) => message['kind'] === 'rights_request')).toHaveLength(6);
    expect(messages.every((message) => message['channel'] === 'comment_reply')).toBe(true);
    expect((await listRights(db)).filter((asset) => asset.status === 'requested' && asset.requestKey?.startsWith(`approval:${approvalId}`))).toHaveLength(6);

    // The executor again under the same key (a retry, a second host): nothing sent twice.
    const approval = await getApproval(db, approvalId);
    const { requestUgcRights } = await import('../src/actions/request-ugc-rights.js');
    const again = await requestUgcRights.execute(requestUgcRights.draft.parse(approval?.draft), executionContext(approvalId), approval as never);
    expect(again.requests.some((request) => request.sent_now)).toBe(false);
    expect(await db.rpc('sample_creators_list_messages', {})).toHaveLength(6);

    const second = await runJob(db, ugcHarvest, { runId: 'harvest-2', lastFingerprint: first.fingerprint ?? null });
    expect(second.outcome).toBe('nothing to report; 6 grants announced');
    const granted = await sql<
      Array<{ payload: { asset_id: string; brand: string } }>
    >`select payload from bot_signals where signal_type = 'ugc_available' and payload->>'asset_id' like 'UGC-R%'`;
    expect(granted).toHaveLength(6);
    expect((await listRights(db)).filter((asset) => asset.assetId.startsWith('UGC-R') && asset.status === 'granted')).toHaveLength(6);
    const third = await runJob(db, ugcHarvest, { runId: 'harvest-3', lastFingerprint: second.fingerprint ?? null });
    expect(third.outcome).toBe('nothing to report');
  });

  it('renew_or_pause_asset: pauses the expired asset everywhere it runs and asks each licensor once; the next check finds only the expiring two', async () => {
    const first = await runJob(db, ugcRightsExpiry, { runId: 'expiry-1' });
    await approveAndWait(String(first.detail.approvalId));
    const usage = await db.rpc('sample_assets_usage', { p_asset_ids: ['UGC-003'] });
    expect(usage.map((use) => use['status'])).toEqual(['paused']);
    const renewals = (await db.rpc('sample_creators_list_messages', {})).filter((message) => message['kind'] === 'renewal_request');
    expect(renewals.map((message) => message['recipient']).sort()).toEqual(['crunchy.mornings', 'honest.glow', 'seaside.sunday']);
    const approval = await getApproval(db, String(first.detail.approvalId));
    const rerun = await renewOrPauseAsset.execute(
      renewOrPauseAsset.draft.parse(approval?.draft),
      executionContext(String(first.detail.approvalId)),
      approval as never,
    );
    expect(rerun.assets.some((asset) => asset.renewal_sent_now || asset.paused.length > 0)).toBe(false);
    const second = await runJob(db, ugcRightsExpiry, { runId: 'expiry-2', lastFingerprint: first.fingerprint ?? null });
    expect(second.outcome).toBe('2 expiring in-use assets, posted; renew_or_pause_asset asked');
  });

  it('discount_leak (mktgbot) on a creator code → one send_creator_reminders with the next code; approved, the creator is told once and the code moves', async () => {
    const mktgbot = createSignalEmitter({ db, registry, bot: 'mktgbot' });
    const leak = { code: 'SALTMARSH20', redemptions_today: 96, median: 4, coupon_share: 0.62, creator: 'saltmarsh.sisters' };
    await mktgbot.emit('discount_leak', leak, { dedupeKey: 'leak-1' });
    const asked = await waitFor(
      async () =>
        (
          await sql<
            Array<{ id: string }>
          >`select id from approvals where bot = 'studiobot' and action = 'send_creator_reminders' and title like '%SALTMARSH20%'`
        )[0] ?? null,
      { what: 'the new-code reminder', timeoutMs: 30_000 },
    );
    // A repeat alert the next day finds the same approval.
    await mktgbot.emit('discount_leak', { ...leak, redemptions_today: 120 }, { dedupeKey: 'leak-2' });
    await waitFor(
      async () =>
        (await sql`select 1 from signal_receipts r join bot_signals s on s.id = r.signal_id where s.dedupe_key = 'leak-2' and r.status = 'handled'`).length > 0
          ? true
          : null,
      {
        what: 'the repeat to be handled',
        timeoutMs: 30_000,
      },
    );
    expect((await sql`select 1 from approvals where action = 'send_creator_reminders' and title like '%SALTMARSH20%'`).length).toBe(1);
    const approval = await getApproval(db, asked.id);
    expect(approval?.title).toBe('Tell @saltmarsh.sisters their code SALTMARSH20 leaked and give them SALTMARSH21');
    await approveAndWait(asked.id);
    const [collab] = await sql<Array<{ discount_code: string }>>`select discount_code from creator_collaborations where collab_id = 'COL-013'`;
    expect(collab?.discount_code).toBe('SALTMARSH21');
    const told = (await db.rpc('sample_creators_list_messages', {})).filter((message) => message['kind'] === 'new_code');
    expect(told.map((message) => [message['recipient'], String(message['body']).includes('SALTMARSH21')])).toEqual([['saltmarsh.sisters', true]]);
  });

  it('send_creator_reminders with a new code tells the creator once and moves the code in the brain', async () => {
    const draft = sendCreatorReminders.draft.parse({
      messages: [
        {
          recipient: 'saltmarsh.sisters',
          collab_id: 'COL-013',
          new_code: 'SALTMARSH25',
          body: 'Hi! Your old code leaked to a coupon site; your new code is SALTMARSH25.',
        },
      ],
    });
    const context = executionContext('reminder-1');
    const first = await sendCreatorReminders.execute(draft, context, {} as never);
    const second = await sendCreatorReminders.execute(draft, context, {} as never);
    expect([first.messages[0]?.sent_now, second.messages[0]?.sent_now]).toEqual([true, false]);
    const [collab] = await sql<Array<{ discount_code: string }>>`select discount_code from creator_collaborations where collab_id = 'COL-013'`;
    expect(collab?.discount_code).toBe('SALTMARSH25');
  });

  it("the operator's reply: 'pause it' on expiring rights drafts the pause once; 'fix' on a missing disclosure points to the drafted fix request", async () => {
    const [expiring] = await sql<
      Array<{ id: string }>
    >`select id from bot_signals where signal_type = 'ugc_rights_expiring' and payload->>'licensor' = 'seaside.sunday' limit 1`;
    const instruction = (text: string, signalId: string, messageId: string) =>
      ({ text, signalId, operatorMessageId: messageId, senderId: '7001', approvalId: null, channel: 'telegram', chatId: '7001' }) as never;
    const context = studioContext(db);
    const paused = await answerOperator(instruction('pause it', String(expiring?.id), 'op-1'), context);
    expect(paused).toMatch(/^drafted renew_or_pause_asset .* to pause UGC-001/);
    expect(await answerOperator(instruction('pause it', String(expiring?.id), 'op-1'), context)).toMatch(/^already drafted/);
    expect(await answerOperator(instruction('why?', String(expiring?.id), 'op-2'), context)).toContain('still in meta_ad 120210000000000');
    // The expired asset was paused by the approval above: "pause it" says so instead of drafting again.
    const [expired] = await sql<
      Array<{ id: string }>
    >`select id from bot_signals where signal_type = 'ugc_rights_expiring' and payload->>'licensor' = 'crunchy.mornings' limit 1`;
    expect(await answerOperator(instruction('pause it', String(expired?.id), 'op-4'), context)).toBe(
      'UGC-003 by @crunchy.mornings no longer runs anywhere (every use is paused); nothing to pause',
    );

    await runJob(db, creatorPostCompliance, { runId: 'compliance-ops' });
    const [issue] = await sql<Array<{ id: string }>>`select id from bot_signals where signal_type = 'creator_compliance_issue' limit 1`;
    expect(await answerOperator(instruction('fix it', String(issue?.id), 'op-3'), context)).toMatch(
      /The message is drafted: approve send_creator_fix_requests [0-9a-f]{8}/,
    );
  });
});
