/** The outcome of one doctor check: one line for the operator. */
export interface CheckResult {
  /** What was checked ("database", "DISCORD_TOKEN", "env LOG_LEVEL"). */
  name: string;
  /** `skip`: not configured here, nothing to check (not a failure). */
  outcome: 'ok' | 'fail' | 'skip';
  /** What was found; for a failure, what is wrong and what to do. */
  detail: string;
}

/** A passing check. */
export const pass = (name: string, detail: string): CheckResult => ({ name, outcome: 'ok', detail });
/** A failing check: `detail` says what is wrong and what to do. */
export const fail = (name: string, detail: string): CheckResult => ({ name, outcome: 'fail', detail });
/** A check that does not apply to this configuration. */
export const skip = (name: string, detail: string): CheckResult => ({ name, outcome: 'skip', detail });

/** The line printed for a result: ✓, ✗ or – then the name and the detail. */
export function formatCheck(result: CheckResult): string {
  const mark = result.outcome === 'ok' ? '✓' : result.outcome === 'fail' ? '✗' : '–';
  return `${mark} ${result.name}: ${result.detail}`;
}
