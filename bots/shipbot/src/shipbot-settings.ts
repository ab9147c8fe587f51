import { loadAllSettings, settingsFrom, type SettingsOf } from '@jbot/core';
import { fulfillmentSlaSettings } from './jobs/fulfillment-sla.js';
import { inventoryCoverSettings } from './jobs/inventory-cover.js';
import { lateOrdersSettings } from './jobs/late-orders.js';
import { orderHoldsSettings } from './jobs/order-holds.js';
import { reorderPointsSettings } from './jobs/reorder-points.js';
import { fbaInventoryHealthSettings } from './jobs/fba-inventory-health.js';
import { fbaCapacityReviewSettings } from './jobs/fba-capacity-review.js';
import { wholesaleAllocationSettings } from './jobs/wholesale-allocation.js';

/**
 * shipbot's own settings: the jobs' thresholds again, parsed once at start-up, so the answer to
 * the operator's reply on a finding applies the same rules the job did.
 */
export const shipbotSettings = settingsFrom((env) => {
  const [cover, reorder, late, sla, holds, fbaHealth, fbaCapacity, allocation] = loadAllSettings(env, [
    inventoryCoverSettings,
    reorderPointsSettings,
    lateOrdersSettings,
    fulfillmentSlaSettings,
    orderHoldsSettings,
    fbaInventoryHealthSettings,
    fbaCapacityReviewSettings,
    wholesaleAllocationSettings,
  ] as const);
  return { cover, reorder, late, sla, holds, fbaHealth, fbaCapacity, allocation };
});

/** The parsed settings (`ctx.config` in shipbot's handlers). */
export type ShipbotConfig = SettingsOf<typeof shipbotSettings>;
