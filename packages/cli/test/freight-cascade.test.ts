import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, decideApproval, getApproval, listApprovals, startBot, type Db, type RunningBot, type Signal } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, waitFor, type TestDatabase, testBotConfig } from '@jbot/testkit';
import { mktgbot } from '@jbot/mktgbot';
import { opsbot, runFreightWatch } from '@jbot/opsbot';
import { salesbot } from '@jbot/salesbot';
import { postFulfilmentForecast, shipbot } from '@jbot/shipbot';

const silent = pino({ level: 'silent' });
const botConfig = testBotConfig();

// The freight-delay cascade on the sample company, three bots in one process on a real Postgres
// (local channels, offline drafter): one freight_delay → shipbot's forecast, two approvals.
describe('freight cascade: freight_delay → forecast post, delay notices and ad pauses for approval, each executed once', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const running: RunningBot[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 8 });
    sql = postgres(database.url, { max: 1 });
    await loadSampleCompany(db);
    for (const bot of [shipbot, salesbot, mktgbot]) running.push(await startBot(bot, { db, config: botConfig, log: silent, approvals: { pollMs: 100 } }));
  });
  afterAll(async () => {
    for (const bot of running) await bot.stop();
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('one alert → shipbot forecast, salesbot send_delay_notices and mktgbot pause_campaigns approvals; approving runs each once', async () => {
    const opsContext = buildBotServices(opsbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const watch = await runFreightWatch(opsContext);
    const [signal] = await sql`select id::text, severity::text, payload from bot_signals where signal_type = 'freight_delay'`;
    expect(signal).toMatchObject({ severity: 'alert', payload: { shipment_id: 'SHKGH0525145', delay_days: 21 } });
    expect(watch).toBeDefined();

    const forecast = await waitFor(async () => (await sql`select text from channel_messages where bot = 'shipbot' and body->>'kind' = 'fulfilment_forecast'`)[0], { what: "shipbot's forecast post", timeoutMs: 20_000 });
    expect(forecast['text']).toContain('Fulfilment forecast · SHKGH0525145 21 days late');
    expect(forecast['text']).toMatch(/WO-7722 \(wholesale, Harbor Lights Gifts\)/);

    const approvals = await waitFor(async () => {
      const pending = await listApprovals(db, { status: 'pending' });
      return pending.length === 2 ? pending : undefined;
    }, { what: 'two approval requests', timeoutMs: 20_000 });
    expect(approvals.map((approval) => `${approval.bot}/${approval.action}`).sort()).toEqual(['mktgbot/pause_campaigns', 'salesbot/send_delay_notices']);
    for (const approval of approvals) expect(approval.signalId).toBe(signal?.['id']);
    const notices = approvals.find((approval) => approval.action === 'send_delay_notices');
    expect((notices?.draft as { notices: Array<{ customer: string; to: string }> }).notices.map((notice) => [notice.customer, notice.to])).toEqual([['Harbor Lights Gifts', 'leah.ellison@harborlightsgifts.com']]);

    // A redelivery of the signal to shipbot posts nothing new.
    const fullSignal = { id: String(signal?.['id']), payload: signal?.['payload'] } as unknown as Signal;
    await postFulfilmentForecast(fullSignal, buildBotServices(shipbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent));
    expect(await sql`select 1 from channel_messages where bot = 'shipbot' and body->>'kind' = 'fulfilment_forecast'`).toHaveLength(1);

    const emailsBefore = (await sql`select count(*)::int as n from sample_emails`)[0]?.['n'];
    for (const approval of approvals) {
      const [first, second] = await Promise.all([
        decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' }),
        decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'ben', decidedVia: 'local' }),
      ]);
      expect([first.decided, second.decided].filter(Boolean)).toHaveLength(1);
    }
    const done = await waitFor(async () => {
      const current = await Promise.all(approvals.map((approval) => getApproval(db, approval.id)));
      return current.every((approval) => approval?.status === 'executed') ? current : undefined;
    }, { what: 'both approvals executed', timeoutMs: 20_000 });
    expect(done.map((approval) => (approval?.result as { summary: string }).summary).sort()).toEqual([
      expect.stringMatching(/^paused \d+ campaigns?: /),
      'sent 1 delay notice',
    ]);
    expect((await sql`select count(*)::int as n from sample_emails`)[0]?.['n']).toBe(Number(emailsBefore) + 1);
    const paused = (done.find((approval) => approval?.action === 'pause_campaigns')?.draft as { campaigns: Array<{ campaign_id: string }> }).campaigns.map((campaign) => campaign.campaign_id);
    const campaigns = await createConnectors({ db, env: {} }).ads.listCampaigns();
    expect(campaigns.filter((campaign) => paused.includes(campaign.id)).map((campaign) => campaign.status)).toEqual(paused.map(() => 'PAUSED'));
  }, 60_000);
});
