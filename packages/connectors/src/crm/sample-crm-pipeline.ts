import type { Db } from '@jbot/core';
import { day, instant, numberOrNull, text } from '../sample/row-values.js';
import type { DealPropertyChange, DealStage, RevenueGoal } from './crm-pipeline.js';

/** The sample CRM's pipeline stages, revenue goals and deal property history. */
export function sampleCrmPipelineMethods(db: Db) {
  return {
    async listDealHistory(options: { since: Date }): Promise<DealPropertyChange[]> {
      const rows = await db.rpc('sample_crm_deal_history', { p_since: options.since.toISOString() });
      return rows.map((row) => ({
        dealId: String(row['deal_id']),
        property: String(row['property']) as DealPropertyChange['property'],
        value: text(row['value']),
        previous: text(row['previous_value']),
        changedAt: instant(row['changed_at']) ?? '',
      }));
    },
    async listDealStages(): Promise<DealStage[]> {
      const rows = await db.rpc('sample_crm_deal_stages');
      return rows.map((row) => ({
        id: String(row['stage_id']),
        label: String(row['label']),
        probability: numberOrNull(row['probability']) ?? 0,
        displayOrder: numberOrNull(row['display_order']) ?? 0,
      }));
    },
    async listRevenueGoals(): Promise<RevenueGoal[]> {
      const rows = await db.rpc('sample_crm_goal_targets');
      return rows.map((row) => ({
        id: String(row['goal_id']),
        name: String(row['name']),
        target: numberOrNull(row['target']) ?? 0,
        startsOn: day(row['starts_on']),
        endsOn: day(row['ends_on']),
      }));
    },
  };
}
