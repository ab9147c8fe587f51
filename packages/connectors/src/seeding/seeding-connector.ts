/** The parcel that took a seeding kit to a creator, as the carrier reports it (an EasyPost Tracker). */
export interface SeedingTracker {
  trackingCode: string;
  carrier: string;
  /** EasyPost statuses: pre_transit, in_transit, out_for_delivery, delivered, return_to_sender, failure, unknown. */
  status: string;
  shippedAt: string | null;
  deliveredAt: string | null;
  updatedAt: string | null;
}

/** Seeding shipments (product sent to creators): where each parcel is. */
export interface SeedingShipmentsConnector {
  readonly source: 'sample' | 'easypost';
  /** The trackers of these parcels; codes the carrier does not know are left out. */
  listTrackers(parcels: ReadonlyArray<{ trackingCode: string; carrier: string | null }>): Promise<SeedingTracker[]>;
}
