import readline from 'node:readline';

/** What the operator console needs: the terminal, and where a typed line goes. */
export interface OperatorConsoleOptions {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Deliver a typed line to jbot; false when jbot is not running right now. */
  send: (line: string) => boolean;
  /** Say something to the person at the terminal. */
  say: (text: string) => void;
}

/**
 * The `pnpm start` terminal as the local Telegram: each line typed there goes to jbot, which
 * handles it as the operator's reply to its latest line. Only a terminal is read: piped or
 * redirected stdin (CI, `pnpm start < file`, systemd) is ignored, so nothing arrives unasked.
 * Returns a function that stops reading (and lets the process exit).
 */
export function startOperatorConsole(options: OperatorConsoleOptions): () => void {
  if (options.input.isTTY !== true) return () => {};
  // terminal: false keeps the terminal cooked: Ctrl-C stays a SIGINT to the whole fleet.
  const lines = readline.createInterface({ input: options.input, terminal: false });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    if (!options.send(line)) options.say('jbot is not running right now: your line was not delivered (it restarts on its own; type it again in a moment)');
  });
  return () => {
    lines.close();
    // readline leaves the stream paused but referenced; a terminal stdin would keep the process alive.
    (options.input as NodeJS.ReadStream).destroy?.();
  };
}
