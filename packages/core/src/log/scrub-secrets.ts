/** The text that replaces a secret wherever it appears. */
export const REDACTED = '[redacted]';

/** Replace every occurrence of every secret in a string. */
export function scrubString(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/**
 * Deep-copy a log value with every secret replaced: strings, nested objects, arrays and
 * errors (message and stack, which is where a failed connection string usually leaks).
 */
export function scrubValue(value: unknown, secrets: readonly string[], seen = new WeakSet<object>()): unknown {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return scrubString(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, seen));
  if (value instanceof Date) return value;
  const result: Record<string, unknown> = {};
  if (value instanceof Error) {
    result['type'] = value.name;
    result['message'] = scrubString(value.message, secrets);
    if (value.stack !== undefined) result['stack'] = scrubString(value.stack, secrets);
    if (value.cause !== undefined) result['cause'] = scrubValue(value.cause, secrets, seen);
  }
  for (const [key, item] of Object.entries(value)) result[key] = scrubValue(item, secrets, seen);
  return result;
}
