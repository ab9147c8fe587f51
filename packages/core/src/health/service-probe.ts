/**
 * What one cheap authenticated call to an outside service said, for `fleet doctor`: it worked
 * (with a short description), the service answered with an HTTP status, or it could not be reached.
 */
export type ServiceProbe = { ok: true; detail: string } | { ok: false; status: number } | { ok: false; unreachable: string };

/**
 * Read a vendor library's error as a probe result. The official clients report an HTTP answer
 * in different fields (status, error_code, a numeric code, or a wrapped cause/facts); anything
 * without one is a network failure, named by its code when it has one.
 */
export function probeFailure(error: unknown): ServiceProbe {
  for (let current: unknown = error, depth = 0; current !== null && typeof current === 'object' && depth < 4; depth += 1) {
    const candidate = current as {
      status?: unknown;
      error_code?: unknown;
      code?: unknown;
      facts?: { status?: unknown };
      response?: { status?: unknown };
      cause?: unknown;
      error?: unknown;
    };
    for (const value of [candidate.status, candidate.error_code, candidate.code, candidate.facts?.status, candidate.response?.status]) {
      if (typeof value === 'number' && value >= 100 && value < 600) return { ok: false, status: value };
    }
    if (typeof candidate.code === 'string' && /^E[A-Z]+/.test(candidate.code)) return { ok: false, unreachable: candidate.code };
    // grammY wraps a network failure in `error`, most others in `cause`.
    current = candidate.cause ?? candidate.error;
  }
  return { ok: false, unreachable: error instanceof Error ? error.name : 'error' };
}
