/** One ECB euro reference rate: units of `currency` per EUR on `day`. */
export interface ReferenceRate {
  currency: string;
  /** YYYY-MM-DD (an ECB business day). */
  day: string;
  perEur: number;
}

/** What a read of the reference rates gave, and the currencies the source does not publish. */
export interface ReferenceRatesRead {
  rates: ReferenceRate[];
  /** Asked for but not published by the source (the ECB publishes no VND or COP reference rate). */
  missing: string[];
}

/** Foreign-exchange reference rates (the ECB's daily euro reference rates, or the sample company's). */
export interface FxConnector {
  readonly source: 'sample' | 'ecb';
  /** Rates for `currencies` (and USD, to cross through EUR) from `since` (YYYY-MM-DD), oldest first. */
  listReferenceRates(currencies: readonly string[], since: string): Promise<ReferenceRatesRead>;
}

/** Units of `currency` per USD on each day both rates exist (ECB rates are per EUR; cross through EUR). */
export function perUsdSeries(rates: readonly ReferenceRate[], currency: string): Array<{ day: string; perUsd: number }> {
  const usd = new Map(rates.filter((rate) => rate.currency === 'USD').map((rate) => [rate.day, rate.perEur]));
  if (currency === 'EUR') return [...usd].map(([day, perEur]) => ({ day, perUsd: 1 / perEur })).sort((left, right) => left.day.localeCompare(right.day));
  return rates
    .filter((rate) => rate.currency === currency && usd.has(rate.day))
    .map((rate) => ({ day: rate.day, perUsd: rate.perEur / (usd.get(rate.day) ?? 1) }))
    .sort((left, right) => left.day.localeCompare(right.day));
}
