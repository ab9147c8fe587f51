import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { printableText, repositoryRoot } from '@jbot/core';

/** One supervised bot process. */
export interface SupervisedBot {
  bot: string;
  child: ChildProcess | undefined;
  restarts: number;
  startedAt: number;
}

/** How to run a set of bots as child processes. */
export interface SupervisorOptions {
  bots: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Variables for one child on top of `env` (each bot's own brain role). */
  envFor?: (bot: string) => NodeJS.ProcessEnv;
  /** Each output line of each bot (already formatted by the caller's formatter). */
  onLine: (bot: string, line: string, stream: 'stdout' | 'stderr') => void;
  /** Supervisor events: started, exited, restarting, gave up. */
  onEvent?: (event: { bot: string; kind: 'started' | 'exited' | 'restarting' | 'gave-up'; detail: string }) => void;
  /** First restart delay; doubles per crash up to maxBackoffMs, resets after a minute of uptime. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Give up on a bot after this many crashes in a row. */
  maxRestarts?: number;
  /** Graceful stop deadline before SIGKILL (bots finish or release work within 10 s). */
  stopTimeoutMs?: number;
  /** Prebuilt bundles per bot (see bundleBots); bots without one run from source. */
  bundles?: ReadonlyMap<string, string>;
  /** The bot whose stdin the supervisor writes to (jbot: the operator's typed lines); the others get none. */
  inputFor?: string;
}

/** A running supervisor. */
export interface Supervisor {
  bots: ReadonlyMap<string, SupervisedBot>;
  /** SIGTERM every bot, SIGKILL what is left after stopTimeoutMs. */
  stop(): Promise<void>;
  /** Write one line to the stdin of `inputFor`; false when that bot is not running right now. */
  send(bot: string, line: string): boolean;
  /** SIGKILL every bot still running now (a second Ctrl-C) and wait until they are gone. */
  kill(): Promise<void>;
}

/** The supervised child that serves the dashboard rather than running a bot. */
export const DASHBOARD_PROCESS = 'dashboard';

/**
 * Extra node flags for the dashboard. None: V8's --lite-mode saved ~11 MB idle but disables
 * WebAssembly, which Node's fetch (undici's HTTP parser) needs, so the dashboard logged an
 * unhandled rejection at every start and could not use the Supabase transport at all.
 */
export const DASHBOARD_NODE_FLAGS: readonly string[] = [];

// Exit code of a bot whose configuration is invalid: restarting would only repeat the error.
const EXIT_CONFIG = 78;

/**
 * The command line that runs one bot: its bundle when one was built, else from source through tsx.
 * A small young generation (--max-semi-space-size=2) keeps an idle bot ~3 MB leaner; bots are
 * I/O-bound, so the extra scavenges cost nothing measurable. Source maps stay on: an operator's
 * stack trace should name our files, not bundle chunks.
 */
export function botCommand(bot: string, bundles?: ReadonlyMap<string, string>): { command: string; args: string[] } {
  const bundle = bundles?.get(bot);
  if (bundle !== undefined)
    return {
      command: process.execPath,
      args: ['--enable-source-maps', '--max-semi-space-size=2', ...(bot === DASHBOARD_PROCESS ? DASHBOARD_NODE_FLAGS : []), bundle],
    };
  // The dashboard is supervised like a bot but has its own entry (packages/dashboard).
  if (bot === DASHBOARD_PROCESS)
    return { command: process.execPath, args: ['--import', 'tsx', path.join(repositoryRoot, 'packages', 'dashboard', 'src', 'main.ts')] };
  return { command: process.execPath, args: ['--import', 'tsx', path.join(repositoryRoot, 'packages', 'fleet', 'src', 'main.ts'), bot] };
}

/** Start bots as separate processes; restart a crashed bot with exponential backoff. */
export function startSupervisor(options: SupervisorOptions): Supervisor {
  const bots = new Map<string, SupervisedBot>();
  let stopping = false;
  const backoffMs = options.backoffMs ?? 1000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const maxRestarts = options.maxRestarts ?? 20;

  const launch = (entry: SupervisedBot) => {
    const { command, args } = botCommand(entry.bot, options.bundles);
    const env = options.envFor === undefined ? options.env : { ...options.env, ...options.envFor(entry.bot) };
    const child = spawn(command, args, { cwd: repositoryRoot, env, stdio: [entry.bot === options.inputFor ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    // A bot that exits while a line is being written must not take the supervisor down (EPIPE).
    child.stdin?.on('error', () => {});
    entry.child = child;
    entry.startedAt = Date.now();
    options.onEvent?.({ bot: entry.bot, kind: 'started', detail: `pid ${child.pid}` });
    for (const [stream, source] of [
      ['stdout', child.stdout],
      ['stderr', child.stderr],
    ] as const) {
      if (source === null) continue;
      // A child's output carries outside data (deal names, vendor errors): no control sequence passes raw.
      readline.createInterface({ input: source }).on('line', (line) => options.onLine(entry.bot, printableText(line), stream));
    }
    child.once('exit', (code, signal) => {
      entry.child = undefined;
      options.onEvent?.({ bot: entry.bot, kind: 'exited', detail: signal === null ? `code ${code}` : `signal ${signal}` });
      if (stopping) return;
      if (code === EXIT_CONFIG) {
        options.onEvent?.({ bot: entry.bot, kind: 'gave-up', detail: 'configuration error (see above); fix .env and restart' });
        return;
      }
      if (Date.now() - entry.startedAt > 60_000) entry.restarts = 0;
      entry.restarts += 1;
      if (entry.restarts > maxRestarts) {
        options.onEvent?.({ bot: entry.bot, kind: 'gave-up', detail: `crashed ${maxRestarts} times in a row` });
        return;
      }
      const delay = Math.min(maxBackoffMs, backoffMs * 2 ** (entry.restarts - 1));
      options.onEvent?.({ bot: entry.bot, kind: 'restarting', detail: `in ${delay} ms (crash ${entry.restarts})` });
      setTimeout(() => {
        if (!stopping) launch(entry);
      }, delay);
    });
  };

  for (const bot of options.bots) {
    const entry: SupervisedBot = { bot, child: undefined, restarts: 0, startedAt: 0 };
    bots.set(bot, entry);
    launch(entry);
  }

  const runningChildren = () => [...bots.values()].flatMap((entry) => (entry.child === undefined ? [] : [entry.child]));
  return {
    bots,
    send(bot, line) {
      const stdin = bots.get(bot)?.child?.stdin;
      if (stdin === null || stdin === undefined || stdin.destroyed || stopping) return false;
      stdin.write(`${line}\n`);
      return true;
    },
    async kill() {
      stopping = true;
      await Promise.all(
        runningChildren().map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
        ),
      );
    },
    async stop() {
      stopping = true;
      const running = runningChildren();
      await Promise.all(
        running.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              const killer = setTimeout(() => child.kill('SIGKILL'), options.stopTimeoutMs ?? 12_000);
              child.once('exit', () => {
                clearTimeout(killer);
                resolve();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
