import { parse } from 'csv-parse/sync';
import { ConnectorError } from '../connector-error.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import type { FxConnector, ReferenceRate } from './fx-connector.js';

/** Where the ECB Data Portal is (overridable for tests and proxies). */
export interface EcbFxOptions {
  /** https://data-api.ecb.europa.eu/service unless overridden. */
  apiBase?: string;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

/** The ECB answered with something other than its CSV of observations. */
export class EcbRatesError extends ConnectorError {
  constructor(message: string, facts: Record<string, unknown>) {
    super('ecb_rates_error', message, { facts });
  }
}

/** Parse the ECB Data Portal's `format=csvdata` answer for the EXR dataflow into reference rates. */
export function parseEcbCsv(csv: string): ReferenceRate[] {
  const records = parse(csv, { columns: true, skip_empty_lines: true, bom: true, trim: true }) as Array<Record<string, string>>;
  const rates: ReferenceRate[] = [];
  for (const record of records) {
    const currency = record['CURRENCY'];
    const period = record['TIME_PERIOD'];
    const value = Number(record['OBS_VALUE']);
    // Missing observations (holidays) come as empty OBS_VALUE.
    if (currency === undefined || period === undefined || record['OBS_VALUE'] === '' || !Number.isFinite(value)) continue;
    if (record['CURRENCY_DENOM'] !== undefined && record['CURRENCY_DENOM'] !== 'EUR') continue;
    rates.push({ currency, day: period, perEur: value });
  }
  return rates.sort((left, right) => left.day.localeCompare(right.day) || left.currency.localeCompare(right.currency));
}

/**
 * The ECB's daily euro reference rates from the Data Portal's SDMX REST API (`EXR/D.<ccy+…>.EUR.SP00.A`,
 * CSV), parsed with csv-parse. Currencies the ECB does not publish (VND, COP) come back as missing.
 */
export function createEcbFxConnector(options: EcbFxOptions = {}): FxConnector {
  const base = (options.apiBase ?? 'https://data-api.ecb.europa.eu/service').replace(/\/+$/, '');
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  return {
    source: 'ecb',
    async listReferenceRates(currencies, since) {
      const wanted = [...new Set([...currencies.filter((currency) => currency !== 'EUR'), 'USD'])].sort();
      for (const currency of wanted) if (!/^[A-Z]{3}$/.test(currency)) throw new EcbRatesError(`"${currency}" is not an ISO 4217 currency code`, { currency });
      const url = `${base}/data/EXR/D.${wanted.join('+')}.EUR.SP00.A?startPeriod=${encodeURIComponent(since)}&format=csvdata`;
      const csv = await callVendor('ECB', 'reference rates', limits, async (signal) => {
        const response = await fetch(url, { signal, headers: { accept: 'text/csv' } });
        const body = await response.text();
        // 404 "No results found" when none of the series exists for the period.
        if (response.status === 404) return '';
        if (!response.ok) throw new EcbRatesError(`ECB Data Portal answered HTTP ${response.status} for ${wanted.join('+')}`, { status: response.status });
        return body;
      });
      const rates = csv === '' ? [] : parseEcbCsv(csv);
      const present = new Set(rates.map((rate) => rate.currency));
      return { rates, missing: wanted.filter((currency) => !present.has(currency)) };
    },
  };
}
