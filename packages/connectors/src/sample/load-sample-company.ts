import type { Db } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import { readSampleCompanyData, type SampleCompanyData } from './sample-company-data.js';

/** What loading did. */
export interface SampleCompanyLoadResult {
  /** False when the company was already loaded and left as it was. */
  loaded: boolean;
  loadedAt: string;
  deals: number;
  shipments: number;
  campaigns: number;
  orders: number;
}

/**
 * Load the sample company into the brain. Idempotent: an already-loaded company is kept (so
 * approved actions survive restarts) unless `reset`. Relative dates resolve against the
 * database clock (or `now`, for tests).
 */
export async function loadSampleCompany(db: Db, options: { reset?: boolean; now?: Date; data?: SampleCompanyData } = {}): Promise<SampleCompanyLoadResult> {
  const row = await rpcOne(db, 'sample_company_load', {
    p_data: options.data ?? readSampleCompanyData(),
    p_reset: options.reset ?? false,
    p_now: options.now?.toISOString(),
  });
  return {
    loaded: row['loaded'] === true,
    loadedAt: String(row['loaded_at']),
    deals: Number(row['deals']),
    shipments: Number(row['shipments']),
    campaigns: Number(row['campaigns']),
    orders: Number(row['orders']),
  };
}
