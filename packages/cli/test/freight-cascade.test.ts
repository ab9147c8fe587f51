import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import {
  buildBotServices,
  createPostgresDb,
  decideApproval,
  getApproval,
  listApprovals,
  startBot,
  type Approval,
  type BotDefinition,
  type Db,
  type RunningBot,
  type Signal,
} from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, waitFor, type TestDatabase, testBotConfig } from '@jbot/testkit';
import { fleetRuntime, type FleetRuntime } from '@jbot/fleet';
import { mktgbot, pauseCampaigns, proposePauses } from '@jbot/mktgbot';
import { opsbot, runFreightWatch, type FreightDelayPayload } from '@jbot/opsbot';
import { planDelayNotices, salesbot, sendDelayNotices } from '@jbot/salesbot';
import { postFulfilmentForecast, shipbot } from '@jbot/shipbot';

const silent = pino({ level: 'silent' });

interface PauseDraft {
  campaigns: Array<{
    campaign_id: string;
    campaign: string;
    skus: string;
    daily_budget_usd: number;
    pause_from: string;
    resume_on: string;
    spend_at_risk_usd: number;
  }>;
  daily_spend_saved_usd: number;
}
interface NoticesDraft {
  notices: Array<{ customer: string; to: string; orders: string; subject: string; body: string }>;
}

