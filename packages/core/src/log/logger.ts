import { pino, type Logger } from 'pino';
import { printableText } from './printable-text.js';
import { scrubString, scrubValue } from './scrub-secrets.js';
import { serializeError } from './serialize-error.js';

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
  'password',
  '*.password',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'serviceRoleKey',
  '*.serviceRoleKey',
];

/** Create a process's root logger: pino JSON, secrets scrubbed from fields, messages and stacks. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? [];
  const pretty = options.pretty === 'true' || (options.pretty !== 'false' && process.stdout.isTTY === true && options.destination === undefined);
  // A pretty log is read on a terminal, where a control character in a message from outside
  // (a deal name, a vendor's error) would act rather than show; JSON lines escape them anyway.
  const text = pretty ? (value: string) => printableText(scrubString(value, secrets)) : (value: string) => scrubString(value, secrets);
  const fields = (value: unknown) => (pretty ? mapStrings(scrubValue(value, secrets), printableText) : scrubValue(value, secrets));
  const pinoOptions = {
    level: options.level ?? 'info',
    base: options.base ?? {},
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // formatters.log runs before this and has already turned an Error into plain data (keeping its
    // class as `type`); an Error still arrives here only when there are no secrets to scrub.
    serializers: { err: (error: unknown) => (error instanceof Error ? fields(serializeError(error)) : error) },
    formatters: {
      log: (object: Record<string, unknown>) => fields(object) as Record<string, unknown>,
    },
    hooks: {
      // Message strings are not passed through formatters.log, so scrub them here. `log.error(err)`
      // and `log.error({ err })` without a message take the error's message as theirs: pass it
      // scrubbed, or pino would copy it raw.
      logMethod(this: Logger, inputArguments: unknown[], method: (...args: unknown[]) => void) {
        const [first, ...rest] = inputArguments;
        if (rest.length === 0 && typeof first === 'object' && first !== null) {
          const error = first instanceof Error ? first : (first as { err?: unknown }).err;
          if (error instanceof Error && (first instanceof Error || (first as { msg?: unknown }).msg === undefined)) {
            method.apply(this, [first instanceof Error ? { err: first } : first, text(error.message)]);
            return;
          }
        }
        method.apply(
          this,
          inputArguments.map((argument, index) => (typeof argument === 'string' ? text(argument) : index === 0 ? argument : fields(argument))),
        );
      },
    },
  };
  if (pretty) {
    return pino({ ...pinoOptions, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return options.destination === undefined ? pino(pinoOptions) : pino(pinoOptions, options.destination);
}

// Deep copy with every string mapped; an Error becomes its log shape first, as in scrubValue.
function mapStrings(value: unknown, map: (text: string) => string, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return map(value);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return mapStrings(serializeError(value), map, seen);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map, seen));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map, seen)]));
}
