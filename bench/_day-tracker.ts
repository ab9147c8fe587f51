// What `pnpm bench day` sees from inside the process: every job run, signal delivery and approval
// execution of the bots it hosts, counted by what makes each one unique. Counting at the call
// (not in the brain) is what lets the bench say "this tick ran twice" even if the brain's own
// guards had a hole.
import type { BotDefinition } from '@jbot/core';

/** Invocations counted by key, and what is running right now. */
export class FleetTracker {
  /** `${bot}/${job}/${scheduledFor}/${attempt}` → times the job's run() was entered. */
  readonly runs = new Map<string, number>();
  /** `${bot}/${signalId}` → times a handler of that bot got that signal (redelivery is allowed, counted for information). */
  readonly deliveries = new Map<string, number>();
  /** `${bot}/${approvalId}` → times the action's executor was entered (a re-run must repeat no side effect). */
  readonly executions = new Map<string, number>();
  private active = 0;

  /** Jobs, handlers and executors running now. */
  get inFlight(): number {
    return this.active;
  }

  private async track<Result>(counter: Map<string, number>, key: string, work: () => Promise<Result> | Result): Promise<Result> {
    counter.set(key, (counter.get(key) ?? 0) + 1);
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
    }
  }

  /** The same bot with every job, handler and action counted; behaviour unchanged. */
  instrument(definition: BotDefinition): BotDefinition {
    const bot = definition.name;
    type Handler = (signal: { id: string }, context: unknown) => Promise<void> | void;
    const counted =
      (handler: Handler): Handler =>
      (signal, context) =>
        this.track(this.deliveries, `${bot}/${signal.id}`, () => handler(signal, context));
    return {
      ...definition,
      ...(definition.jobs === undefined
        ? {}
        : {
            jobs: definition.jobs.map((job) => ({
              ...job,
              run: (context: Parameters<typeof job.run>[0]) =>
                this.track(this.runs, `${bot}/${job.id}/${context.scheduledFor.toISOString()}/${context.attempt}`, () => job.run(context)),
            })),
          }),
      ...(definition.on === undefined
        ? {}
        : {
            on: Object.fromEntries(Object.entries(definition.on as Record<string, Handler>).map(([type, handler]) => [type, counted(handler)])) as NonNullable<
              BotDefinition['on']
            >,
          }),
      ...(definition.onEvery === undefined
        ? {}
        : { onEvery: { ...definition.onEvery, handle: counted(definition.onEvery.handle as Handler) as NonNullable<BotDefinition['onEvery']>['handle'] } }),
      ...(definition.actions === undefined
        ? {}
        : {
            actions: definition.actions.map((action) => ({
              ...action,
              execute: (draft: unknown, context: Parameters<typeof action.execute>[1], approval: Parameters<typeof action.execute>[2]) =>
                this.track(this.executions, `${bot}/${approval.id}`, () => action.execute(draft, context, approval)),
            })),
          }),
    };
  }

  /** Ticks whose run() was entered more than once for the same attempt: each extra entry is a duplicate. */
  duplicateRuns(): number {
    let extra = 0;
    for (const count of this.runs.values()) extra += Math.max(0, count - 1);
    return extra;
  }
}
