import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types shipbot introduces, in the shapes catalogue §4 names: mktgbot's ad pauses,
// salesbot's buyer notices and opsbot's expedites are built against exactly these payloads.
// Pure declarations (zod only), registered in every bot process through the fleet roster.

const day = z.iso.date();

/** A SKU at a location runs out before its next inbound lands, or has under 21 days of cover (inventory-cover). */
export const stockoutRisk = defineSignalType({
  type: 'stockout_risk',
  description: 'A SKU at a location runs out before its next inbound lands, or has less than the cover threshold',
  defaultSeverity: 'warning',
  schema: z.object({
    sku: z.string().min(1),
    location: z.string().min(1),
    available: z.number().int(),
    days_of_cover: z.number().nonnegative(),
    stockout_date: day,
    next_inbound_eta: day.nullable(),
    channels: z.array(z.string().min(1)),
  }),
});

/** A SKU that was at risk is back to at least the cover threshold (inventory-cover). */
export const backInStock = defineSignalType({
  type: 'back_in_stock',
  description: 'A SKU that was at risk of running out has enough cover again',
  defaultSeverity: 'info',
  schema: z.object({ sku: z.string().min(1), days_of_cover: z.number().nonnegative() }),
});

/** A SKU's inventory position fell below its reorder point (reorder-points). */
export const reorderNeeded = defineSignalType({
  type: 'reorder_needed',
  description: 'A SKU fell below its reorder point: order enough for the lead time plus eight weeks',
  defaultSeverity: 'info',
  schema: z.object({
    sku: z.string().min(1),
    supplier_id: z.string().min(1),
    position: z.number().int(),
    reorder_point: z.number().int().nonnegative(),
    suggested_qty: z.number().int().positive(),
    moq: z.number().int().positive(),
    need_by: day,
  }),
});

/** A warehouse missed its same-day, backlog or mis-ship target yesterday (fulfillment-sla). */
export const fulfilmentSlaMiss = defineSignalType({
  type: 'fulfilment_sla_miss',
  description: 'A warehouse shipped too few orders the same day, left a backlog, or mis-shipped',
  defaultSeverity: 'warning',
  schema: z.object({
    day,
    location: z.string().min(1),
    same_day_rate: z.number().min(0).max(1),
    backlog_orders: z.number().int().nonnegative(),
    mis_ship_rate: z.number().min(0).max(1),
  }),
});

/** Orders that should have shipped and have not (late-orders). */
export const lateOrders = defineSignalType({
  type: 'late_orders',
  description: 'Orders past their ship promise: DTC past two business days or its promised date, wholesale past its window',
  defaultSeverity: 'warning',
  schema: z.object({
    channel: z.enum(['dtc', 'wholesale', 'all']),
    count: z.number().int().positive(),
    orders: z.array(z.object({ id: z.string().min(1), age_hours: z.number().nonnegative(), promised: day.nullable() })),
    wholesale_pos: z.array(z.string().min(1)),
  }),
});

/** Parcels in trouble after they shipped: exceptions, returns to sender, no scan for days (carrier-exceptions). */
export const carrierException = defineSignalType({
  type: 'carrier_exception',
  description: 'Parcels in trouble after they shipped: carrier exceptions, returns to sender, stalled or late',
  defaultSeverity: 'info',
  schema: z.object({
    count: z.number().int().positive(),
    trackers: z.array(z.object({ id: z.string().min(1), order_id: z.string().min(1), status: z.string().min(1), detail: z.string() })),
  }),
});

/** A lot that will not sell through before its best-by (less the channel's minimum shelf life) (lot-expiry-watch). */
export const expiringInventory = defineSignalType({
  type: 'expiring_inventory',
  description: 'A lot will not sell through before its best-by date, less the minimum shelf life a channel needs',
  defaultSeverity: 'warning',
  schema: z.object({
    sku: z.string().min(1),
    lot: z.string().min(1),
    expiry: day,
    units: z.number().int().positive(),
    days_to_sell_through: z.number().nonnegative(),
  }),
});

/** The store's stock disagrees with the 3PL's on two checks, or the store sells what the 3PL does not have (inventory-sync-drift). */
export const inventoryDrift = defineSignalType({
  type: 'inventory_drift',
  description: "The store's available stock disagrees with the 3PL's on-hand count: the cause of overselling",
  defaultSeverity: 'warning',
  schema: z.object({ sku: z.string().min(1), shopify_available: z.number().int(), wms_on_hand: z.number().int(), open_orders: z.number().int().nonnegative() }),
});

