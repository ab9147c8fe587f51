import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createPostgresDb, type Db } from '@jbot/core';
import {
  freshDatabase,
  startFakeEcb,
  startFakeTerminal49,
  type FakeEcb,
  type FakeTerminal49,
  type FakeTerminal49Container,
  type TestDatabase,
} from '@jbot/testkit';
import { createConnectors, loadConnectorsConfig, parseEcbCsv, perUsdSeries, Terminal49Error } from '../src/index.js';

const KEY = 't49-test-key-0f3a9c';

const box = (index: number, overrides: Partial<FakeTerminal49Container> = {}): FakeTerminal49Container => ({
  id: `c-${index}`,
  number: `MSKU ${String(481230 + index)}-7`,
  current_status: 'available',
  pickup_lfd: '2026-12-10T00:00:00-08:00',
  pickup_appointment_at: null,
  available_for_pickup: true,
  pod_discharged_at: '2026-12-06T14:12:00Z',
  holds_at_pod_terminal: [{ name: 'customs', status: 'released', description: null }],
  shipment: {
    id: `s-${index}`,
    bill_of_lading_number: `SHKGH05244${String(index).padStart(2, '0')}`,
    ref_numbers: ['PO-4098', 'HP-ops'],
    port_of_discharge_name: 'Long Beach',
  },
  terminal: { id: 't-lbct', name: 'Long Beach Container Terminal (LBCT)' },
  ...overrides,
});

describe('opsbot live connectors at the transport: Terminal49 (JSON:API) and the ECB Data Portal (CSV)', () => {
  let database: TestDatabase;
  let db: Db;
  let terminal49: FakeTerminal49;
  let ecb: FakeEcb;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    const containers = [
      ...Array.from({ length: 101 }, (_, index) => box(index)),
      box(200, {
        current_status: 'grounded',
        available_for_pickup: false,
        holds_at_pod_terminal: [
          { name: 'CUSTOMS', status: 'hold', description: 'CBP exam' },
          { name: 'freight', status: 'released', description: null },
        ],
      }),
      box(201, { current_status: 'on_ship', pickup_lfd: null, pod_discharged_at: null, available_for_pickup: null }),
    ];
    terminal49 = await startFakeTerminal49({ apiKey: KEY, containers });
    ecb = await startFakeEcb({
      USD: { '2026-11-02': 1.06, '2026-12-01': 1.05 },
      CNY: { '2026-11-02': 7.62, '2026-12-01': 7.55 },
      BRL: { '2026-11-02': 5.71, '2026-12-01': 5.4 },
    });
  });
  afterAll(async () => {
    await terminal49?.close();
    await ecb?.close();
    await db?.close();
    await database?.drop();
  });

  it('lists every container across pages with the shipment, terminal, LFD, active holds and PO references', async () => {
    const connectors = createConnectors({
      db,
      env: { TERMINAL49_API_KEY: KEY, TERMINAL49_API_BASE: terminal49.url, OPS_DRAYAGE_TRUCKER: 'Harbor Drayage LLC <dispatch@harbordrayage.example>' },
    });
    expect(connectors.containers.source).toBe('terminal49');
    const containers = await connectors.containers.listContainers();
    expect(containers).toHaveLength(103);
    expect(terminal49.requests.map((request) => request.path)).toEqual([
      '/v2/containers?include=shipment,pod_terminal&page[size]=100',
      '/v2/containers?include=shipment,pod_terminal&page[size]=100&page[number]=2',
    ]);
    expect(terminal49.requests.every((request) => request.authorization === `Token ${KEY}`)).toBe(true);
    expect(containers[0]).toEqual({
      number: 'MSKU 481230-7',
      shipmentId: 'SHKGH0524400',
      supplierId: null,
      poIds: ['PO-4098'],
      terminal: 'Long Beach Container Terminal (LBCT)',
      port: 'Long Beach',
      status: 'available',
      dischargedAt: '2026-12-06T14:12:00Z',
      lastFreeDay: '2026-12-10',
      // A released hold is no hold.
      holds: [],
      appointmentAt: null,
      trucker: 'Harbor Drayage LLC <dispatch@harbordrayage.example>',
    });
    expect(containers.find((container) => container.number === 'MSKU 481430-7')).toMatchObject({ status: 'discharged', holds: ['customs'] });
    expect(containers.find((container) => container.number === 'MSKU 481431-7')).toMatchObject({ status: 'on_vessel', lastFreeDay: null });
    // Terminal49 learns the appointment from the terminal: a requested pickup is not recorded there.
    expect(
      await connectors.containers.recordPickupRequest({ idempotencyKey: 'k', container: 'MSKU 481230-7', appointmentAt: '2026-12-10T16:00:00Z', trucker: 'x' }),
    ).toEqual({ recorded: false });
  });

  it('a wrong key is a clear error naming the variable, without the key', async () => {
    const connectors = createConnectors({
      db,
      env: { TERMINAL49_API_KEY: 'wrong-key-123', TERMINAL49_API_BASE: terminal49.url, OPS_DRAYAGE_TRUCKER: 'T <t@example.com>' },
    });
    const error = await connectors.containers.listContainers().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Terminal49Error);
    expect((error as Error).message).toBe('Terminal49 GET /containers answered HTTP 401: Invalid or missing API key (check TERMINAL49_API_KEY)');
    expect((error as Error).message).not.toContain('wrong-key-123');
  });

  it('TERMINAL49_API_KEY without a trucker stops start-up naming OPS_DRAYAGE_TRUCKER', () => {
    expect(() => loadConnectorsConfig({ TERMINAL49_API_KEY: KEY })).toThrow(ConfigError);
    expect(() => loadConnectorsConfig({ TERMINAL49_API_KEY: KEY })).toThrow(/OPS_DRAYAGE_TRUCKER/);
  });

  it('reads ECB reference rates as the portal CSV, crosses them to USD, and reports the currencies the ECB does not publish', async () => {
    const connectors = createConnectors({ db, env: { ECB_FX_LIVE: 'true', ECB_API_BASE: ecb.url } });
    expect(connectors.fx.source).toBe('ecb');
    const read = await connectors.fx.listReferenceRates(['CNY', 'BRL', 'VND', 'EUR'], '2026-11-01');
    expect(ecb.requests).toEqual(['/service/data/EXR/D.BRL+CNY+USD+VND.EUR.SP00.A?startPeriod=2026-11-01&format=csvdata']);
    expect(read.missing).toEqual(['VND']);
    expect(read.rates).toHaveLength(6);
    const brl = perUsdSeries(read.rates, 'BRL');
    expect(brl.map((point) => [point.day, Math.round(point.perUsd * 10_000) / 10_000])).toEqual([
      ['2026-11-02', 5.3868],
      ['2026-12-01', 5.1429],
    ]);
    expect(perUsdSeries(read.rates, 'EUR').map((point) => Math.round(point.perUsd * 10_000) / 10_000)).toEqual([0.9434, 0.9524]);
    // Nothing published for the period: no rates, all missing, not an error.
    expect(await connectors.fx.listReferenceRates(['VND'], '2027-01-01')).toEqual({ rates: [], missing: ['USD', 'VND'] });
    expect(parseEcbCsv('KEY,CURRENCY,CURRENCY_DENOM,TIME_PERIOD,OBS_VALUE\nEXR.D.CNY.EUR.SP00.A,CNY,EUR,2026-12-24,\n')).toEqual([]);
  });
});
