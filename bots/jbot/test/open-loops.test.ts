import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, decideApproval, rpcOne, startBot, type Db, type RunningBot } from '@jbot/core';
import { freshDatabase, startTelegramEmulator, testBotConfig, waitFor, type TelegramEmulator, type TestDatabase } from '@jbot/testkit';
import { createJbot, loadJbotConfig, openLoops, openLoopsSettings } from '../src/index.js';
import { countingSalesbot } from './telegram-test-helpers.js';

const silent = pino({ level: 'silent' });
const OPERATOR = 3001;

// open-loops against real Postgres and the telegram-test-api emulator: the three kinds of loop the
// catalogue names, each planted beside a healthy variant, one Telegram message plus a #jbot copy
// only when something is open.
describe('jbot open-loops', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let emulator: TelegramEmulator;
  const running: RunningBot[] = [];
  let env: Record<string, string>;
  const salesbot = countingSalesbot(() => {});

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    emulator = await startTelegramEmulator();
    env = {
      TELEGRAM_BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      TELEGRAM_OPERATOR_CHAT_IDS: String(OPERATOR),
      FLEET_TZ: 'UTC',
      TELEGRAM_MIN_INTERVAL_MS: '200',
    };
    running.push(await startBot(createJbot({ env, now: () => new Date('2026-12-01T16:00:00Z') }), { db, config: testBotConfig(), log: silent }));
  });
  afterAll(async () => {
    for (const bot of running) await bot.stop();
    await emulator?.close();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const run = async (key: string, manual = false) => {
    const context = buildBotServices(createJbot({ env }), { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, {
      job: 'open-loops',
      runId: key,
    });
    return (await openLoops.run({
      ...context,
      config: { ...loadJbotConfig(env), ...openLoopsSettings.load(env) },
      job: 'open-loops',
      runId: key,
      scheduledFor: new Date(),
      attempt: 1,
      manual,
      idempotencyKey: key,
      lastRun: async () => null,
    })) as { outcome: string; detail: { loops: number; kinds: string[] } };
  };
  const emit = async (bot: string, type: string, severity: string, dedupeKey: string) =>
    (
      await rpcOne<{ signal_id: string }>(db, 'emit_signal', {
        p_source_bot: bot,
        p_signal_type: type,
        p_severity: severity,
        p_payload: { note: dedupeKey },
        p_dedupe_key: dedupeKey,
        p_dedupe_window_seconds: 86_400,
      })
    ).signal_id;
  // The operator's reply (or free-form message) routed to a bot, as the Telegram inbox does it, `agoMinutes` ago.
  let update = 0;
  const instruct = async (bot: string, text: string, replyTo: string | null, agoMinutes: number) => {
    update += 1;
    const message = await rpcOne<{ operator_message_id: string }>(db, 'record_operator_message', {
      p_channel: 'telegram',
      p_sender_id: String(OPERATOR),
      p_text: text,
      p_external_update_id: String(update),
      p_reply_to_signal_id: replyTo,
    });
    await db.rpc('route_operator_message', {
      p_operator_message_id: message.operator_message_id,
      p_routed_to: bot,
      p_instruction: { to_bot: bot, text, channel: 'telegram', sender_id: String(OPERATOR), ...(replyTo === null ? {} : { signal_id: replyTo }) },
    });
    await sql`update operator_messages set created_at = now() - ${agoMinutes} * interval '1 minute' where id = ${message.operator_message_id}`;
    return message.operator_message_id;
  };

  it('nothing open: no Telegram message, no #jbot post, one "nothing to report" line on a manual run', async () => {
    const result = await run('empty', true);
    expect(result.outcome).toBe('nothing to report');
    expect((await sql`select 1 from telegram_outbox where idempotency_key like 'open-loops:%'`).length).toBe(0);
    expect((await sql`select text from channel_messages where bot = 'jbot' and text like '%open-loops: nothing to report%'`).length).toBe(1);
  });

  it('lists the unanswered instruction, the approved-but-not-done approval and the answered-but-still-raised escalation; not their healthy twins', async () => {
    // 1. Instructions: one to opsbot 3 h ago with nothing drafted (open); one to salesbot 3 h ago that
    //    became an approval (closed); one to shipbot 30 minutes ago (too young to chase).
    const freight = await emit('opsbot', 'freight_delay', 'alert', 'freight_delay:SHKGH0525145');
    await instruct('opsbot', 'Tell the affected buyers and find air freight options', freight, 180);
    const stale = await emit('salesbot', 'stale_deals', 'warning', 'stale_deals:2026-W49');
    await instruct('salesbot', 'follow up on both, draft emails', stale, 180);
    const services = buildBotServices(salesbot, { db, log: silent, host: 'test-host' });
    const drafted = await services.approvals.request({
      action: 'send_followups',
      title: 'Send 2 follow-up emails to stale wholesale deals',
      draft: {},
      signalId: stale,
    });
    await sql`update approvals set requested_at = now() - interval '170 minutes' where id = ${drafted.approval.id}`;
    // The same reply again: salesbot finds the approval it already asked for; that instruction is closed too.
    await instruct('salesbot', 'follow up on both, draft emails', stale, 150);
    await instruct('shipbot', 'hold the DW-104 backorders', null, 30);

    // 2. Approvals: one approved an hour ago and never executed (no executor ran), one approved just now.
    const stuck = (await services.approvals.request({ action: 'send_followups', title: 'Send the restock note to Saltmarsh Goods', draft: {} })).approval;
    const justApproved = (await services.approvals.request({ action: 'send_followups', title: 'Send a thank-you to Whole Harvest', draft: {} })).approval;
    for (const approval of [stuck, justApproved])
      await decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' });
    await sql`update approvals set decided_at = now() - interval '1 hour' where id = ${stuck.id}`;

    // 3. Escalations the operator answered: one whose source keeps raising it since, one that went quiet.
    const fatigue = await emit('mktgbot', 'creative_fatigue', 'warning', 'creative_fatigue:meta-12');
    const returns = await emit('shipbot', 'return_rate_spike', 'warning', 'return_rate_spike:DW-109');
    for (const signal of [fatigue, returns])
      await db.rpc('escalate_signal', { p_signal_id: signal, p_line: `line ${signal}`, p_hold: true, p_chat_ids: [String(OPERATOR)] });
    await instruct('mktgbot', 'pause it', fatigue, 20);
    await instruct('shipbot', 'noted', returns, 20);
    await emit('mktgbot', 'creative_fatigue', 'warning', 'creative_fatigue:meta-12');

    const result = await run('day-1');
    expect(result.outcome).toBe('3 open loops, sent to Telegram and #jbot');
    expect(result.detail.kinds.sort()).toEqual(['approval', 'escalation', 'instruction']);

    // The dispatcher may batch it with other lines queued at the same moment (the approval offers above).
    const message = await waitFor(() => emulator.botMessages(OPERATOR).find((sent) => sent.text.includes('Open loops')), { what: 'the open-loops message' });
    const list = message.text.slice(message.text.indexOf('Open loops')).split('\n\n')[0] ?? '';
    expect(list.split('\n')[0]).toBe('Open loops: 3 things you asked for have not closed');
    expect(list.split('\n')).toHaveLength(4);
    expect(list).toMatch(/• You asked opsbot \(.+\): "Tell the affected buyers and find air freight options" — nothing drafted yet \(not picked up yet\)/);
    expect(list).toMatch(/• Approved \(.+\) but not done: salesbot — Send the restock note to Saltmarsh Goods \(approved\)/);
    expect(list).toMatch(new RegExp(`• You answered \\(.+\\), still open: line ${fatigue} — repeated 2×`));
    for (const healthy of ['follow up on both', 'DW-104', 'Whole Harvest', returns]) expect(list).not.toContain(healthy);
    expect(emulator.botMessages(OPERATOR).filter((sent) => sent.text.includes('Open loops'))).toHaveLength(1);

    // The #jbot copy carries the same list.
    const [copy] = await sql<
      Array<{ text: string }>
    >`select text from channel_messages where bot = 'jbot' and channel <> 'telegram' and text like '%Open loops: 3 things%'`;
    expect(copy?.text).toContain('Tell the affected buyers');

    // A retried run (same run key) queues nothing new.
    await run('day-1');
    expect((await sql`select 1 from telegram_outbox where idempotency_key like 'open-loops:day-1:%'`).length).toBe(1);
  });
});
