import type { ContextWith } from '@jbot/core';
import { allocateWholesale } from './jobs/wholesale-allocation.js';
import { checkFbaInventory } from './jobs/fba-inventory-health.js';
import { reviewFbaCapacity } from './jobs/fba-capacity-review.js';
import type { ShipbotConfig } from './shipbot-settings.js';
import { allocationShortfall, fbaCapacityRisk, fbaStranded } from './signals.js';

// "IPI 455 capacity 1300", "ipi: 470, limit 1250 ft3": this week's figures from Seller Central.
const CAPACITY_ENTRY = /\bipi\D{0,3}(\d{2,4})\b(?:.*?\b(?:capacity|limit)\D{0,3}(\d+(?:\.\d+)?))?/i;

/**
 * The operator's reply to one of the FBA or allocation findings: "IPI <score> capacity <ft³>"
 * records this week's figures and re-runs the review; otherwise where the finding stands now.
 * Null when the signal is not one of these.
 */
// `now` is the world's clock (tests pass a fixed instant).
export async function answerFbaFinding(
  type: string,
  payload: unknown,
  text: string,
  context: ContextWith<ShipbotConfig>,
  now = new Date(),
): Promise<string | null> {
  if (type === fbaCapacityRisk.type) {
    const entry = CAPACITY_ENTRY.exec(text);
    if (entry !== null) {
      const ipi = Number(entry[1]);
      if (ipi > 1000) return `IPI ${ipi} is not a score Amazon gives (0–1000): reply "IPI <score> capacity <ft³>" with this week's figures`;
      const previous = await context.connectors.fba.getCapacityInputs();
      const limit = entry[2] === undefined ? previous?.capacityLimitCubicFeet : Number(entry[2]);
      if (limit === undefined) return 'give the capacity limit too: "IPI <score> capacity <ft³>"';
      await context.db.rpc('fba_capacity_input_record', { p_ipi: Number(entry[1]), p_capacity_limit_cuft: limit, p_entered_by: 'operator' });
      const review = await reviewFbaCapacity(context.connectors, context.config.fbaCapacity, now);
      return `recorded IPI ${entry[1]}, capacity ${limit} ft³. ${review.breaches.length === 0 ? 'Within limits now' : `Still: ${review.breaches.join('; ')}`}`;
    }
    const review = await reviewFbaCapacity(context.connectors, context.config.fbaCapacity, now);
    const was = fbaCapacityRisk.schema.parse(payload);
    return `FBA capacity now: IPI ${review.ipi ?? 'not entered'} (was ${was.ipi ?? '?'}), capacity ${review.capacityUsedPct ?? '?'}%, excess ${review.excessPct}%, sell-through ${review.sellThrough}. ${review.breaches.length === 0 ? 'Within limits.' : review.breaches.join('; ')}. Reply "IPI <score> capacity <ft³>" with this week's figures`;
  }
  if (type === fbaStranded.type) {
    const was = fbaStranded.schema.parse(payload);
    const report = await checkFbaInventory(context.connectors, context.config.fbaHealth, null);
    const current = report.stranded.find((row) => row.sku === was.sku);
    return current === undefined
      ? `${was.sku} has no stranded units now (was ${was.units}): the listing sells again`
      : `${was.sku} (${was.asin}): ${current.units} units still stranded since ${current.dateStranded ?? '?'} — ${current.reason}. contentbot drafts the listing fix (patch_listing); once it is live the units sell again`;
  }
  if (type === allocationShortfall.type) {
    const was = allocationShortfall.schema.parse(payload);
    const { considered, shortfalls } = await allocateWholesale(context.connectors, context.config.allocation, now);
    const current = shortfalls.find((shortfall) => shortfall.order.orderId === was.order_id);
    if (!considered.some((order) => order.orderId === was.order_id))
      return `${was.order_id} is no longer open within the next ${context.config.allocation.SHIP_ALLOC_HORIZON_DAYS} days (shipped, cancelled or its window moved): nothing to allocate`;
    return current === undefined
      ? `${was.order_id} is covered in full now (stock arrived or the order changed)`
      : `${was.order_id} ${current.order.customerName}, window ${current.order.windowStart}…${current.order.windowEnd}: ${current.lines
          .filter((line) => line.allocatable < line.ordered)
          .map((line) => `${line.sku} ${line.allocatable}/${line.ordered} (ATP ${line.atp})`)
          .join(
            ', ',
          )}. Approve apply_allocation to ship what we have${current.backorderShipDate === null ? '' : `, the rest after ${current.backorderShipDate}`}; salesbot drafts the buyer notice`;
  }
  return null;
}
