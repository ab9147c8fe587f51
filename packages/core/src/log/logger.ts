import { pino, stdSerializers, type Logger } from 'pino';
import { scrubString, scrubValue } from './scrub-secrets.js';

export type { Logger } from 'pino';

/** How to build the root logger of a process. */
export interface LoggerOptions {
  level?: string;
  /** `auto` pretty-prints only when stdout is a TTY; JSON otherwise (journald, files, pipes). */
  pretty?: 'auto' | 'true' | 'false';
  /** Values that must never reach a log line (see secretValuesFromEnv). */
  secrets?: readonly string[];
  /** Fields on every line, such as `{ bot }`. */
  base?: Record<string, unknown>;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
}

// Key names whose values are dropped whatever they contain.
const REDACT_PATHS = [
  'password', '*.password', 'token', '*.token', 'apiKey', '*.apiKey', 'authorization', '*.authorization',
  'headers.authorization', '*.headers.authorization', 'serviceRoleKey', '*.serviceRoleKey',
];

/** Create a process's root logger: pino JSON, secrets scrubbed from fields, messages and stacks. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? [];
  const pretty = options.pretty === 'true' || (options.pretty !== 'false' && process.stdout.isTTY === true && options.destination === undefined);
  const pinoOptions = {
    level: options.level ?? 'info',
    base: options.base ?? {},
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: (error: Error) => scrubValue(stdSerializers.err(error), secrets) },
    formatters: {
      log: (object: Record<string, unknown>) => scrubValue(object, secrets) as Record<string, unknown>,
    },
    hooks: {
      // Message strings are not passed through formatters.log, so scrub them here.
      logMethod(this: Logger, inputArguments: unknown[], method: (...args: unknown[]) => void) {
        method.apply(this, inputArguments.map((argument) => (typeof argument === 'string' ? scrubString(argument, secrets) : argument)));
      },
    },
  };
  if (pretty) {
    return pino({ ...pinoOptions, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return options.destination === undefined ? pino(pinoOptions) : pino(pinoOptions, options.destination);
}
