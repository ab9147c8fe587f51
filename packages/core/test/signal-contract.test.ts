import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import pino from 'pino';
import {
  catalogSignalTypes,
  createPostgresDb,
  createSignalEmitter,
  createSupabaseDb,
  defineSignalType,
  SignalConsumer,
  SignalPayloadError,
  SignalRegistry,
  UnknownSignalTypeError,
  type Db,
  type Signal,
} from '@jbot/core';
import { freshDatabase, startRpcTestServer, waitFor, type RpcTestServer, type TestDatabase } from '@jbot/testkit';

const silent = pino({ level: 'silent' });
const testSignal = defineSignalType({ type: 'test_ping', description: 'test', schema: z.object({ n: z.number().int(), note: z.string().optional() }) });
const registry = () => new SignalRegistry([...catalogSignalTypes, testSignal]);

// One contract, two transports: the same SQL functions through postgres.js and through supabase-js.
const transports: Array<{ name: string; connect: (database: TestDatabase) => Promise<{ db: Db; close: () => Promise<void> }> }> = [
  {
    name: 'postgres',
    connect: async (database) => {
      const db = createPostgresDb({ url: database.url, poolMax: 4 });
      return { db, close: () => db.close() };
    },
  },
  {
    name: 'supabase',
    connect: async (database) => {
      const server: RpcTestServer = await startRpcTestServer(database.url);
      const db = createSupabaseDb({ url: server.url, serviceRoleKey: server.serviceRoleKey });
      return {
        db,
        close: async () => {
          await db.close();
          await server.close();
        },
      };
    },
  },
];

async function rawReceipt(database: TestDatabase, signalId: string, consumer: string) {
  const postgres = (await import('postgres')).default;
  const sql = postgres(database.url, { max: 1 });
  try {
    const [row] = await sql`select status::text, attempts, error from signal_receipts where signal_id = ${signalId} and consumer_bot = ${consumer}`;
    return row as { status: string; attempts: number; error: string | null } | undefined;
  } finally {
    await sql.end();
  }
}

