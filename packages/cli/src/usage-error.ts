/**
 * The command line itself is wrong (unknown flag, missing or bad value): the command prints its
 * usage and exits 64 (EX_USAGE) before doing any work.
 */
export class UsageError extends Error {
  readonly code = 'usage';

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }

  /** True for a UsageError, also across duplicated module copies. */
  static isInstance(value: unknown): value is UsageError {
    return value instanceof Error && value.name === 'UsageError';
  }
}