// The freight-delay cascade on the sample company: the three consuming bots in one process on a
// real Postgres (local channels, offline drafter), salesbot and mktgbot each running as TWO copies
// (two hosts) so approval execution is raced as it is in production. One freight_delay from
// opsbot's watch → shipbot's forecast post, salesbot's and mktgbot's approvals; approving runs
// each once, and neither a redelivered signal nor a re-run executor repeats anything.
describe('freight cascade: freight_delay → forecast post, delay notices and ad pauses for approval, each executed once', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const running: RunningBot[] = [];
  let signal: Signal<FreightDelayPayload> & { type: 'freight_delay' };
  let approvals: Approval[] = [];
  let runtime: FleetRuntime;
  const context = (definition: BotDefinition) =>
    buildBotServices(definition, { db, log: silent, host: 'test-host', ...runtime }).context(new AbortController().signal, silent);

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 10 });
    sql = postgres(database.url, { max: 1 });
    await loadSampleCompany(db);
    runtime = fleetRuntime(db);
    for (const [bot, host] of [
      [shipbot, 'host-a'],
      [salesbot, 'host-a'],
      [salesbot, 'host-b'],
      [mktgbot, 'host-a'],
      [mktgbot, 'host-b'],
    ] as const) {
      running.push(
        await startBot(bot, {
          db,
          config: testBotConfig({ hostId: host }),
          log: silent,
          ...runtime,
          approvals: { pollMs: 100, worker: `${bot.name}@${host}` },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const bot of running) await bot.stop();
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('one alert → shipbot posts the forecast once; salesbot send_delay_notices and mktgbot pause_campaigns are requested once each, redelivery included', async () => {
    const watch = await runFreightWatch(context(opsbot));
    expect(watch.emitted).toBe(1);
    const [row] = await sql`select id::text, seq, severity::text, payload, created_at from bot_signals where signal_type = 'freight_delay'`;
    expect(row).toMatchObject({ severity: 'alert', payload: { shipment_id: 'SHKGH0525145', delay_days: 21 } });
    signal = {
      id: String(row?.['id']),
      seq: Number(row?.['seq']),
      sourceBot: 'opsbot',
      type: 'freight_delay',
      severity: 'alert',
      payload: row?.['payload'] as FreightDelayPayload,
      dedupeKey: null,
      repeatCount: 1,
      createdAt: String(row?.['created_at']),
      attempt: 2,
    };

    // Every consumer handles it (jbot is not running here: its Telegram line is the end-to-end test's).
    await waitFor(
      async () => {
        const receipts = await sql`select consumer_bot from signal_receipts where signal_id = ${signal.id} and status = 'handled'`;
        return receipts.length === 3 ? receipts : undefined;
      },
      { what: 'shipbot, salesbot and mktgbot handling the signal', timeoutMs: 20_000 },
    );

    // shipbot: the forecast on #ship-bot with the shipment, delay, restock date, late orders and runouts.
    const posts = await sql`select text, body from channel_messages where bot = 'shipbot' and body->>'kind' = 'fulfilment_forecast'`;
    expect(posts).toHaveLength(1);
    const forecast = String(posts[0]?.['text']);
    expect(forecast).toContain('Fulfilment forecast · SHKGH0525145 21 days late');
    expect(forecast).toMatch(/WO-7722 \(wholesale, Harbor Lights Gifts\) — DW-104: \d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d \(\+\d+ d\)/);
    expect(forecast).toMatch(/SKUs running out before the restock\*\* \(4\)/);
    expect(forecast).toMatch(/DW-104 .* out \d{4}-\d\d-\d\d until \d{4}-\d\d-\d\d \(16 d\)/);
    expect((posts[0]?.['body'] as { fields: Array<{ name: string }> }).fields.map((field) => field.name)).toEqual([
      'New ETA',
      'Restock (after receiving)',
      'Wholesale customers affected',
    ]);

    approvals = (await listApprovals(db, { status: 'pending' })).filter((approval) => approval.signalId === signal.id);
    expect(approvals.map((approval) => `${approval.bot}/${approval.action}`).sort()).toEqual(['mktgbot/pause_campaigns', 'salesbot/send_delay_notices']);

    // salesbot: one notice per wholesale customer whose orders slip, naming the orders and new dates.
    const notices = (approvals.find((approval) => approval.action === 'send_delay_notices')?.draft as NoticesDraft).notices;
    expect(notices.map((notice) => [notice.customer, notice.to])).toEqual([['Harbor Lights Gifts', 'leah.ellison@harborlightsgifts.com']]);
    expect(notices[0]?.orders).toMatch(/^WO-7722 → \d{4}-\d\d-\d\d$/);
    expect(notices[0]?.body).toContain(notices[0]?.orders.split(' → ')[1]);
    expect(notices[0]?.body).toMatch(/offline draft/);

    // mktgbot: the campaigns, what they promote, when it runs out, and the daily spend saved.
    const pauses = approvals.find((approval) => approval.action === 'pause_campaigns')?.draft as PauseDraft;
    expect(pauses.campaigns.map((campaign) => campaign.campaign).sort()).toEqual([
      'DW | Advantage+ | Home Fragrance',
      'DW | Prospecting | Coastal Fog Candle',
      'DW | Retargeting | Holiday Trio Set',
      'SM | Prospecting | Saltmarsh Gift Set',
    ]);
    expect(pauses.campaigns.find((campaign) => campaign.campaign === 'DW | Prospecting | Coastal Fog Candle')).toMatchObject({
      skus: expect.stringMatching(/^DW-104 .*\(out \d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d\)$/),
      daily_budget_usd: 180,
      spend_at_risk_usd: 180 * 16,
    });
    expect(pauses.daily_spend_saved_usd).toBe(pauses.campaigns.reduce((sum, campaign) => sum + campaign.daily_budget_usd, 0));

    // A redelivery to each bot (attempt 2, as after a lost lease) posts nothing and asks nothing new.
    await postFulfilmentForecast(signal, context(shipbot));
    await planDelayNotices(signal, context(salesbot));
    await proposePauses(signal, context(mktgbot));
    expect(await sql`select 1 from channel_messages where bot = 'shipbot' and body->>'kind' = 'fulfilment_forecast'`).toHaveLength(1);
    expect(await sql`select 1 from approvals where signal_id = ${signal.id}`).toHaveLength(2);
    expect(await sql`select 1 from channel_messages where body->>'kind' = 'approval' and approval_id is not null`).toHaveLength(2);
  }, 60_000);

  it("the next day's repeat alert updates the forecast but asks nothing again; a longer delay is a new request", async () => {
    const handled = (signalId: string) =>
      waitFor(
        async () => {
          const receipts = await sql`select 1 from signal_receipts where signal_id = ${signalId} and status = 'handled'`;
          return receipts.length === 3 ? true : undefined;
        },
        { what: `the three bots handling ${signalId}`, timeoutMs: 20_000 },
      );

    // freight-watch alerts once per shipment per day: tomorrow's run raises a new signal, same delay.
    const tomorrow = new Date(Date.now() + 86_400_000);
    expect((await runFreightWatch(context(opsbot), undefined, tomorrow)).emitted).toBe(1);
    const [repeat] = await sql`select id::text from bot_signals where signal_type = 'freight_delay' and id <> ${signal.id}`;
    await handled(String(repeat?.['id']));
    expect(await sql`select 1 from channel_messages where bot = 'shipbot' and body->>'kind' = 'fulfilment_forecast'`).toHaveLength(2);
    expect(await sql`select id from approvals order by requested_at`).toEqual(
      await sql`select id from approvals where signal_id = ${signal.id} order by requested_at`,
    );
    expect(await sql`select 1 from approvals`).toHaveLength(2);

    // The supplier pushes the ETA out another week: customers and ad spend are affected anew.
    const later = await context(opsbot).signals.emit('freight_delay', { ...(signal.payload as object), delay_days: 28 });
    await handled(later.id);
    const asked = await sql`select bot, action from approvals where signal_id = ${later.id} order by bot`;
    expect(asked).toEqual([
      { bot: 'mktgbot', action: 'pause_campaigns' },
      { bot: 'salesbot', action: 'send_delay_notices' },
    ]);
  }, 60_000);

  it('approving (twice, by two people, with two copies of each bot) sends the notice and pauses the campaigns once; re-running the executors repeats nothing', async () => {
    expect(approvals).toHaveLength(2);
    const emailsBefore = Number((await sql`select count(*)::int as n from sample_emails`)[0]?.['n']);
    for (const approval of approvals) {
      const [first, second] = await Promise.all([
        decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' }),
        decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'ben', decidedVia: 'local' }),
      ]);
      expect([first.decided, second.decided].filter(Boolean)).toHaveLength(1);
    }
    const done = await waitFor(
      async () => {
        const current = await Promise.all(approvals.map((approval) => getApproval(db, approval.id)));
        return current.every((approval) => approval?.status === 'executed') ? (current as Approval[]) : undefined;
      },
      { what: 'both approvals executed', timeoutMs: 20_000 },
    );
    // One claim, one run: neither copy took it over from the other.
    expect(done.map((approval) => approval.attempts)).toEqual([1, 1]);
    const sent = done.find((approval) => approval.action === 'send_delay_notices') as Approval;
    const paused = done.find((approval) => approval.action === 'pause_campaigns') as Approval;
    expect((sent.result as { summary: string }).summary).toBe('sent 1 delay notice');
    expect((paused.result as { summary: string }).summary).toMatch(/^paused 4 campaigns: /);

    // The sample CRM holds exactly one new email, to the customer, on their deal, with the drafted text.
    const emails = await sql`select to_email, subject, body, deal_id from sample_emails order by id`;
    expect(emails).toHaveLength(emailsBefore + 1);
    const notice = (sent.draft as NoticesDraft).notices[0];
    expect(emails.at(-1)).toMatchObject({ to_email: 'leah.ellison@harborlightsgifts.com', subject: notice?.subject, body: notice?.body });
    // The sample ads account: the four campaigns paused, each with one action recorded and the reason.
    const campaignIds = (paused.draft as PauseDraft).campaigns.map((campaign) => campaign.campaign_id);
    const campaigns = await createConnectors({ db, env: {} }).ads.listCampaigns();
    expect(campaigns.filter((campaign) => campaignIds.includes(campaign.id)).map((campaign) => campaign.status)).toEqual(campaignIds.map(() => 'PAUSED'));
    const actions = await sql`select campaign_id from sample_ad_actions where action = 'pause'`;
    expect(actions.map((action) => action['campaign_id']).sort()).toEqual([...campaignIds].sort());
    const reasons = await sql`select paused_reason from sample_ad_campaigns where id = any(${campaignIds})`;
    expect(reasons.every((reason) => String(reason['paused_reason']).startsWith(`approval ${paused.id}: `))).toBe(true);

    // A copy that crashed after the side effects but before recording them runs the executor again:
    // the idempotency keys per (approval, customer) and (approval, campaign) make it a no-op.
    const again = async (definition: BotDefinition, approval: Approval) => ({
      ...context(definition),
      approvalId: approval.id,
      idempotencyKey: approval.idempotencyKey,
    });
    const resend = await sendDelayNotices.execute(sendDelayNotices.draft.parse(sent.draft), await again(salesbot, sent), sent);
    expect(resend.notices.map((entry) => entry.sent_now)).toEqual([false]);
    expect(resend.notices[0]?.email_id).toBe((sent.result as { notices: Array<{ email_id: string }> }).notices[0]?.email_id);
    const repause = await pauseCampaigns.execute(pauseCampaigns.draft.parse(paused.draft), await again(mktgbot, paused), paused);
    expect(repause.campaigns.map((entry) => [entry.status, entry.changed])).toEqual(campaignIds.map(() => ['PAUSED', false]));
    expect(await sql`select 1 from sample_emails`).toHaveLength(emailsBefore + 1);
    expect(await sql`select 1 from sample_ad_actions`).toHaveLength(campaignIds.length);

    // The approval messages on the work floor show the outcome.
    const shown = await waitFor(
      async () => {
        const rows =
          await sql`select text, body from channel_messages where body->>'kind' = 'approval' and approval_id = any(${approvals.map((approval) => approval.id)})`;
        return rows.every((row) => String((row['body'] as { title: string }).title).startsWith('Done · ')) && rows.length === 2 ? rows : undefined;
      },
      { what: 'approval messages showing Done', timeoutMs: 10_000 },
    );
    expect(shown).toHaveLength(2);
  }, 60_000);
});
