/** Where a command writes; tests pass buffers. */
export interface CommandIo {
  out: (line: string) => void;
  error: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

/** One `fleet <name>` subcommand. Returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CommandIo): Promise<number>;
  /** It writes its own colour escapes and makes the outside text it prints safe itself (see terminalIo). */
  keepsControls?: boolean;
}
