import type { Db } from '@jbot/core';
import { day } from '../sample/row-values.js';
import type { FxConnector } from './fx-connector.js';

/** Reference rates over the sample company's 60 days of ECB-style rates (it also carries VND and COP). */
export function createSampleFxConnector(db: Db): FxConnector {
  return {
    source: 'sample',
    async listReferenceRates(currencies, since) {
      const wanted = [...new Set([...currencies.filter((currency) => currency !== 'EUR'), 'USD'])];
      const rows = await db.rpc('sample_fx_reference_rates', { p_currencies: wanted, p_since: since });
      const rates = rows.map((row) => ({ currency: String(row['currency']), day: day(row['day']), perEur: Number(row['per_eur']) }));
      const present = new Set(rates.map((rate) => rate.currency));
      return { rates, missing: wanted.filter((currency) => !present.has(currency)) };
    },
  };
}
