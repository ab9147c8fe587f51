import pino from 'pino';
import { buildBotServices, type Db } from '@jbot/core';
import { createConnectors, type Connectors } from '@jbot/connectors';
import { mktgbot } from '../src/bot.js';

const silent = pino({ level: 'silent' });

/** A job context for mktgbot on the sample company (or the connectors given), as the runtime builds it. */
export function searchJobContext(
  db: Db,
  job: string,
  runId: string,
  now: Date,
  options: { lastFingerprint?: string | null; connectors?: Connectors; manual?: boolean } = {},
) {
  return {
    ...buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, { job, runId }),
    connectors: options.connectors ?? createConnectors({ db, env: {} }),
    job,
    runId,
    scheduledFor: now,
    attempt: 1,
    manual: options.manual ?? false,
    idempotencyKey: runId,
    lastRun: async () =>
      options.lastFingerprint === undefined || options.lastFingerprint === null ? null : ({ fingerprint: options.lastFingerprint } as never),
  };
}

/** Approve an approval and let a running mktgbot execute it; resolves with the final approval. */
export async function approveAndExecute(db: Db, approvalId: string) {
  const { catalogSignalTypes, decideApproval, getApproval, SignalRegistry, startBot } = await import('@jbot/core');
  const { freightDelay } = await import('@jbot/opsbot/signals');
  const { testBotConfig, waitFor } = await import('@jbot/testkit');
  const { searchSignalTypes } = await import('../src/search/search-signals.js');
  const { signalTypes } = await import('../src/signals.js');
  const bot = await startBot(mktgbot, {
    db,
    config: testBotConfig(),
    log: silent,
    registry: new SignalRegistry([...catalogSignalTypes, ...signalTypes, ...searchSignalTypes, freightDelay]),
    extensions: { connectors: createConnectors({ db, env: {} }) },
    approvals: { pollMs: 200 },
  });
  try {
    const decided = await decideApproval(db, { approvalId, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' });
    if (!decided.decided) throw new Error(`approval ${approvalId} was not decided`);
    return await waitFor(
      async () => {
        const approval = await getApproval(db, approvalId);
        return approval?.status === 'executed' || approval?.status === 'failed' ? approval : null;
      },
      { what: `approval ${approvalId} to execute`, timeoutMs: 30_000 },
    );
  } finally {
    await bot.stop();
  }
}

/** Run an action's executor directly again under the approval's key (what a retry or a second host would do). */
export async function executeAgain<Draft, Result>(
  db: Db,
  action: { draft: { parse(value: unknown): Draft }; execute(draft: Draft, context: never, approval: never): Result | Promise<Result> },
  approvalId: string,
): Promise<Result> {
  const { getApproval } = await import('@jbot/core');
  const approval = await getApproval(db, approvalId);
  const context = buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent);
  return action.execute(
    action.draft.parse(approval?.draft),
    { ...context, connectors: createConnectors({ db, env: {} }), approvalId, idempotencyKey: `approval:${approvalId}` } as never,
    approval as never,
  );
}
