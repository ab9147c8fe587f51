/** One SKU's stock in Amazon's fulfilment network (FBA Inventory v1 getInventorySummaries, details). */
export interface FbaInventorySummary {
  sku: string;
  asin: string;
  fnsku: string;
  fulfillable: number;
  inboundWorking: number;
  inboundShipped: number;
  inboundReceiving: number;
  reserved: number;
  unfulfillable: number;
}

/** A row of GET_FBA_INVENTORY_PLANNING_DATA (the weekly-refreshed planning report), the columns the jobs read. */
export interface FbaPlanningRow {
  sku: string;
  asin: string;
  productName: string;
  available: number;
  unitsShippedT30: number;
  unitsShippedT90: number;
  /** Historical days of supply on the 30-day view (`short-term-historical-days-of-supply`); null when Amazon gives none. */
  shortTermDaysOfSupply: number | null;
  /** The 90-day view (`long-term-historical-days-of-supply`). */
  longTermDaysOfSupply: number | null;
  /** Units aged over 180 days (the 181–270, 271–365 and 365+ buckets). */
  agedOver180: number;
  estimatedStorageCostNextMonth: number;
  estimatedExcessQuantity: number;
  yourPrice: number | null;
}

/** A row of GET_STRANDED_INVENTORY_UI_DATA: units in FBA with no sellable offer. */
export interface FbaStrandedRow {
  sku: string;
  asin: string;
  reason: string;
  units: number;
  /** YYYY-MM-DD, when known. */
  dateStranded: string | null;
}

/** A row of GET_FBA_STORAGE_FEE_CHARGES_DATA: storage volume per ASIN and fulfilment centre. */
export interface FbaStorageRow {
  asin: string;
  fulfillmentCenter: string;
  averageQuantityOnHand: number;
  /** Cubic feet (estimated_total_item_volume). */
  volumeCubicFeet: number;
  estimatedMonthlyFee: number;
}

/** An FBA inbound shipment with what was shipped and what Amazon has received, per SKU. */
export interface FbaInboundShipment {
  shipmentId: string;
  name: string;
  inboundPlanId: string;
  /** Fulfillment Inbound status: WORKING, SHIPPED, IN_TRANSIT, DELIVERED, CHECKED_IN, RECEIVING, CLOSED, CANCELLED … */
  status: string;
  destination: string;
  /** ISO instant it left us; null while it is still being packed. */
  shippedAt: string | null;
  items: Array<{ sku: string; shipped: number; received: number }>;
}

/** The operator's weekly figures that SP-API does not expose. */
export interface FbaCapacityInputs {
  ipi: number;
  capacityLimitCubicFeet: number;
  enteredAt: string;
  enteredBy: string;
}

/** An inbound plan to create once (Fulfillment Inbound 2024-03-20 createInboundPlan). */
export interface CreateInboundPlanInput {
  name: string;
  items: Array<{ sku: string; quantity: number }>;
  /** Exactly one plan per key, however often the call is retried (derive it from the approval's key). */
  idempotencyKey: string;
}

/** Amazon's fulfilment side as shipbot sees it: FBA stock, its reports, inbound shipments, new inbound plans. */
export interface FbaConnector {
  readonly source: 'sample' | 'amazon';
  listInventorySummaries(): Promise<FbaInventorySummary[]>;
  /** The latest planning report (requested, waited for and downloaded on the live adapter). */
  getPlanningReport(): Promise<FbaPlanningRow[]>;
  getStrandedReport(): Promise<FbaStrandedRow[]>;
  getStorageFeeReport(): Promise<FbaStorageRow[]>;
  /** Shipments shipped, in transit, receiving or closed recently, with their item quantities. */
  listInboundShipments(): Promise<FbaInboundShipment[]>;
  /** Exactly once per idempotency key; `created` is false for a repeat. */
  createInboundPlan(input: CreateInboundPlanInput): Promise<{ inboundPlanId: string; created: boolean }>;
  /** The latest IPI and capacity limit the operator entered (brain table fba_capacity_inputs); null when none yet. */
  getCapacityInputs(): Promise<FbaCapacityInputs | null>;
}
