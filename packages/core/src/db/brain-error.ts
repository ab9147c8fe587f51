import { FleetError } from '../errors/fleet-error.js';

/** A brain function call failed: names the function and carries the database's message. */
export class BrainCallError extends FleetError {
  constructor(functionName: string, message: string, options: { sqlState?: string; cause?: unknown } = {}) {
    super('brain_call_failed', `Brain function ${functionName}() failed: ${message}`, {
      facts: { functionName, sqlState: options.sqlState },
      cause: options.cause,
    });
  }
}

/** The database could not be reached or the connection settings are wrong. */
export class BrainConnectionError extends FleetError {
  constructor(message: string, options: { cause?: unknown; transport?: string } = {}) {
    super('brain_unreachable', message, { facts: { transport: options.transport }, cause: options.cause });
  }
}

/** A brain function that always returns one row returned none: the schema and the code disagree. */
export class BrainNoRowError extends FleetError {
  constructor(functionName: string) {
    super('brain_no_row', `Brain function ${functionName}() returned no row; the database schema may be behind this code: run \`pnpm fleet migrate\``, {
      facts: { functionName },
    });
  }
}
