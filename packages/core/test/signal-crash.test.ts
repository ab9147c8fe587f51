import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import pino from 'pino';
import { z } from 'zod';
import { catalogSignalTypes, createPostgresDb, createSignalEmitter, defineSignalType, SignalConsumer, SignalRegistry, type Db } from '@jbot/core';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';

const fixture = path.join(import.meta.dirname, 'fixtures', 'consumer-process.ts');
const testPing = defineSignalType({ type: 'test_ping', description: 'test', schema: z.object({ n: z.number().int() }) });
const registry = new SignalRegistry([...catalogSignalTypes, testPing]);

function startConsumerProcess(url: string, bot: string, outFile: string, delayMs: number, leaseMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, url, bot, outFile, String(delayMs), String(leaseMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`consumer exited early with ${code}`)));
  });
}

function handledNumbers(file: string): Set<number> {
  if (!fs.existsSync(file)) return new Set();
  return new Set(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number));
}

describe('signal delivery survives crashes', () => {
  let database: TestDatabase;
  let db: Db;
  let directory: string;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 8 });
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-crash-'));
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('a consumer SIGKILLed mid-handler: its lease expires and the signal is delivered again', async () => {
    const outFile = path.join(directory, 'killed.out');
    const child = await startConsumerProcess(database.url, 'killed', outFile, 60_000, 1000);
    const emitter = createSignalEmitter({ db, registry, bot: 'opsbot' });
    const { id } = await emitter.emit('test_ping', { n: 7 });
    await waitFor(() => fs.existsSync(`${outFile}.started`), { what: 'the handler to start' });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(handledNumbers(outFile).size).toBe(0);

    const attempts: number[] = [];
    const survivor = new SignalConsumer({
      db,
      registry,
      bot: 'killed',
      log: pino({ level: 'silent' }),
      pollMs: 100,
      leaseMs: 1000,
      handlers: new Map([
        [
          'test_ping',
          (signal) => {
            attempts.push(signal.attempt);
          },
        ],
      ]),
    });
    await survivor.start();
    await waitFor(() => attempts.length === 1, { what: 'redelivery after the lease expired', timeoutMs: 15_000 });
    await survivor.stop();
    expect(attempts).toEqual([2]);
    const sql = postgres(database.url, { max: 1 });
    const [receipt] = await sql`select status::text from signal_receipts where signal_id = ${id} and consumer_bot = 'killed'`;
    await sql.end();
    expect(receipt?.['status']).toBe('handled');
  });

  it('10,000 signals while consumers restart at random: every consumer handles every signal', async () => {
    const total = 10_000;
    const bots = ['restarty', 'crashy'];
    const children = new Map<string, ChildProcess>();
    for (const bot of bots) children.set(bot, await startConsumerProcess(database.url, bot, path.join(directory, `${bot}.out`), 0, 1000));

    let chaos = true;
    let restarts = 0;
    // Kill a random consumer (SIGKILL or SIGTERM) every 150–400 ms and start it again.
    const chaosLoop = (async () => {
      while (chaos) {
        await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 250));
        if (!chaos) break;
        const bot = bots[Math.floor(Math.random() * bots.length)] ?? 'restarty';
        const child = children.get(bot);
        if (child === undefined) continue;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill(Math.random() < 0.5 ? 'SIGKILL' : 'SIGTERM');
        await exited;
        children.set(bot, await startConsumerProcess(database.url, bot, path.join(directory, `${bot}.out`), 0, 1000));
        restarts += 1;
      }
    })();

    const emitter = createSignalEmitter({ db, registry, bot: 'opsbot' });
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < total) {
          const n = next;
          next += 1;
          await emitter.emit('test_ping', { n });
        }
      }),
    );
    // Keep the chaos going a little after the burst, then let the consumers drain.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    chaos = false;
    await chaosLoop;
    await waitFor(() => bots.every((bot) => handledNumbers(path.join(directory, `${bot}.out`)).size === total), {
      timeoutMs: 90_000,
      intervalMs: 250,
      what: 'every consumer to handle every signal',
    });
    for (const child of children.values()) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    expect(restarts).toBeGreaterThan(3);
    for (const bot of bots) expect(handledNumbers(path.join(directory, `${bot}.out`)).size).toBe(total);
    const sql = postgres(database.url, { max: 1 });
    const statuses =
      await sql`select consumer_bot, status::text, count(*)::int as count from signal_receipts where consumer_bot in ('restarty', 'crashy') group by 1, 2`;
    await sql.end();
    // Every receipt ends handled (a crash between write and ack may redeliver, never lose).
    expect(statuses.map((row) => [row['consumer_bot'], row['status'], row['count']]).sort()).toEqual([
      ['crashy', 'handled', total],
      ['restarty', 'handled', total],
    ]);
  }, 180_000);

  it('the listener connection terminated during a burst: every signal is still handled via the backstop', async () => {
    const seen = new Set<number>();
    const consumerDb = createPostgresDb({ url: database.url, poolMax: 4, applicationName: 'listener-victim' });
    const consumer = new SignalConsumer({
      db: consumerDb,
      registry,
      bot: 'listener',
      log: pino({ level: 'silent' }),
      pollMs: 200,
      leaseMs: 5000,
      handlers: new Map([
        [
          'test_ping',
          (signal) => {
            seen.add((signal.payload as { n: number }).n);
          },
        ],
      ]),
    });
    await consumer.start();
    const emitter = createSignalEmitter({ db, registry, bot: 'opsbot' });
    const admin = postgres(database.url, { max: 1 });
    let terminated = 0;
    for (let n = 0; n < 600; n += 1) {
      await emitter.emit('test_ping', { n: 100_000 + n });
      if (n === 200 || n === 400) {
        const rows = await admin`select pg_terminate_backend(pid) as ok from pg_stat_activity
                                  where application_name = 'listener-victim' and query ilike 'listen%'`;
        terminated += rows.length;
      }
    }
    await admin.end();
    await waitFor(() => seen.size === 600, { timeoutMs: 30_000, what: 'all 600 signals handled' });
    await consumer.stop();
    await consumerDb.close();
    expect(terminated).toBeGreaterThanOrEqual(1);
    expect(seen.size).toBe(600);
  });
});
