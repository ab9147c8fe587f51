import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, getApproval, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany, type Container } from '@jbot/connectors';
import { freshDatabase, startFakeTerminal49, type TestDatabase } from '@jbot/testkit';
import { bookDrayage, demurrageWatch, demurrageWatchSettings, findDemurrageCases, opsbot, runDemurrageWatch } from '../src/index.js';
import { REFERENCE_NOW, runContext, silent, ZONE } from './job-harness.js';

describe('opsbot demurrage-watch on the sample company', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const config = demurrageWatchSettings.load({ FLEET_TZ: ZONE });

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    await loadSampleCompany(db, { now: REFERENCE_NOW });
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('is declared daily at 07:30 with a timeout and a catch-up', () => {
    expect(demurrageWatch).toMatchObject({ schedule: '30 7 * * *', missed: 'once' });
    expect(demurrageWatch.timeoutMs).toBeGreaterThan(0);
    expect(opsbot.jobs?.map((job) => job.id)).toContain('demurrage-watch');
  });

  it('finds the Long Beach container with LFD tomorrow and the customs hold; a booked, a later, a sailing and a picked-up box are fine', async () => {
    const containers = await createConnectors({ db, env: {} }).containers.listContainers();
    expect(containers).toHaveLength(6);
    const cases = findDemurrageCases(containers, '2026-12-09', config);
    expect(cases.map((found) => [found.container, found.reason, found.last_free_day, found.est_cost_per_day])).toEqual([
      ['MSKU 481230-7', 'no_appointment', '2026-12-10', 150],
      ['ONEU 603302-4', 'hold', '2026-12-12', 150],
    ]);
    // The healthy variant: the same box with a pickup booked before its LFD is not a case.
    const booked: Container[] = containers.map((container) =>
      container.number === 'MSKU 481230-7' ? { ...container, appointmentAt: '2026-12-10T17:00:00.000Z' } : container,
    );
    expect(findDemurrageCases(booked, '2026-12-09', config).map((found) => found.container)).toEqual(['ONEU 603302-4']);
    // Past the LFD, the tiered tariff applies to the days already owed.
    const late = findDemurrageCases(containers, '2026-12-16', config).find((found) => found.container === 'MSKU 481230-7');
    expect(late).toMatchObject({ days_to_lfd: -6, accrued: 4 * 150 + 2 * 250, est_cost_per_day: 250 });
  });

  it('raises one demurrage_risk alert per container, posts once, and asks book_drayage for the unheld box only', async () => {
    const first = await runDemurrageWatch(runContext(db, demurrageWatch), config, REFERENCE_NOW);
    expect(first.outcome.outcome).toBe('2 demurrage risks, posted');
    expect(first.result.emitted).toBe(2);
    const again = await runDemurrageWatch(runContext(db, demurrageWatch, { last: first.outcome }), config, REFERENCE_NOW);
    expect(again.outcome.outcome).toContain('unchanged since the last run (not reposted)');
    expect(again.result.emitted).toBe(0);
    const signals = await db.rpc('list_signals', { p_signal_type: 'demurrage_risk' });
    expect(signals.map((signal) => [(signal['payload'] as { container: string }).container, signal['severity']]).sort()).toEqual([
      ['MSKU 481230-7', 'alert'],
      ['ONEU 603302-4', 'alert'],
    ]);
    expect(signals.find((signal) => (signal['payload'] as { container: string }).container === 'ONEU 603302-4')?.['payload']).toMatchObject({
      holds: ['customs'],
      terminal: 'Oakland International Container Terminal (OICT)',
      last_free_day: '2026-12-12',
    });
    const posts = await sql<Array<{ text: string }>>`select text from channel_messages where bot = 'opsbot' and text like '%no pickup appointment%'`;
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toContain('MSKU 481230-7 (SHKGH0524410) at Long Beach Container Terminal (LBCT), Long Beach: LFD 2026-12-10 (tomorrow)');
    const approvals = await sql<
      Array<{ id: string; draft: { container: string; trucker: string } }>
    >`select id, draft from approvals where action = 'book_drayage'`;
    expect(approvals.map((approval) => approval.draft.container)).toEqual(['MSKU 481230-7']);
    expect(again.result.approvals).toEqual([{ container: 'MSKU 481230-7', approvalId: approvals[0]?.id, created: false }]);
  });

  it('an approved book_drayage emails the trucker once and books the pickup, so the next run finds nothing to book', async () => {
    const [row] = await sql<Array<{ id: string }>>`select id from approvals where action = 'book_drayage'`;
    const approval = await getApproval(db, row?.id ?? '');
    const context = buildBotServices(opsbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
    const execute = () =>
      bookDrayage.execute(
        bookDrayage.draft.parse(approval?.draft),
        { ...context, connectors: createConnectors({ db, env: {} }), approvalId: row?.id ?? '', idempotencyKey: `approval:${row?.id ?? ''}` },
        approval as never,
      );
    const first = await execute();
    expect(first).toMatchObject({ sent_now: true, appointment_recorded: true });
    expect(first.summary).toBe('asked Harbor Drayage LLC to pick up MSKU 481230-7 at Long Beach Container Terminal (LBCT) before its LFD 2026-12-10');
    // A retry (a crash after the email, a second host) repeats nothing.
    expect(await execute()).toMatchObject({ sent_now: false, appointment_recorded: false });
    const messages = await db.rpc('sample_procurement_list_messages', { p_kind: 'drayage' });
    expect(messages.map((message) => message['to_address'])).toEqual(['dispatch@harbordrayage.example']);
    const after = findDemurrageCases(await createConnectors({ db, env: {} }).containers.listContainers(), '2026-12-09', config);
    expect(after.map((found) => found.container)).toEqual(['ONEU 603302-4']);
  });

  it('reads the containers from Terminal49 when TERMINAL49_API_KEY is set: the same rule on the vendor feed', async () => {
    const terminal49 = await startFakeTerminal49({
      apiKey: 'k-49',
      containers: [
        {
          id: 'c-1',
          number: 'TGHU 100200-3',
          current_status: 'available',
          pickup_lfd: '2026-12-11T00:00:00-08:00',
          pickup_appointment_at: null,
          available_for_pickup: true,
          pod_discharged_at: '2026-12-07T10:00:00Z',
          holds_at_pod_terminal: [],
          shipment: { id: 's-1', bill_of_lading_number: 'MEDUNB112233', ref_numbers: ['PO-4111'], port_of_discharge_name: 'Long Beach' },
          terminal: { id: 't-1', name: 'Pier T (TTI)' },
        },
        {
          id: 'c-2',
          number: 'TGHU 100201-9',
          current_status: 'available',
          pickup_lfd: '2026-12-10T00:00:00-08:00',
          pickup_appointment_at: '2026-12-10T18:00:00Z',
          available_for_pickup: true,
          pod_discharged_at: '2026-12-07T10:00:00Z',
          holds_at_pod_terminal: [],
          shipment: { id: 's-2', bill_of_lading_number: 'MEDUNB112234', ref_numbers: [], port_of_discharge_name: 'Long Beach' },
          terminal: { id: 't-1', name: 'Pier T (TTI)' },
        },
      ],
    });
    try {
      const connectors = createConnectors({
        db,
        env: { TERMINAL49_API_KEY: 'k-49', TERMINAL49_API_BASE: terminal49.url, OPS_DRAYAGE_TRUCKER: 'Harbor Drayage LLC <dispatch@harbordrayage.example>' },
      });
      const cases = findDemurrageCases(await connectors.containers.listContainers(), '2026-12-09', config);
      expect(cases.map((found) => [found.container, found.shipment_id, found.terminal, found.days_to_lfd, found.reason])).toEqual([
        ['TGHU 100200-3', 'MEDUNB112233', 'Pier T (TTI)', 2, 'no_appointment'],
      ]);
    } finally {
      await terminal49.close();
    }
  });
});
