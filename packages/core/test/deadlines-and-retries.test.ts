import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { z } from 'zod';
import {
  ApprovalWorker,
  ConfigError,
  loadCoreConfig,
  catalogSignalTypes,
  createApprovals,
  createPostgresDb,
  defineAction,
  createSignalEmitter,
  decideApproval,
  defineSignalType,
  getApproval,
  retryApproval,
  SignalConsumer,
  SignalRegistry,
  statusLine,
  buildBotServices,
  type Approval,
  type ApprovalExecutor,
  type Db,
} from '@jbot/core';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';

const silent = pino({ level: 'silent' });
const testPing = defineSignalType({ type: 'test_ping', description: 'test', schema: z.object({ n: z.number().int() }) });
const registry = new SignalRegistry([...catalogSignalTypes, testPing]);
const never = () => new Promise<never>(() => {});

describe('deadline settings', () => {
  it('default to 5 min per handler and 10 min per approved action, and a bad value names its variable', () => {
    const config = loadCoreConfig({});
    expect({ handler: config.signals.handlerTimeoutMs, approval: config.approvalTimeoutMs }).toEqual({ handler: 300_000, approval: 600_000 });
    expect(loadCoreConfig({ SIGNAL_HANDLER_TIMEOUT_MS: '2000', APPROVAL_TIMEOUT_MS: '90000' })).toMatchObject({
      signals: { handlerTimeoutMs: 2000 },
      approvalTimeoutMs: 90_000,
    });
    const error = (() => {
      try {
        return loadCoreConfig({ SIGNAL_HANDLER_TIMEOUT_MS: 'soon', APPROVAL_TIMEOUT_MS: '0' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.variable).sort()).toEqual(['APPROVAL_TIMEOUT_MS', 'SIGNAL_HANDLER_TIMEOUT_MS']);
  });
});

describe('deadlines: a hung handler or executor is aborted, and its lease is not renewed for ever', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 1 });
  });
  afterAll(async () => {
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('a handler that never settles is aborted at its deadline, frees its slot, is retried and then dead-lettered with the reason', async () => {
    const handled: number[] = [];
    const aborts: string[] = [];
    const consumer = new SignalConsumer({
      db,
      registry,
      bot: 'hangbot',
      log: silent,
      pollMs: 50,
      leaseMs: 60_000,
      maxAttempts: 2,
      concurrency: 1,
      handlerTimeoutMs: 200,
      backoffBaseMs: 10,
      backoffMaxMs: 10,
      handlers: new Map([
        [
          'test_ping',
          async (signal, context) => {
            const n = (signal.payload as { n: number }).n;
            if (n === 1) {
              context.abortSignal.addEventListener('abort', () => aborts.push(String((context.abortSignal.reason as Error).name)));
              return never(); // ignores its abort signal too: the consumer must not wait for it
            }
            handled.push(n);
          },
        ],
      ]),
    });
    await consumer.start();
    const emitter = createSignalEmitter({ db, registry, bot: 'opsbot' });
    const { id: hung } = await emitter.emit('test_ping', { n: 1 });
    await emitter.emit('test_ping', { n: 2 });
    await waitFor(() => handled.includes(2), { what: 'the second signal to get the only slot after the deadline', timeoutMs: 15_000 });
    const receipt = await waitFor(
      async () => {
        const [row] = await sql`select status::text, attempts, error from signal_receipts where signal_id = ${hung} and consumer_bot = 'hangbot'`;
        return row?.['status'] === 'dead' ? row : null;
      },
      { what: 'the hung signal dead-lettered after its attempts', timeoutMs: 15_000 },
    );
    await consumer.stop(500);
    expect(receipt['attempts']).toBe(2);
    expect(String(receipt['error'])).toMatch(/^DeadlineExceededError: hangbot's test_ping handler \(signal .*\) did not finish within its deadline of 200 ms/);
    expect(aborts).toEqual(['DeadlineExceededError', 'DeadlineExceededError']);
  });

  function startWorker(bot: string, executors: Record<string, ApprovalExecutor>, options: { timeoutMs?: number; maxAttempts?: number } = {}) {
    const actions = Object.keys(executors).map((name) => defineAction({ name, draft: z.unknown(), execute: () => null }));
    const services = buildBotServices({ name: bot, actions }, { db, log: silent, host: 'test' });
    const worker = new ApprovalWorker({
      db,
      bot,
      channel: services.channel,
      executors,
      context: services.context,
      log: silent,
      pollMs: 50,
      leaseMs: 60_000,
      listen: false,
      ...options,
    });
    return { worker, approvals: services.approvals };
  }

  async function approved(approvals: ReturnType<typeof createApprovals>, action: string): Promise<string> {
    const { approval } = await approvals.request({ action, title: `Run ${action}`, draft: { n: 1 } });
    await decideApproval(db, { approvalId: approval.id, decision: 'approved', decidedBy: 'cli:ana' });
    return approval.id;
  }

  it('an executor that never settles is aborted at its deadline even though its lease (60 s) is far off; retried, then failed visibly with a Retry', async () => {
    const seen: AbortSignal[] = [];
    const { worker, approvals } = startWorker(
      'stuckbot',
      {
        hang: (_approval, context) => {
          seen.push(context.abortSignal);
          return never();
        },
      },
      { timeoutMs: 200, maxAttempts: 2 },
    );
    const id = await approved(approvals, 'hang');
    await worker.start();
    // Attempt 1 times out and is handed back with a hold; the second attempt is the last.
    const failed = await waitFor(
      async () => {
        const approval = await getApproval(db, id);
        return approval?.status === 'failed' ? approval : null;
      },
      { what: 'the hung approval to fail', timeoutMs: 20_000 },
    );
    await worker.stop(500);
    expect(failed.attempts).toBe(2);
    expect(failed.error).toMatch(/^attempt 2 of 2 \(the last\): stuckbot hang \(approval .*\) did not finish within its deadline of 200 ms; it was aborted$/);
    expect(seen.map((signal) => signal.aborted)).toEqual([true, true]);
    expect(statusLine(failed)).toContain(`fleet approvals retry ${id}`);
    const [row] = await sql`select lease_until from approvals where id = ${id}`;
    expect(row?.['lease_until']).toBeNull(); // nothing holds it
  });

  it('"retry later" hands the approval back (visible, held) instead of failing it; the next attempt finishes it', async () => {
    let calls = 0;
    const retryLater = Object.assign(new Error('hubspot email.create is being executed by another attempt'), { retryAfterMs: 1000 });
    const { worker, approvals } = startWorker('laterbot', {
      send: () => {
        calls += 1;
        if (calls === 1) throw retryLater;
        return { summary: 'sent' };
      },
    });
    const id = await approved(approvals, 'send');
    const states: Approval[] = [];
    await worker.start();
    const done = await waitFor(
      async () => {
        const approval = await getApproval(db, id);
        if (approval !== null) states.push(approval);
        return approval?.status === 'executed' ? approval : null;
      },
      { what: 'the approval to execute on its second attempt', timeoutMs: 20_000, intervalMs: 20 },
    );
    await worker.stop(500);
    expect(done).toMatchObject({ attempts: 2, result: { summary: 'sent' }, error: null });
    const held = states.find((state) => state.status === 'approved' && state.retryAt !== null);
    expect(held?.error).toBe('attempt 1 of 3: hubspot email.create is being executed by another attempt');
    expect(statusLine(held as Approval)).toMatch(/ · attempt 1 of 3: .* · laterbot retries it after \d{4}-/);
  });

  it('a person retries only a failed approval; it runs again with a fresh set of attempts', async () => {
    let calls = 0;
    const { worker, approvals } = startWorker('flakybot', {
      send: () => {
        calls += 1;
        if (calls === 1) throw new Error('HTTP 400 from the vendor');
        return 'ok';
      },
    });
    const id = await approved(approvals, 'send');
    await worker.start();
    const failed = await waitFor(async () => ((await getApproval(db, id))?.status === 'failed' ? getApproval(db, id) : null), { what: 'a plain failure' });
    expect(failed?.error).toBe('HTTP 400 from the vendor'); // not retry-later: no automatic retry
    const results = await Promise.all([
      retryApproval(db, { approvalId: id, retriedBy: 'cli:ana' }),
      retryApproval(db, { approvalId: id, retriedBy: 'discord:1 (ben)' }),
    ]);
    expect(results.filter((result) => result.retried)).toHaveLength(1);
    expect(results.find((result) => !result.retried)?.reason).toMatch(/^only a failed approval can be retried; this one is (approved|executing|executed)$/);
    worker.wake();
    const done = await waitFor(async () => ((await getApproval(db, id))?.status === 'executed' ? getApproval(db, id) : null), {
      what: 'the retried approval to execute',
    });
    await worker.stop(500);
    expect(done?.attempts).toBe(1);
    const [row] = await sql`select retried_by from approvals where id = ${id}`;
    expect(String(row?.['retried_by'])).toMatch(/^(cli:ana|discord:1 \(ben\))$/);
    expect((await retryApproval(db, { approvalId: '00000000-0000-4000-8000-000000000000', retriedBy: 'x' })).retried).toBe(false);
  });
});