/** A SKU's returns jumped, or one reason dominates them (returns-watch). */
export const returnRateSpike = defineSignalType({
  type: 'return_rate_spike',
  description: "A SKU's 30-day return rate jumped past its 90-day baseline, or one return reason dominates",
  defaultSeverity: 'warning',
  schema: z.object({
    sku: z.string().min(1),
    rate_30d: z.number().nonnegative(),
    baseline_90d: z.number().nonnegative(),
    top_reason: z.string().min(1),
    share: z.number().min(0).max(1),
  }),
});

/** Postage per order and the orders where shipping lost money (shipping-cost-watch). */
export const shippingCostVariance = defineSignalType({
  type: 'shipping_cost_variance',
  description: 'Postage per order against its baseline, and the orders whose label cost far more than the customer paid',
  defaultSeverity: 'info',
  schema: z.object({
    day,
    cost_per_order: z.number().nonnegative(),
    baseline: z.number().nonnegative(),
    leaks: z.array(z.object({ order_id: z.string().min(1), loss: z.number() })),
  }),
});

/** Units stranded in FBA: in Amazon's warehouses with no sellable offer (fba-inventory-health). */
export const fbaStranded = defineSignalType({
  type: 'fba_stranded',
  description: 'Units in Amazon FBA with no sellable offer: the listing needs fixing before they sell or incur removal',
  defaultSeverity: 'warning',
  schema: z.object({ sku: z.string().min(1), asin: z.string().min(1), units: z.number().int().positive(), reason: z.string().min(1) }),
});

/** Open wholesale POs in their ship window that stock cannot fully cover after DTC demand (wholesale-allocation). */
export const allocationShortfall = defineSignalType({
  type: 'allocation_shortfall',
  description: 'A wholesale order due to ship soon cannot be filled in full after DTC demand and safety stock',
  defaultSeverity: 'warning',
  schema: z.object({
    order_id: z.string().min(1),
    account_id: z.string().min(1).nullable(),
    lines: z.array(z.object({ sku: z.string().min(1), ordered: z.number().int().positive(), allocatable: z.number().int().nonnegative() })).min(1),
    ship_window: z.object({ start: day, end: day }),
  }),
});

/** Amazon's inventory performance inputs put the storage limit at risk (fba-capacity-review). */
export const fbaCapacityRisk = defineSignalType({
  type: 'fba_capacity_risk',
  description: "The week's IPI, excess, sell-through or capacity use puts Amazon's storage limits at risk",
  defaultSeverity: 'warning',
  schema: z.object({
    ipi: z.number().int().nullable(),
    capacity_used_pct: z.number().nonnegative().nullable(),
    excess_pct: z.number().nonnegative(),
    sell_through: z.number().nonnegative(),
  }),
});

/** Every type shipbot introduces. */
export const signalTypes = [
  stockoutRisk,
  backInStock,
  reorderNeeded,
  fulfilmentSlaMiss,
  lateOrders,
  carrierException,
  expiringInventory,
  inventoryDrift,
  returnRateSpike,
  shippingCostVariance,
  fbaStranded,
  allocationShortfall,
  fbaCapacityRisk,
];

declare module '@jbot/core' {
  interface SignalPayloads {
    stockout_risk: z.output<typeof stockoutRisk.schema>;
    back_in_stock: z.output<typeof backInStock.schema>;
    reorder_needed: z.output<typeof reorderNeeded.schema>;
    fulfilment_sla_miss: z.output<typeof fulfilmentSlaMiss.schema>;
    late_orders: z.output<typeof lateOrders.schema>;
    carrier_exception: z.output<typeof carrierException.schema>;
    expiring_inventory: z.output<typeof expiringInventory.schema>;
    inventory_drift: z.output<typeof inventoryDrift.schema>;
    return_rate_spike: z.output<typeof returnRateSpike.schema>;
    shipping_cost_variance: z.output<typeof shippingCostVariance.schema>;
    fba_stranded: z.output<typeof fbaStranded.schema>;
    allocation_shortfall: z.output<typeof allocationShortfall.schema>;
    fba_capacity_risk: z.output<typeof fbaCapacityRisk.schema>;
  }
}
