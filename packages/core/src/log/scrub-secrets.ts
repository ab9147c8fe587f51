import { serializeError } from './serialize-error.js';

/** The text that replaces a secret wherever it appears. */
export const REDACTED = '[redacted]';

// One compiled pattern per secrets list: callers (the logger, the brain seam, the CLI) keep their
// list for the life of the process, so this is compiled once.
const patterns = new WeakMap<readonly string[], RegExp | null>();

/**
 * Replace every occurrence of every secret in a string, also in its URL- and form-encoded forms:
 * a Meta token `123|abc` travels as `access_token=123%7Cabc` in a query string, `%7c` from other
 * encoders, `%257C` when a URL is encoded twice, and a space as `+` in a form body.
 */
export function scrubString(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0 || text.length === 0) return text;
  const pattern = secretsPattern(secrets);
  return pattern === null ? text : text.replace(pattern, REDACTED);
}

/**
 * Deep-copy a log value with every secret replaced: strings, nested objects, arrays and
 * errors (message and stack, which is where a failed connection string usually leaks). An
 * error keeps its class as `type` (see serializeError).
 */
export function scrubValue(value: unknown, secrets: readonly string[], seen = new WeakSet<object>()): unknown {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return scrubString(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  // `seen` holds the path from the root only: a value reached twice (one Date as two arguments)
  // is no cycle and is scrubbed each time.
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, seen));
    if (value instanceof Error) return scrubValue(serializeError(value), secrets, seen);
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = scrubValue(item, secrets, seen);
    return result;
  } finally {
    seen.delete(value);
  }
}

function secretsPattern(secrets: readonly string[]): RegExp | null {
  let pattern = patterns.get(secrets);
  if (pattern === undefined) {
    // Longest first, so a secret that contains another is replaced whole.
    const alternatives = secrets
      .filter((secret) => secret.length > 0)
      .sort((left, right) => right.length - left.length)
      .map(encodedFormsPattern);
    pattern = alternatives.length === 0 ? null : new RegExp(alternatives.join('|'), 'g');
    patterns.set(secrets, pattern);
  }
  return pattern;
}

// Letters and digits are never percent-encoded by encodeURIComponent, URLSearchParams or the
// vendors' SDKs; every other character may be, once or twice, with upper- or lower-case hex.
function encodedFormsPattern(secret: string): string {
  let pattern = '';
  for (const character of secret) {
    if (/^[A-Za-z0-9]$/.test(character)) {
      pattern += character;
      continue;
    }
    const bytes = [...Buffer.from(character, 'utf8')].map((byte) => `%(?:25)?${hexPattern(byte)}`).join('');
    pattern += `(?:${escapeRegExp(character)}|${bytes}${character === ' ' ? '|\\+' : ''})`;
  }
  return pattern;
}

function hexPattern(byte: number): string {
  return [...byte.toString(16).toUpperCase().padStart(2, '0')].map((digit) => (/[A-F]/.test(digit) ? `[${digit}${digit.toLowerCase()}]` : digit)).join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
