// Signal delivery: emit → subscriber-handler latency and sustained throughput, on the postgres
// transport with LISTEN/NOTIFY and with polling only. Real embedded Postgres, one process.
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import pino from 'pino';
import { catalogSignalTypes, createPostgresDb, createSignalEmitter, defineSignalType, SignalConsumer, SignalRegistry } from '@jbot/core';
import { createTestDatabase, startTestPostgres, waitFor } from '@jbot/testkit';
import { percentiles } from './_percentiles.js';

const benchPing = defineSignalType({ type: 'bench_ping', description: 'bench', schema: z.object({ n: z.number().int() }) });
const registry = new SignalRegistry([...catalogSignalTypes, benchPing]);
const log = pino({ level: 'silent' });
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function scenario(port: number, mode: { listen: boolean; pollMs: number }, latencySamples: number, throughputSignals: number) {
  const database = await createTestDatabase(port);
  const db = createPostgresDb({ url: database.url, poolMax: 8 });
  const consumerDb = createPostgresDb({ url: database.url, poolMax: 8 });
  const started = new Map<number, number>();
  const latencies: number[] = [];
  let handled = 0;
  const consumer = new SignalConsumer({
    db: consumerDb,
    registry,
    bot: 'benchbot',
    log,
    listen: mode.listen,
    pollMs: mode.pollMs,
    concurrency: 64,
    handlers: new Map([
      [
        'bench_ping',
        (signal) => {
          const n = (signal.payload as { n: number }).n;
          const start = started.get(n);
          if (start !== undefined && n < latencySamples) latencies.push(performance.now() - start);
          handled += 1;
        },
      ],
    ]),
  });
  await consumer.start();
  const emitter = createSignalEmitter({ db, registry, bot: 'bench' });
  // Warm up connections and prepared statements.
  for (let n = -20; n < 0; n += 1) await emitter.emit('bench_ping', { n });
  await waitFor(() => handled >= 20, { timeoutMs: 30_000 });

  // Latency: one signal at a time, spaced so we measure delivery rather than queueing.
  handled = 0;
  for (let n = 0; n < latencySamples; n += 1) {
    started.set(n, performance.now());
    await emitter.emit('bench_ping', { n });
    await waitFor(() => handled > n, { timeoutMs: 30_000, intervalMs: 1 });
    await sleep(2);
  }

  // Throughput: emit as fast as 8 concurrent emitters can, until every signal is handled.
  handled = 0;
  const begin = performance.now();
  let next = latencySamples;
  const end = latencySamples + throughputSignals;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < end) {
        const n = next;
        next += 1;
        await emitter.emit('bench_ping', { n });
      }
    }),
  );
  const emittedMs = performance.now() - begin;
  await waitFor(() => handled >= throughputSignals, { timeoutMs: 120_000, intervalMs: 5 });
  const totalMs = performance.now() - begin;
  await consumer.stop();
  await db.close();
  await consumerDb.close();
  await database.drop();
  return {
    latency_ms: percentiles(latencies),
    throughput: {
      signals: throughputSignals,
      emit_per_s: Math.round(throughputSignals / (emittedMs / 1000)),
      handled_per_s: Math.round(throughputSignals / (totalMs / 1000)),
    },
  };
}

/** Run both modes and return the figures. */
export default async function run(argv: string[]): Promise<Record<string, unknown>> {
  const samples = Number(argv[0] ?? 1000);
  const throughput = Number(argv[1] ?? 10_000);
  const server = await startTestPostgres();
  try {
    const notify = await scenario(server.port, { listen: true, pollMs: 1000 }, samples, throughput);
    process.stderr.write(`NOTIFY: ${JSON.stringify(notify)}\n`);
    const polling = await scenario(server.port, { listen: false, pollMs: 50 }, Math.min(samples, 300), throughput);
    process.stderr.write(`polling (50 ms): ${JSON.stringify(polling)}\n`);
    return { notify, polling_50ms: polling, cores: (await import('node:os')).cpus().length };
  } finally {
    await server.stop();
  }
}
