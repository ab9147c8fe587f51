export { shipbot } from './bot.js';
export { postFulfilmentForecast, forecastMessage } from './post-forecast.js';
export {
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
  signalTypes,
} from './signals.js';
export {
  inventoryCover,
  inventoryCoverSettings,
  projectInventoryCover,
  runInventoryCover,
  type InventoryCoverConfig,
  type CoverReport,
} from './jobs/inventory-cover.js';
export { localDay, addDays, businessHoursBetween, zonedInstant } from './company-day.js';
export { reorderPoints, reorderPointsSettings, findReorderCases, runReorderPoints, type ReorderPointsConfig } from './jobs/reorder-points.js';
export { lateOrdersJob, lateOrdersSettings, findLateOrders, lateOrdersNow, runLateOrders, type LateOrder, type LateOrdersConfig } from './jobs/late-orders.js';
export {
  fulfillmentSla,
  fulfillmentSlaSettings,
  scoreFulfilment,
  runFulfillmentSla,
  type FulfillmentSlaConfig,
  type SlaScore,
} from './jobs/fulfillment-sla.js';
export { orderHolds, orderHoldsSettings, findHoldCases, runOrderHolds, type HoldCase, type OrderHoldsConfig } from './jobs/order-holds.js';
export { holdOrCancelOrder, type HoldOrCancelDraft, type HoldOrCancelResult } from './holds/hold-or-cancel-order.js';
export { answerOperator } from './answer-operator.js';
export { answerFbaFinding } from './answer-fba.js';
export { shipbotSettings, type ShipbotConfig } from './shipbot-settings.js';
export {
  carrierExceptions,
  carrierExceptionsSettings,
  findTroubles,
  parcelsInTrouble,
  runCarrierExceptions,
  type ParcelTrouble,
  type CarrierExceptionsConfig,
} from './jobs/carrier-exceptions.js';
export { sendCarrierExceptionNotices, type CarrierNoticesDraft, type CarrierNoticesResult } from './notices/send-carrier-exception-notices.js';
export { lotExpiryWatch, lotExpirySettings, findExpiringLots, runLotExpiryWatch, type LotAtRisk, type LotExpiryConfig } from './jobs/lot-expiry-watch.js';
export {
  inventorySyncDrift,
  inventorySyncDriftSettings,
  findDrift,
  runInventorySyncDrift,
  type Drift,
  type InventorySyncDriftConfig,
} from './jobs/inventory-sync-drift.js';
export { scheduleDonation, type DonationDraft } from './stock/schedule-donation.js';
export { setInventoryQuantities, type InventoryQuantitiesDraft } from './stock/set-inventory-quantities.js';
export { returnsWatch, returnsWatchSettings, findReturnSpikes, runReturnsWatch, type ReturnSpike, type ReturnsWatchConfig } from './jobs/returns-watch.js';
export {
  shippingCostWatch,
  shippingCostSettings,
  watchShippingCost,
  runShippingCostWatch,
  costReport,
  type ShippingCostReport,
  type ShippingCostConfig,
} from './jobs/shipping-cost-watch.js';
export {
  backorderUpdates,
  backorderUpdatesSettings,
  findBackorderUpdates,
  runBackorderUpdates,
  type BackorderUpdate,
  type BackorderUpdatesConfig,
} from './jobs/backorder-updates.js';
export { sendBackorderUpdates, type BackorderUpdatesDraft } from './notices/send-backorder-updates.js';
export {
  fbaInventoryHealth,
  fbaInventoryHealthSettings,
  checkFbaInventory,
  runFbaInventoryHealth,
  type FbaHealthReport,
  type FbaInventoryHealthConfig,
} from './jobs/fba-inventory-health.js';
export { createFbaInboundPlan, type InboundPlanDraft } from './fba/create-fba-inbound-plan.js';
export {
  fbaInboundWatch,
  fbaInboundWatchSettings,
  findInboundDiscrepancies,
  runFbaInboundWatch,
  type InboundDiscrepancy,
  type FbaInboundWatchConfig,
} from './jobs/fba-inbound-watch.js';
export {
  fbaCapacityReview,
  fbaCapacityReviewSettings,
  reviewFbaCapacity,
  runFbaCapacityReview,
  type CapacityReview,
  type FbaCapacityReviewConfig,
} from './jobs/fba-capacity-review.js';
export {
  wholesaleAllocation,
  wholesaleAllocationSettings,
  allocateWholesale,
  runWholesaleAllocation,
  type AllocationShortfall,
  type WholesaleAllocationConfig,
} from './jobs/wholesale-allocation.js';
export { applyAllocation, type AllocationDraft } from './allocation/apply-allocation.js';
export { linkStrandedUnits, suppressedStockMessage, type SuppressedStock } from './fba/link-stranded-units.js';
