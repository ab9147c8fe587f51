/** Where a container is: on the vessel, discharged at the terminal, available, picked up, or the empty returned. */
export type ContainerStatus = 'on_vessel' | 'discharged' | 'available' | 'picked_up' | 'returned';

/** An import container at (or on its way to) the port of discharge. */
export interface Container {
  /** The container number (EGHU 923418-6). */
  number: string;
  /** Our shipment reference (bill of lading or the forwarder's shipment id). */
  shipmentId: string;
  supplierId: string | null;
  poIds: string[];
  terminal: string;
  port: string;
  status: ContainerStatus;
  dischargedAt: string | null;
  /** YYYY-MM-DD: the last day to pick up before demurrage (null until the terminal sets it). */
  lastFreeDay: string | null;
  /** Active holds (customs, freight, TMF, USDA …). */
  holds: string[];
  /** ISO instant of the pickup appointment, null if none. */
  appointmentAt: string | null;
  /** Who picks it up: "Name <email>". */
  trucker: string;
}

/** Container tracking: the terminal's view of our boxes (Terminal49, or the sample company). */
export interface ContainerConnector {
  readonly source: 'sample' | 'terminal49';
  listContainers(): Promise<Container[]>;
  /**
   * Note a pickup requested from the trucker, once per idempotency key. The sample terminal
   * shows it as the appointment at once; Terminal49 shows it when the terminal confirms it.
   */
  recordPickupRequest(request: { idempotencyKey: string; container: string; appointmentAt: string; trucker: string }): Promise<{ recorded: boolean }>;
}
