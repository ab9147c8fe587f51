/** One line of a shipment: a SKU and how many units. */
export interface ShipmentLine {
  sku: string;
  quantity: number;
}

/** An inbound shipment with its promised and currently expected arrival. */
export interface Shipment {
  id: string;
  supplierId: string | null;
  supplierName: string | null;
  supplierCountry: string | null;
  carrier: string | null;
  mode: string;
  origin: string;
  destination: string;
  container: string | null;
  departedAt: string | null;
  /** YYYY-MM-DD */
  promisedEta: string;
  /** YYYY-MM-DD: the carrier's current estimate (or the arrival day once arrived). */
  expectedEta: string;
  arrivedAt: string | null;
  status: string;
  statusNote: string | null;
  lines: ShipmentLine[];
  /** Expected (or actual) arrival minus promised ETA, in whole days; ≤ 0 means on time. */
  delayDays: number;
}

/** Summary of a CSV import. */
export interface ShipmentImportResult {
  inserted: number;
  updated: number;
  shipmentIds: string[];
}

/** Inbound freight: the forwarder's shipments, kept current by a CSV import (forwarders' portals export CSV). */
export interface FreightConnector {
  readonly source: 'sample';
  listShipments(): Promise<Shipment[]>;
  importCsv(csv: string): Promise<ShipmentImportResult>;
}
