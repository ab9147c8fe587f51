import { defineBot } from '@jbot/core';
import { backorderUpdates } from './jobs/backorder-updates.js';
import { carrierExceptions } from './jobs/carrier-exceptions.js';
import { fulfillmentSla } from './jobs/fulfillment-sla.js';
import { inventoryCover } from './jobs/inventory-cover.js';
import { inventorySyncDrift } from './jobs/inventory-sync-drift.js';
import { lotExpiryWatch } from './jobs/lot-expiry-watch.js';
import { lateOrdersJob } from './jobs/late-orders.js';
import { orderHolds } from './jobs/order-holds.js';
import { holdOrCancelOrder } from './holds/hold-or-cancel-order.js';
import { sendBackorderUpdates } from './notices/send-backorder-updates.js';
import { sendCarrierExceptionNotices } from './notices/send-carrier-exception-notices.js';
import { scheduleDonation } from './stock/schedule-donation.js';
import { setInventoryQuantities } from './stock/set-inventory-quantities.js';
import { reorderPoints } from './jobs/reorder-points.js';
import { returnsWatch } from './jobs/returns-watch.js';
import { shippingCostWatch } from './jobs/shipping-cost-watch.js';
import { fbaInventoryHealth } from './jobs/fba-inventory-health.js';
import { fbaInboundWatch } from './jobs/fba-inbound-watch.js';
import { fbaCapacityReview } from './jobs/fba-capacity-review.js';
import { wholesaleAllocation } from './jobs/wholesale-allocation.js';
import { createFbaInboundPlan } from './fba/create-fba-inbound-plan.js';
import { applyAllocation } from './allocation/apply-allocation.js';
import { linkStrandedUnits } from './fba/link-stranded-units.js';
import { answerOperator } from './answer-operator.js';
import { postFulfilmentForecast } from './post-forecast.js';
import { shipbotSettings } from './shipbot-settings.js';
import { signalTypes } from './signals.js';

/** shipbot — fulfilment: inventory, late orders and the fulfilment forecast. */
export const shipbot = defineBot({
  name: 'shipbot',
  settings: shipbotSettings,
  jobs: [
    inventoryCover,
    reorderPoints,
    lateOrdersJob,
    fulfillmentSla,
    orderHolds,
    carrierExceptions,
    lotExpiryWatch,
    inventorySyncDrift,
    returnsWatch,
    shippingCostWatch,
    backorderUpdates,
    fbaInventoryHealth,
    fbaInboundWatch,
    wholesaleAllocation,
    fbaCapacityReview,
  ],
  signalTypes,
  // The freight cascade: a late shipment → the updated fulfilment forecast on #ship-bot;
  // contentbot's suppressed listing → the FBA units it strands.
  on: { freight_delay: postFulfilmentForecast, amazon_listing_suppressed: linkStrandedUnits },
  // The operator's reply to a finding: where it stands now, or a drafted cancellation.
  onInstruction: answerOperator,
  actions: [
    holdOrCancelOrder,
    sendCarrierExceptionNotices,
    scheduleDonation,
    setInventoryQuantities,
    sendBackorderUpdates,
    createFbaInboundPlan,
    applyAllocation,
  ],
});
