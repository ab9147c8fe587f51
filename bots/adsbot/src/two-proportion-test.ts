/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7): enough for a p-value threshold. */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Two-sided p-value of the pooled two-proportion z-test: is successes₁/trials₁ different from
 * successes₂/trials₂? 1 when either side has no trials or the pooled rate is 0 or 1.
 */
export function twoProportionPValue(successes1: number, trials1: number, successes2: number, trials2: number): number {
  if (trials1 <= 0 || trials2 <= 0) return 1;
  const pooled = (successes1 + successes2) / (trials1 + trials2);
  if (pooled <= 0 || pooled >= 1) return 1;
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / trials1 + 1 / trials2));
  const z = (successes1 / trials1 - successes2 / trials2) / standardError;
  return 2 * (1 - normalCdf(Math.abs(z)));
}
