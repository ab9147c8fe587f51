import pino from 'pino';
import { buildBotServices, type Db } from '@jbot/core';
import { createConnectors, type Connectors } from '@jbot/connectors';
import { mktgbot } from '../src/bot.js';

/** A logger that says nothing (tests). */
export const silent = pino({ level: 'silent' });

/** Loaded at 07:00 PT on Tue 2026-12-01 (the sample's days count back from the load). */
export const LOADED_AT = new Date('2026-12-01T15:00:00Z');

/** A job's run context on mktgbot over `db`, as the runtime builds it (lastRun answers with `last`). */
export function jobContext(
  db: Db,
  job: string,
  runId: string,
  scheduledFor: Date,
  last: { fingerprint?: string; result?: Record<string, unknown> } | null = null,
  connectors: Connectors = createConnectors({ db, env: {} }),
) {
  return {
    ...buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, { job, runId }),
    connectors,
    job,
    runId,
    scheduledFor,
    attempt: 1,
    manual: false,
    idempotencyKey: runId,
    lastRun: async () => last as never,
  };
}

/** An approval executor's context on mktgbot (the worker passes the approval's idempotency key). */
export function executionContext(db: Db, approvalId: string, connectors: Connectors = createConnectors({ db, env: {} })) {
  return {
    ...buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent),
    connectors,
    approvalId,
    idempotencyKey: `approval:${approvalId}`,
  };
}
