import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import {
  ConnectorError,
  createConnectors,
  createSftpWarehouseConnector,
  loadSampleCompany,
  WarehouseFileError,
  type SftpWarehouseOptions,
} from '@jbot/connectors';
import { freshDatabase, startFakeSftp, type FakeSftp, type TestDatabase } from '@jbot/testkit';
import { inventorySyncDrift, lotExpiryWatch, fulfillmentSla } from '../src/index.js';
import { REFERENCE_NOW, runShipbotJob } from './job-harness.js';

const csv = (header: string, rows: Array<Array<string | number | boolean>>) => [header, ...rows.map((row) => row.join(','))].join('\n') + '\n';

// The 3PL's drop box holds the sample company's WMS files, written out as the WMS exports them:
// the live adapter over SFTP must read exactly what the sample adapter reads.
async function dropSampleFiles(db: Db, sftp: FakeSftp) {
  const sample = createConnectors({ db, env: {} }).warehouse;
  const since = new Date(REFERENCE_NOW.getTime() - 8 * 86_400_000);
  const confirmations = await sample.listShipmentConfirmations(since);
  sftp.writeFile(
    '/outbound/shipment_confirmations_20261209T0600.csv',
    csv(
      'Order Ref,Warehouse,Ordered At,Shipped At,Mis Ship',
      confirmations.map((row) => [row.orderRef, row.location, row.orderedAt, row.shippedAt ?? '', row.misShip ? 'Y' : 'N']),
    ),
  );
  const lots = await sample.listLots();
  // An older lot snapshot the newer one replaces.
  sftp.writeFile('/outbound/inventory_by_lot_20261208T0600.csv', csv('sku,lot,warehouse,qty,expiry', [['KC-101', 'OLD', 'PDX-1', 1, '2027-01-01']]));
  sftp.writeFile(
    '/outbound/inventory_by_lot_20261209T0600.csv',
    csv(
      'sku,lot,warehouse,qty,expiry',
      lots.map((lot) => [lot.sku, lot.lot, lot.location, lot.qty, lot.expiry]),
    ),
  );
  const onHand = await sample.listOnHand();
  sftp.writeFile(
    '/outbound/on_hand_20261209T0600.csv',
    csv(
      'SKU,Warehouse,On Hand',
      onHand.map((row) => [row.sku, row.location, row.onHand]),
    ),
  );
  return { since, confirmations, lots, onHand };
}

