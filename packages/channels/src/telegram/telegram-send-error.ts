/**
 * What a failed Telegram send means for the line: `rate_limited` (429: wait `retryAfterMs`, as
 * Telegram says), `rejected` (another 4xx: this message or this chat is refused as it stands) or
 * `unavailable` (5xx, a timeout or the network: try again later).
 */
export type TelegramSendFailure = 'rate_limited' | 'rejected' | 'unavailable';

/** A Telegram send that failed, classified so the dispatcher knows whether to wait, split or back off. */
export class TelegramSendError extends Error {
  override readonly name = 'TelegramSendError';
  readonly code = 'TELEGRAM_SEND_FAILED';
  readonly kind: TelegramSendFailure;
  /** The Bot API error_code (HTTP status), null for network errors. */
  readonly status: number | null;
  /** Telegram's retry_after for a 429, in ms; null when it gave none. */
  readonly retryAfterMs: number | null;

  constructor(message: string, details: { kind: TelegramSendFailure; status: number | null; retryAfterMs: number | null; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** True for a TelegramSendError, also one from another copy of this module. */
  static isInstance(error: unknown): error is TelegramSendError {
    return error instanceof Error && error.name === 'TelegramSendError' && 'kind' in error;
  }
}

/**
 * Classify any error from a send. Bot API errors carry `error_code` and `parameters.retry_after`
 * (grammY's GrammyError keeps the API's fields); anything else (a network error, a timeout) is
 * `unavailable`, so an unknown failure is retried, never dropped.
 */
export function toTelegramSendError(error: unknown): TelegramSendError {
  if (TelegramSendError.isInstance(error)) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as {
    error_code?: unknown;
    description?: unknown;
    parameters?: { retry_after?: unknown };
  };
  const status = typeof fields.error_code === 'number' ? fields.error_code : null;
  const retryAfter = typeof fields.parameters?.retry_after === 'number' ? fields.parameters.retry_after * 1000 : null;
  const kind: TelegramSendFailure = status === 429 ? 'rate_limited' : status !== null && status >= 400 && status < 500 ? 'rejected' : 'unavailable';
  const message = typeof fields.description === 'string' ? fields.description : error instanceof Error ? error.message : String(error);
  return new TelegramSendError(`Telegram send failed (${status ?? 'network'}): ${message}`, {
    kind,
    status,
    retryAfterMs: kind === 'rate_limited' ? retryAfter : null,
    cause: error,
  });
}
