/** One order as the 3PL's shipment confirmation file reports it. */
export interface ShipmentConfirmation {
  orderRef: string;
  location: string;
  orderedAt: string;
  /** Null while the order waits in the warehouse. */
  shippedAt: string | null;
  /** Shipped the wrong item (a wrong-item return traced back to the pick). */
  misShip: boolean;
}

/** One lot of a SKU at a location, with its best-by date. */
export interface InventoryLot {
  sku: string;
  lot: string;
  location: string;
  qty: number;
  /** YYYY-MM-DD best-by / expiry. */
  expiry: string;
}

/** What the 3PL's WMS says is on hand. */
export interface WarehouseOnHand {
  sku: string;
  location: string;
  onHand: number;
}

/** A donation order for the 3PL to pick and release. */
export interface DonationOrderInput {
  partner: string;
  lines: Array<{ sku: string; lot: string; location: string; qty: number }>;
  /** The file carries it in its name, so the same order is never dropped twice. */
  idempotencyKey: string;
}

/** The 3PL/WMS files: shipment confirmations, lots, the on-hand snapshot; donation orders out. */
export interface WarehouseConnector {
  readonly source: 'sample' | 'sftp';
  /** Confirmations for orders placed since `since`. */
  listShipmentConfirmations(since: Date): Promise<ShipmentConfirmation[]>;
  listLots(): Promise<InventoryLot[]>;
  listOnHand(): Promise<WarehouseOnHand[]>;
  sendDonationOrder(input: DonationOrderInput): Promise<{ fileName: string; created: boolean }>;
}
