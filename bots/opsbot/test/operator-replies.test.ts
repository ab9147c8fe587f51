import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import {
  buildBotServices,
  catalogSignalTypes,
  createPostgresDb,
  replyToSignal,
  SignalRegistry,
  startBot,
  type Db,
  type OperatorInstruction,
  type RunningBot,
} from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { fleetSignalTypes } from '@jbot/fleet';
import { freshDatabase, testBotConfig, waitFor, type TestDatabase } from '@jbot/testkit';
import {
  answerOperator,
  demurrageWatch,
  demurrageWatchSettings,
  opsbot,
  opsbotSettings,
  poConfirmations,
  poConfirmationsSettings,
  receivingReconcile,
  receivingReconcileSettings,
  runDemurrageWatch,
  runFreightWatch,
  runPoConfirmations,
  runReceivingReconcile,
  runVendorIntel,
  vendorIntel,
  vendorIntelSettings,
} from '../src/index.js';
import { runContext, silent, ZONE } from './job-harness.js';

// Replies reach opsbot at wall-clock time, so the company is loaded at the wall clock here.
describe("opsbot's answer to the operator's reply on each of its warning-or-higher alerts", () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const now = new Date();

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now });
    const env = { FLEET_TZ: ZONE };
    await runFreightWatch(runContext(db, demurrageWatch, { now }));
    await runDemurrageWatch(runContext(db, demurrageWatch, { now }), demurrageWatchSettings.load(env), now);
    await runPoConfirmations(runContext(db, poConfirmations, { now }), poConfirmationsSettings.load(env), now);
    await runReceivingReconcile(runContext(db, receivingReconcile, { now }), receivingReconcileSettings.load(env), now);
    await runVendorIntel(runContext(db, vendorIntel, { now }), vendorIntelSettings.load(env), now);
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  const signalOf = async (type: string, where = 'true') =>
    String((await sql.unsafe(`select id from bot_signals where signal_type = $1 and ${where} order by created_at limit 1`, [type]))[0]?.['id']);
  const reply = async (text: string, signalId: string | null) => {
    const context = buildBotServices(opsbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const instruction: OperatorInstruction = {
      text,
      operatorMessageId: `op-${Math.random()}`,
      signalId,
      approvalId: null,
      instructionSignalId: 'instr',
      channel: 'local',
      senderId: 'operator',
    };
    return answerOperator(instruction, { ...context, connectors: createConnectors({ db, env: {} }), config: opsbotSettings.load({ FLEET_TZ: ZONE }) });
  };

  it('a reply to the freight alert, routed like a Telegram reply, is answered with where the shipment stands; "expedite" drafts the request once', async () => {
    const registry = new SignalRegistry([...catalogSignalTypes, ...fleetSignalTypes]);
    const bot: RunningBot = await startBot(opsbot, {
      db,
      config: testBotConfig(),
      log: silent,
      registry,
      extensions: { connectors: createConnectors({ db, env: {} }) },
    });
    try {
      const freight = await signalOf('freight_delay');
      const routed = await replyToSignal(db, { signalId: freight, text: 'how bad is it?', channel: 'local', senderId: 'cli:ana' });
      expect(routed).toMatchObject({ replied: true, to: 'opsbot', signalType: 'freight_delay' });
      const answered = await waitFor(
        async () => (await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'opsbot' and body->>'kind' = 'instruction'`)[0]?.text,
        { what: 'opsbot to answer the reply', timeoutMs: 30_000 },
      );
      // Before: "opsbot: on it — …" and nothing done. Now the shipment as it stands, and what the operator can ask.
      expect(answered).toMatch(
        /→ opsbot: SHKGH0525145 delayed \(Rolled at Shekou; transshipping via Busan after blank sailing\): expected \d{4}-\d{2}-\d{2} against promised \d{4}-\d{2}-\d{2}, 21 days late \(was 21 when raised\)\. On board: DW-104 × 2400/,
      );
      expect(answered).toContain('Reply "expedite"');
    } finally {
      await bot.stop();
    }
    const freight = await signalOf('freight_delay');
    expect(await reply('expedite it', freight)).toMatch(/Drafted the expedite request to Shenzhen Lumin Home Fragrance Co\., Ltd\. for approval/);
    expect(await reply('expedite please', freight)).toMatch(/Already drafted the expedite request/);
    expect(await sql`select id from approvals where action = 'request_expedite'`).toHaveLength(1);
  });

  it('demurrage: the box, its LFD and pickup; a held box says to clear the hold; "book" reports the drayage request', async () => {
    expect(await reply('?', await signalOf('demurrage_risk', "payload->>'container' = 'MSKU 481230-7'"))).toMatch(
      /^MSKU 481230-7 at Long Beach Container Terminal \(LBCT\): available, LFD \d{4}-\d{2}-\d{2} \(1 days\), pickup not booked; about \$150\/day after the LFD\. Drayage request [0-9a-f]{8} is pending\./,
    );
    expect(await reply('book it', await signalOf('demurrage_risk', "payload->>'container' = 'MSKU 481230-7'"))).toMatch(
      /The drayage request is pending .*approve it in #ops-bot/,
    );
    expect(await reply('why', await signalOf('demurrage_risk', "payload->>'container' = 'ONEU 603302-4'"))).toMatch(
      /customs hold.*cannot be picked up until the hold clears/,
    );
  });

  it('a slipped PO: its dates and the supplier note; "chase" drafts a recovery request', async () => {
    const slip = await signalOf('po_slip');
    expect(await reply('what happened', slip)).toMatch(
      /^PO-4120 \(Ningbo Seaview Packaging Co\.\): ready \d{4}-\d{2}-\d{2} \(first planned \d{4}-\d{2}-\d{2}\), not booked yet; .*Supplier's note: "Supplier moved the cargo-ready date: glass jar line down for maintenance"/,
    );
    expect(await reply('chase them', slip)).toMatch(/Drafted a recovery request to Ningbo Seaview Packaging Co\. for approval/);
  });

  it('a supplier risk: the POs it touches and the next step', async () => {
    expect(await reply('so?', await signalOf('vendor_risk', "payload->>'kind' = 'fx'"))).toMatch(
      /^Fazenda Serra Alta Exportadora \(fx\): BRL strengthened .* Open POs affected: PO-4115 .*PO-4116 .*Next: lock the rate with a forward/,
    );
  });

  it('a receiving discrepancy: the lines and where its claim stands', async () => {
    expect(await reply('status', await signalOf('receiving_discrepancy', "payload->>'shipment_id' = 'NGB0512207'"))).toMatch(
      /^NGB0512207 \(PO-4093\): SM-101 1380\/1500\. Claim [0-9a-f]{8} "Claim \$576\.00 from Ningbo Seaview Packaging Co\. for NGB0512207 \(template draft\)" is pending: approve it in #ops-bot to send it\./,
    );
  });

  it('a reply to nothing says what opsbot can answer', async () => {
    expect(await reply('hello', null)).toMatch(/^reply to one of my alerts/);
  });
});
