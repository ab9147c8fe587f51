import type { Logger } from 'pino';

/** What a context field may be bound to: one job run, signal delivery or approved action. */
export interface RunBinding {
  abortSignal: AbortSignal;
  log: Logger;
}

/**
 * A context field that binds itself to each run, as ctx.llm does: built once per process, it
 * returns a view for one run (ctx.connectors honours that run's abortSignal this way).
 */
export interface RunBindable<Bound> {
  forRun(run: RunBinding): Bound;
}

/** The extension fields for one run: each field that can bind to a run is bound, the rest as they are. */
export function bindToRun(fields: Readonly<Record<string, unknown>> | undefined, run: RunBinding): Record<string, unknown> {
  const bound: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields ?? {})) {
    const bindable = value as Partial<RunBindable<unknown>> | null;
    bound[name] = bindable !== null && typeof bindable === 'object' && typeof bindable.forRun === 'function' ? bindable.forRun(run) : value;
  }
  return bound;
}