for (const transport of transports) {
  describe(`signal contract on the ${transport.name} transport`, () => {
    let database: TestDatabase;
    let db: Db;
    let close: () => Promise<void>;

    beforeAll(async () => {
      database = await freshDatabase();
      ({ db, close } = await transport.connect(database));
    });
    afterAll(async () => {
      await close();
      await database.drop();
    });

    function consumer(bot: string, handler: (signal: Signal) => Promise<void> | void, options: Partial<ConstructorParameters<typeof SignalConsumer>[0]> = {}) {
      return new SignalConsumer({
        db,
        registry: registry(),
        bot,
        log: silent,
        handlers: new Map([['test_ping', handler]]),
        pollMs: 50,
        leaseMs: 2000,
        maxAttempts: 3,
        backoffBaseMs: 50,
        backoffMaxMs: 200,
        listen: transport.name === 'postgres',
        ...options,
      });
    }

    it('emit validates before writing: unknown type and bad payload write nothing', async () => {
      const emitter = createSignalEmitter({ db, registry: registry(), bot: 'opsbot' });
      await expect(emitter.emit('no_such_type', {})).rejects.toBeInstanceOf(UnknownSignalTypeError);
      const bad = emitter.emit('test_ping', { n: 'twenty' });
      await expect(bad).rejects.toBeInstanceOf(SignalPayloadError);
      await expect(bad).rejects.toThrow(/n/);
      const rows = await db.rpc('list_signals', { p_limit: 10 });
      expect(rows).toHaveLength(0);
    });

    it('delivers each signal to each subscribed consumer once, and acks it', async () => {
      const seenA: number[] = [];
      const seenB: number[] = [];
      const a = consumer('alpha', (signal) => {
        seenA.push((signal.payload as { n: number }).n);
      });
      const b = consumer('beta', (signal) => {
        seenB.push((signal.payload as { n: number }).n);
      });
      await a.start();
      await b.start();
      const emitter = createSignalEmitter({ db, registry: registry(), bot: 'sysbot' });
      for (let n = 0; n < 20; n += 1) await emitter.emit('test_ping', { n });
      await waitFor(() => seenA.length === 20 && seenB.length === 20, { what: 'both consumers to see 20 signals' });
      await a.stop();
      await b.stop();
      expect(seenA.sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
      expect(seenB.sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
      const listed = await db.rpc<{ receipts: Array<{ status: string }> }>('list_signals', { p_signal_type: 'test_ping', p_limit: 20 });
      expect(listed.flatMap((row) => row.receipts.map((receipt) => receipt.status))).toEqual(Array(40).fill('handled'));
    });

    it('retries a failing handler with backoff and marks it dead after the last attempt', async () => {
      const attempts: number[] = [];
      const c = consumer('gamma', (signal) => {
        attempts.push(signal.attempt);
        throw new Error('supplier API down');
      });
      await c.start();
      const { id } = await createSignalEmitter({ db, registry: registry(), bot: 'opsbot' }).emit('test_ping', { n: 1 });
      await waitFor(async () => (await rawReceipt(database, id, 'gamma'))?.status === 'dead', { what: 'the receipt to go dead' });
      await c.stop();
      expect(attempts).toEqual([1, 2, 3]);
      const receipt = await rawReceipt(database, id, 'gamma');
      expect(receipt).toMatchObject({ status: 'dead', attempts: 3 });
      expect(receipt?.error).toMatch(/supplier API down/);
    });

    it('recovers after a transient failure (retry then success)', async () => {
      let calls = 0;
      const c = consumer('delta', () => {
        calls += 1;
        if (calls === 1) throw new Error('transient');
      });
      await c.start();
      const { id } = await createSignalEmitter({ db, registry: registry(), bot: 'opsbot' }).emit('test_ping', { n: 2 });
      await waitFor(async () => (await rawReceipt(database, id, 'delta'))?.status === 'handled', { what: 'handled after retry' });
      await c.stop();
      expect(calls).toBe(2);
    });

    it('dedupe_key collapses repeats inside the window into one signal with a count', async () => {
      const emitter = createSignalEmitter({ db, registry: registry(), bot: 'salesbot' });
      const first = await emitter.emit('test_ping', { n: 3 }, { dedupeKey: 'stale:deal-42', dedupeWindowMs: 60_000 });
      const results = [];
      for (let index = 0; index < 9; index += 1)
        results.push(await emitter.emit('test_ping', { n: 3 }, { dedupeKey: 'stale:deal-42', dedupeWindowMs: 60_000 }));
      expect(first.deduplicated).toBe(false);
      expect(results.every((result) => result.deduplicated && result.id === first.id)).toBe(true);
      expect(results.at(-1)?.repeatCount).toBe(10);
      const other = await emitter.emit('test_ping', { n: 3 }, { dedupeKey: 'stale:deal-43', dedupeWindowMs: 60_000 });
      expect(other.id).not.toBe(first.id);
    });

    it('redelivers a signal whose lease expired (a consumer that vanished mid-handler)', async () => {
      // A worker claims the signal and vanishes (as a SIGKILLed process would: no ack, no release).
      await db.rpc('register_subscriptions', { p_consumer_bot: 'epsilon', p_signal_types: ['test_ping'] });
      const { id } = await createSignalEmitter({ db, registry: registry(), bot: 'opsbot' }).emit('test_ping', { n: 4 });
      const claimed = await db.rpc('claim_signals', { p_consumer_bot: 'epsilon', p_lease_seconds: 0.3, p_worker: 'vanished:1' });
      expect(claimed).toHaveLength(1);
      const seen: number[] = [];
      const second = consumer(
        'epsilon',
        (signal) => {
          seen.push(signal.attempt);
        },
        { leaseMs: 300 },
      );
      await second.start();
      await waitFor(async () => (await rawReceipt(database, id, 'epsilon'))?.status === 'handled', { what: 'redelivered after lease expiry' });
      await second.stop();
      expect(seen).toEqual([2]);
    });

    it('a payload that fails its schema at delivery goes dead with the zod issue', async () => {
      const c = consumer('zeta', () => {});
      await c.start();
      // Emit through the database directly (as a foreign writer would), bypassing TS validation.
      const [row] = await db.rpc<{ signal_id: string }>('emit_signal', {
        p_source_bot: 'rogue',
        p_signal_type: 'test_ping',
        p_severity: 'info',
        p_payload: { n: 'x' },
      });
      await waitFor(async () => (await rawReceipt(database, row!.signal_id, 'zeta'))?.status === 'dead', { what: 'poison signal dead' });
      await c.stop();
      expect((await rawReceipt(database, row!.signal_id, 'zeta'))?.error).toMatch(/n: /);
    });
  });
}
