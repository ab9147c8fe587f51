import type { Db } from '@jbot/core';
import { instant } from '../sample/row-values.js';
import type { SeedingShipmentsConnector } from './seeding-connector.js';

/** EasyPost-shaped trackers of the sample company's seeding parcels (sample_seeding_trackers). */
export function createSampleSeedingConnector(db: Db): SeedingShipmentsConnector {
  return {
    source: 'sample',
    async listTrackers(parcels) {
      const rows = await db.rpc('sample_seeding_trackers_list', { p_tracking_codes: parcels.map((parcel) => parcel.trackingCode) });
      return rows.map((row) => ({
        trackingCode: String(row['tracking_code']),
        carrier: String(row['carrier']),
        status: String(row['status']),
        shippedAt: instant(row['shipped_at']),
        deliveredAt: instant(row['delivered_at']),
        updatedAt: instant(row['updated_at']),
      }));
    },
  };
}
