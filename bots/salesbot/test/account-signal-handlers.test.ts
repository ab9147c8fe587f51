import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buyBoxLost } from '@jbot/contentbot/signals';
import { expiringInventory } from '@jbot/shipbot/signals';
import { freightDelay } from '@jbot/opsbot/signals';
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
import { sendMapNotice, sendReorderNudges, signalTypes } from '../src/index.js';
import { salesbot } from '../src/bot.js';
import { silent } from './pipeline-fixtures.js';

// salesbot's consumers of other bots' signals, driven by emitted signals of the catalogued shape:
// buy_box_lost won by our own wholesale account below MAP → send_map_notice; expiring_inventory → a clearance offer.
describe('salesbot signal handlers: MAP notice and clearance offer', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let bot: RunningBot;
  const registry = new SignalRegistry([...catalogSignalTypes, ...signalTypes, freightDelay, buyBoxLost, expiringInventory]);

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db);
    bot = await startBot(salesbot, {
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

  const approvalFor = (action: string) =>
    waitFor(async () => (await sql<Array<{ id: string }>>`select id from approvals where action = ${action}`)[0] ?? null, {
      what: `${action} to be asked`,
      timeoutMs: 30_000,
    });
  const executed = (approvalId: string) =>
    waitFor(
      async () => {
        const approval = await getApproval(db, approvalId);
        return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
      },
      { what: 'the approval to execute', timeoutMs: 30_000 },
    );

  it('drafts a MAP notice when our wholesale account takes the Buy Box below MAP, and ignores any other loss', async () => {
    const contentbot = createSignalEmitter({ db, registry, bot: 'contentbot' });
    const base = { asin: 'B0DWCANDLE1', sku: 'DW-101', our_price: 26.99, map_price: 24.99, suppressed: false };
    const other = await contentbot.emit('buy_box_lost', {
      ...base,
      winner_seller_id: 'A9OTHERSELLER',
      winner_price: 25.49,
      below_map: false,
      wholesale_account_id: null,
    });
    const ours = await contentbot.emit('buy_box_lost', {
      ...base,
      winner_seller_id: 'A3CPRKTL0PROV',
      winner_price: 21.99,
      below_map: true,
      wholesale_account_id: '90412014',
      wholesale_account: 'Copper Kettle Provisions',
    });
    const { id } = await approvalFor('send_map_notice');
    const approval = await getApproval(db, id);
    expect(approval?.title).toBe('Send a MAP notice to Copper Kettle Provisions (DW-101 at $21.99, MAP $24.99)');
    const draft = sendMapNotice.draft.parse(approval?.draft);
    expect(draft.notice.to).toMatch(/@copperkettleprovisions\.com$/);
    expect(draft.notice.body).toContain('below our minimum advertised price of $24.99');
    // The other loss was handled too (acked), and asked nothing.
    await waitFor(
      async () =>
        (await sql`select 1 from signal_receipts where signal_id = ${other.id} and consumer_bot = 'salesbot' and status = 'handled'`).length === 1
          ? true
          : null,
      {
        what: 'the other loss to be handled',
        timeoutMs: 30_000,
      },
    );
    expect((await sql`select 1 from approvals where action = 'send_map_notice'`).length).toBe(1);
    expect(approval?.signalId ?? (approval as unknown as { signal_id?: string })?.signal_id).toBe(ours.id);

    expect((await decideApproval(db, { approvalId: id, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' })).decided).toBe(true);
    const done = await executed(id);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    const emails = (await db.rpc('sample_crm_list_emails')).filter((email) => String(email['idempotency_key']).startsWith(`approval:${id}:`));
    expect(emails.map((email) => email['subject'])).toEqual(['MAP policy: DW-101 listed at $21.99 on Amazon']);
  });

  it('offers an expiring lot to the wholesale accounts that buy its brand, once per lot', async () => {
    const shipbot = createSignalEmitter({ db, registry, bot: 'shipbot' });
    const lot = { sku: 'KC-106', lot: 'KC2407A', expiry: '2027-01-23', units: 307, days_to_sell_through: 29.2 };
    await shipbot.emit('expiring_inventory', lot);
    const { id } = await approvalFor('send_reorder_nudges');
    await shipbot.emit('expiring_inventory', lot, { dedupeKey: 'again' });
    const approval = await getApproval(db, id);
    const draft = sendReorderNudges.draft.parse(approval?.draft);
    expect(draft.kind).toBe('clearance');
    expect(draft.emails.map((email) => email.account)).toEqual(['Northbound Outfitters', 'Wildwood Natural Foods']);
    expect(draft.emails[0]?.subject).toBe('KC-106: 25% off 307 units, best by 2027-01-23');

    expect((await decideApproval(db, { approvalId: id, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' })).decided).toBe(true);
    const done = await executed(id);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'executed', error: null });
    await waitFor(
      async () =>
        (
          await sql`select 1 from signal_receipts r join bot_signals s on s.id = r.signal_id where s.signal_type = 'expiring_inventory' and r.consumer_bot = 'salesbot' and r.status = 'handled'`
        ).length === 2
          ? true
          : null,
      {
        what: 'both lot signals to be handled',
        timeoutMs: 30_000,
      },
    );
    expect((await sql`select 1 from approvals where action = 'send_reorder_nudges'`).length).toBe(1);
    expect(
      (await db.rpc('sample_crm_list_emails')).filter((email) => String(email['idempotency_key']).startsWith(`approval:${id}:nudge:clearance:`)),
    ).toHaveLength(2);
  });
});
