/** Base of every error the fleet throws on purpose: a stable `name`, a `code`, the domain facts and a `cause`. */
export class FleetError extends Error {
  readonly code: string;
  readonly facts: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, options: { facts?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.facts = options.facts ?? {};
  }

  /** True for any FleetError, also across duplicated module copies. */
  static isInstance(value: unknown): value is FleetError {
    return value instanceof Error && typeof (value as { code?: unknown }).code === 'string' && 'facts' in value;
  }
}
