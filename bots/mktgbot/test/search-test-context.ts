import pino from 'pino';
import { buildBotServices, type Db } from '@jbot/core';
import { createConnectors, type Connectors } from '@jbot/connectors';
import { mktgbot } from '../src/bot.js';

const silent = pino({ level: 'silent' });

/** A job context for mktgbot on the sample company (or the connectors given), as the runtime builds it. */
export function searchJobContext(db: Db, job: string, runId: string, now: Date, options: { lastFingerprint?: string | null; connectors?: Connectors; manual?: boolean } = {}) {
  return {
    ...buildBotServices(mktgbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, { job, runId }),
    connectors: options.connectors ?? createConnectors({ db, env: {} }),
    job,
    runId,
    scheduledFor: now,
    attempt: 1,
    manual: options.manual ?? false,
    idempotencyKey: runId,
    lastRun: async () => (options.lastFingerprint === undefined || options.lastFingerprint === null ? null : ({ fingerprint: options.lastFingerprint } as never)),
  };
}
