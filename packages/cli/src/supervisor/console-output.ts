import type { CommandIo } from '../command.js';

/** Whether the supervisor's console is for a person: LOG_PRETTY=true/false decides, else (auto) whether stdout is a terminal. */
export function prettyOutput(env: NodeJS.ProcessEnv, isTerminal: boolean): boolean {
  const setting = env['LOG_PRETTY'];
  return setting === 'true' ? true : setting === 'false' ? false : isTerminal;
}

/**
 * The supervisor's own lines (the start-up summary, restarts, the stop): text on a terminal, one
 * pino-shaped JSON line each otherwise, so a log collector reads `pnpm start > fleet.log` whole.
 */
export function supervisorIo(io: CommandIo, pretty: boolean): CommandIo {
  if (pretty) return io;
  const json = (level: number) => (text: string) => {
    const message = text.trim();
    if (message !== '') io.out(JSON.stringify({ level, time: Date.now(), bot: 'supervisor', msg: message }));
  };
  return { ...io, out: json(30), error: json(50) };
}
