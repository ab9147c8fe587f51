import { stdSerializers } from 'pino';

// A cause chain is short in practice; the bound only stops a cycle built by hand.
const MAX_CAUSE_DEPTH = 5;

/**
 * An error as a log line holds it: pino's own shape (`type` is the class, so a search for
 * "ConnectorError" finds it; message and stack include the causes; `code`, `facts` and every
 * other own field kept), plus `cause` as a field of its own with the cause's class, message and
 * fields (its stack is already in the parent's). Plain data, so it can be scrubbed and stored.
 */
export function serializeError(error: Error, depth = 0): Record<string, unknown> {
  const serialized: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stdSerializers.err(error))) serialized[key] = value;
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
    if (error.cause instanceof Error) {
      const { stack: _stack, ...cause } = serializeError(error.cause, depth + 1);
      // The cause's own message, not pino's "outer: inner" join, which the parent already holds.
      serialized['cause'] = { ...cause, message: error.cause.message };
    } else {
      serialized['cause'] = error.cause;
    }
  }
  return serialized;
}
