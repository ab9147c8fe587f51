import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

/** Where a command writes; tests pass buffers. */
export interface CommandIo {
  out: (line: string) => void;
  error: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Terminal width for tables; undefined when output is not a terminal (pipes get whole cells). */
  columns?: number | undefined;
}

/** One `fleet <name>` subcommand. Returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Its flags (besides --help). */
  options: Readonly<Record<string, OptionSpec>>;
  /** The full `--help` text. */
  help(): string;
  run(argv: string[], io: CommandIo): Promise<number>;
  /** It writes its own colour escapes and makes the outside text it prints safe itself (see terminalIo). */
  keepsControls?: boolean;
}

/** One flag of a subcommand, as `--help` describes it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** What the help shows as the value, e.g. `N` or `24h|7d|ISO`. */
  value?: string;
  description: string;
}

/** Typed values of a command's flags: strings for string flags, true for boolean ones, absent when not given. */
export type OptionValues<Options extends Record<string, OptionSpec>> = { [Name in keyof Options]?: Options[Name]['type'] extends 'boolean' ? boolean : string };

/** What defineCommand needs: the help text's parts and the work itself. */
export interface CommandSpec<Options extends Record<string, OptionSpec>> {
  name: string;
  summary: string;
  /** Positional arguments as the usage line shows them (`<bot>/<job>`, `monday|freight`). */
  arguments?: string;
  /** How many positionals are allowed; default none. */
  positionals?: { min: number; max: number };
  options: Options;
  /** Paragraphs after the options in `--help` (examples, what happens). */
  details?: string;
  /** See Command.keepsControls. */
  keepsControls?: boolean;
  run(input: { values: OptionValues<Options>; positionals: string[] }, io: CommandIo): Promise<number>;
}

const HELP: OptionSpec = { type: 'boolean', description: 'show this help' };

/**
 * A subcommand with a real argument parser (node:util parseArgs, strict): `--help` prints its
 * usage and does nothing else; an unknown flag, a missing value or a stray argument is a usage
 * error (exit 64, naming it) before any work starts, as git and docker do.
 */
export function defineCommand<const Options extends Record<string, OptionSpec>>(spec: CommandSpec<Options>): Command {
  const flags = Object.entries(spec.options)
    .map(([name, option]) => (option.type === 'string' ? `[--${name} ${option.value ?? 'VALUE'}]` : `[--${name}]`))
    .join(' ');
  const usage = ['fleet', spec.name, spec.arguments, flags].filter((part) => part !== undefined && part !== '').join(' ');
  const command: Command = {
    name: spec.name,
    summary: spec.summary,
    usage,
    options: spec.options,
    ...(spec.keepsControls === undefined ? {} : { keepsControls: spec.keepsControls }),
    help() {
      const rows = [...Object.entries(spec.options), ['help', HELP] as const].map(
        ([name, option]) =>
          [`${name === 'help' ? '-h, ' : '    '}--${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}`, option.description] as const,
      );
      const width = Math.max(...rows.map(([flag]) => flag.length));
      return [
        `Usage: ${usage}`,
        '',
        `${spec.summary[0]?.toUpperCase() ?? ''}${spec.summary.slice(1)}.`,
        '',
        'Options:',
        ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
        ...(spec.details === undefined ? [] : ['', spec.details]),
      ].join('\n');
    },
    async run(argv, io) {
      if (wantsHelp(argv)) {
        io.out(command.help());
        return 0;
      }
      try {
        const parsed = parseCommandLine(spec, argv);
        return await spec.run(parsed, io);
      } catch (error) {
        if (!UsageError.isInstance(error)) throw error;
        io.error(`fleet ${spec.name}: ${error.message}`);
        io.error(`usage: ${usage}`);
        io.error(`(\`fleet ${spec.name} --help\` says more)`);
        return 64;
      }
    },
  };
  return command;
}

// `--help` anywhere before a `--` wins over everything else, even over other bad flags: asking
// for help must never do the work (`fleet migrate --help` applies nothing).
function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((argument) => argument === '--help' || argument === '-h');
}

function parseCommandLine<Options extends Record<string, OptionSpec>>(
  spec: CommandSpec<Options>,
  argv: string[],
): { values: OptionValues<Options>; positionals: string[] } {
  const options = Object.fromEntries(Object.entries(spec.options).map(([name, option]) => [name, { type: option.type }]));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  const { positionals } = parsed;
  if (positionals.length > max)
    throw new UsageError(max === 0 ? `unexpected argument "${positionals[0] ?? ''}"` : `unexpected argument "${positionals[max] ?? ''}" (at most ${max})`);
  if (positionals.length < min) throw new UsageError(`missing ${spec.arguments ?? 'argument'}`);
  return { values: parsed.values as OptionValues<Options>, positionals };
}

// node's messages are long and talk about '--' escapes; say what was wrong in a few words.
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(message) ? `${flag} takes no value` : `${flag} needs a value`;
    default:
      return message;
  }
}
