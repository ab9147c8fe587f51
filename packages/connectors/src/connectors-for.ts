import type { Db, Logger } from '@jbot/core';
import { createConnectors, type Connectors } from './create-connectors.js';

/**
 * The connectors for a job, handler or executor: the ones on the context when the runtime (or a
 * test) put them there, else built over the brain from the process env — live where the
 * vendor's credentials are set, the sample company otherwise. Live calls honour the context's
 * abortSignal (a handler's or executor's deadline) besides their own timeout.
 */
export function connectorsFor(context: { db: Db; log: Logger; abortSignal?: AbortSignal; connectors?: Connectors }): Connectors {
  return context.connectors ?? createConnectors({ db: context.db, env: process.env, log: context.log, ...(context.abortSignal === undefined ? {} : { abortSignal: context.abortSignal }) });
}
