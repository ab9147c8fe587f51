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

/** The 3PL/WMS files: shipment confirmations (more to come: on-hand snapshot, lots, receipts). */
export interface WarehouseConnector {
  readonly source: 'sample' | 'sftp';
  /** Confirmations for orders placed since `since`. */
  listShipmentConfirmations(since: Date): Promise<ShipmentConfirmation[]>;
}