describe('3PL files over SFTP: the live adapter at a real SFTP server (ssh2 Server, in process)', () => {
  let database: TestDatabase;
  let db: Db;
  let sftp: FakeSftp;
  let env: Record<string, string>;
  let options: SftpWarehouseOptions;
  let expected: Awaited<ReturnType<typeof dropSampleFiles>>;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db, { now: REFERENCE_NOW });
    sftp = await startFakeSftp({ files: { '/inbound/.keep': '' } });
    expected = await dropSampleFiles(db, sftp);
    env = {
      WMS_SFTP_HOST: sftp.host,
      WMS_SFTP_PORT: String(sftp.port),
      WMS_SFTP_USERNAME: sftp.username,
      WMS_SFTP_PASSWORD: sftp.password,
      WMS_SFTP_HOST_KEY_SHA256: sftp.hostKeySha256,
    };
    options = {
      host: sftp.host,
      port: sftp.port,
      username: sftp.username,
      password: sftp.password,
      hostKeySha256: sftp.hostKeySha256,
      outboundDir: '/outbound',
      inboundDir: '/inbound',
      timeoutMs: 20_000,
    };
  });
  afterAll(async () => {
    await sftp?.close();
    await db?.close();
    await database?.drop();
  });

  it('reads the newest lot and on-hand snapshots and the confirmations as the sample holds them', async () => {
    const live = createConnectors({ db, env }).warehouse;
    expect(live.source).toBe('sftp');
    expect(await live.listOnHand()).toEqual(expected.onHand);
    expect(await live.listLots()).toEqual(expected.lots);
    const byRef = (left: { orderRef: string }, right: { orderRef: string }) => left.orderRef.localeCompare(right.orderRef);
    expect((await live.listShipmentConfirmations(expected.since)).sort(byRef)).toEqual([...expected.confirmations].sort(byRef));
  });

  it('the warehouse jobs find the same planted cases over SFTP: 2 drifted SKUs, 2 lots at risk, RNO-2 at 88%', async () => {
    const live = createConnectors({ db, env });
    // Drift counts on the second consecutive check: the same previous run, then the sample's or the SFTP's files.
    const firstCheck = await runShipbotJob(db, inventorySyncDrift, { runId: 'sample-drift-1' });
    const sampleDrift = await runShipbotJob(db, inventorySyncDrift, { runId: 'sample-drift-2', last: firstCheck });
    const liveDrift = await runShipbotJob(db, inventorySyncDrift, { runId: 'live-drift', connectors: live, last: firstCheck });
    expect(sampleDrift.detail.findings).toBe(2);
    expect(liveDrift.detail.findings).toBe(2);
    expect(liveDrift.fingerprint).toBe(sampleDrift.fingerprint);
    const lots = await runShipbotJob(db, lotExpiryWatch, { runId: 'live-lots', connectors: live });
    expect(lots.detail['lots']).toEqual(['TH-105/TH2418A', 'KC-106/KC2407A']);
    const sla = await runShipbotJob(db, fulfillmentSla, { runId: 'live-sla', connectors: live });
    const sampleSla = await runShipbotJob(db, fulfillmentSla, { runId: 'sample-sla' });
    expect(sla.fingerprint).toBe(sampleSla.fingerprint);
  });

  it('drops a donation order once per key, whole (written under a temporary name, then renamed)', async () => {
    const live = createSftpWarehouseConnector(options);
    const order = { partner: 'Oregon Food Bank, NE', lines: [{ sku: 'TH-105', lot: 'TH2418A', location: 'PDX-1', qty: 40 }], idempotencyKey: 'approval:0b7c' };
    expect(await live.sendDonationOrder(order)).toEqual({ fileName: 'donation_approval_0b7c.csv', created: true });
    expect(await live.sendDonationOrder(order)).toEqual({ fileName: 'donation_approval_0b7c.csv', created: false });
    expect(sftp.listDir('/inbound')).toEqual(['.keep', 'donation_approval_0b7c.csv']);
    expect(sftp.readFile('/inbound/donation_approval_0b7c.csv')).toBe('partner,sku,lot,warehouse,qty\r\n"Oregon Food Bank, NE",TH-105,TH2418A,PDX-1,40\r\n');
  });

  it('two hosts sending the same donation order at once drop one file', async () => {
    const order = { partner: 'Oregon Food Bank', lines: [{ sku: 'KC-106', lot: 'KC2407A', location: 'PDX-1', qty: 307 }], idempotencyKey: 'approval:race' };
    const results = await Promise.all([
      createSftpWarehouseConnector(options).sendDonationOrder(order),
      createSftpWarehouseConnector(options).sendDonationOrder(order),
    ]);
    expect(results.map((result) => result.created).sort()).toEqual([false, true]);
    expect(sftp.listDir('/inbound').filter((name) => name.includes('race'))).toEqual(['donation_approval_race.csv']);
  });

  it('a malformed CSV is a clear error naming the file, row and column, and the file stays on the server', async () => {
    const broken = 'sku,warehouse,on_hand\nKC-101,PDX-1,846\nKC-102,PDX-1,eight\n';
    sftp.writeFile('/outbound/on_hand_20261209T1200.csv', broken);
    const error = await createSftpWarehouseConnector(options)
      .listOnHand()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WarehouseFileError);
    expect((error as Error).message).toBe(
      '3PL file on_hand_20261209T1200.csv: row 3: on_hand is not a whole number ("eight"); the file is left on the server unread — ask the 3PL to resend it',
    );
    expect(sftp.readFile('/outbound/on_hand_20261209T1200.csv')).toBe(broken);
    // A ragged row (a field missing) is named by csv-parse's line, not shifted into the next column.
    sftp.writeFile('/outbound/on_hand_20261209T1300.csv', 'sku,warehouse,on_hand\nKC-101,846\n');
    const ragged = await createSftpWarehouseConnector(options)
      .listOnHand()
      .catch((caught: unknown) => caught);
    expect((ragged as Error).message).toMatch(/^3PL file on_hand_20261209T1300\.csv: Invalid Record Length: .*line 2; the file is left on the server unread/);
    expect(sftp.listDir('/outbound')).toContain('on_hand_20261209T1300.csv');
  });

  it('refuses a server whose host key is not the pinned one, and a wrong password, saying which variable to check', async () => {
    const wrongKey = await createSftpWarehouseConnector({ ...options, hostKeySha256: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })
      .listLots()
      .catch((caught: unknown) => caught);
    expect(wrongKey).toBeInstanceOf(ConnectorError);
    expect((wrongKey as Error).message).toMatch(/^3PL SFTP read lot snapshot at 127\.0\.0\.1:\d+ failed: .*check WMS_SFTP_HOST_KEY_SHA256/);
    const wrongPassword = await createSftpWarehouseConnector({ ...options, password: 'not-the-password' })
      .listLots()
      .catch((caught: unknown) => caught);
    expect((wrongPassword as Error).message).toMatch(/failed: .*check WMS_SFTP_USERNAME and WMS_SFTP_PASSWORD/);
    expect((wrongPassword as Error).message).not.toContain('not-the-password');
  });

  it('config: a host without a pinned key stops start-up naming the variable', () => {
    expect(() => createConnectors({ db, env: { ...env, WMS_SFTP_HOST_KEY_SHA256: '' } })).toThrow(/WMS_SFTP_HOST_KEY_SHA256/);
  });
});
