/** Severities in rising order: info < warning < alert < critical. */
export const SEVERITIES = ['info', 'warning', 'alert', 'critical'] as const;

/** How much a signal needs a human. */
export type Severity = (typeof SEVERITIES)[number];

/** Compare severities: negative when `left` is lower. */
export function compareSeverity(left: Severity, right: Severity): number {
  return SEVERITIES.indexOf(left) - SEVERITIES.indexOf(right);
}

/** True when `severity` is at least `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return compareSeverity(severity, threshold) >= 0;
}
