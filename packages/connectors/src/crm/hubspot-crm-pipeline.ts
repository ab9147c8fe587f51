import type { HubSpotCall } from './hubspot-crm-companies.js';
import { TRACKED_DEAL_PROPERTIES, type DealPropertyChange, type DealStage, type RevenueGoal } from './crm-pipeline.js';

// HubSpot's batch read takes up to 100 ids.
const BATCH = 100;

// A close date comes back as a midnight-UTC instant or epoch ms; the fleet keeps the day.
function normalise(property: string, value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (property !== 'closedate') return value;
  return /^\d+$/.test(value) ? new Date(Number(value)).toISOString().slice(0, 10) : value.slice(0, 10);
}

const stamp = (value: unknown) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString());

/**
 * The pipeline side of HubSpot: deals modified since an instant (CRM search on
 * hs_lastmodifieddate) read back in batches with propertiesWithHistory, the deal pipeline's
 * stage probabilities (pipelines API) and the goal_targets objects.
 */
export function hubspotPipelineMethods(call: HubSpotCall) {
  return {
    async listDealHistory(options: { since: Date }): Promise<DealPropertyChange[]> {
      const ids: string[] = [];
      let after: string | undefined;
      do {
        const page = await call('deals modified search', {}, (hubspot, sdk) =>
          hubspot.crm.deals.searchApi.doSearch(
            {
              filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE' as never, value: String(options.since.getTime()) }] }],
              properties: ['dealname'],
              limit: 100,
              ...(after === undefined ? {} : { after }),
            },
            sdk,
          ),
        );
        ids.push(...page.results.map((deal) => deal.id));
        after = page.paging?.next?.after;
      } while (after !== undefined);
      const changes: DealPropertyChange[] = [];
      for (let start = 0; start < ids.length; start += BATCH) {
        const batch = await call('deals history read', { deals: Math.min(BATCH, ids.length - start) }, (hubspot, sdk) =>
          hubspot.crm.deals.batchApi.read(
            { inputs: ids.slice(start, start + BATCH).map((id) => ({ id })), properties: ['dealname'], propertiesWithHistory: [...TRACKED_DEAL_PROPERTIES] },
            false,
            sdk,
          ),
        );
        for (const deal of batch.results) {
          for (const property of TRACKED_DEAL_PROPERTIES) {
            // HubSpot lists a property's values newest first.
            const values = [...(deal.propertiesWithHistory?.[property] ?? [])].sort(
              (left, right) => Date.parse(stamp(left.timestamp)) - Date.parse(stamp(right.timestamp)),
            );
            values.forEach((entry, index) => {
              const changedAt = stamp(entry.timestamp);
              if (Date.parse(changedAt) < options.since.getTime()) return;
              changes.push({
                dealId: deal.id,
                property,
                value: normalise(property, entry.value),
                previous: index === 0 ? null : normalise(property, values[index - 1]?.value),
                changedAt,
              });
            });
          }
        }
      }
      return changes.sort((left, right) => Date.parse(left.changedAt) - Date.parse(right.changedAt));
    },
    async listDealStages(): Promise<DealStage[]> {
      const pipelines = await call('deal pipelines', {}, (hubspot, sdk) => hubspot.crm.pipelines.pipelinesApi.getAll('deals', sdk));
      const pipeline = pipelines.results.find((candidate) => candidate.id === 'default') ?? pipelines.results[0];
      return (pipeline?.stages ?? []).map((stage) => ({
        id: stage.id,
        label: stage.label,
        probability: Number((stage.metadata as Record<string, string> | undefined)?.['probability'] ?? 0),
        displayOrder: stage.displayOrder,
      }));
    },
    async listRevenueGoals(): Promise<RevenueGoal[]> {
      const goals: RevenueGoal[] = [];
      let after: string | undefined;
      do {
        const page = await call('goal targets list', {}, (hubspot, sdk) =>
          hubspot.crm.objects.basicApi.getPage(
            'goal_targets',
            100,
            after,
            ['hs_goal_name', 'hs_target_amount', 'hs_start_datetime', 'hs_end_datetime'],
            undefined,
            undefined,
            false,
            sdk,
          ),
        );
        for (const goal of page.results)
          goals.push({
            id: goal.id,
            name: goal.properties['hs_goal_name'] ?? '',
            target: Number(goal.properties['hs_target_amount'] ?? 0),
            startsOn: (goal.properties['hs_start_datetime'] ?? '').slice(0, 10),
            endsOn: (goal.properties['hs_end_datetime'] ?? '').slice(0, 10),
          });
        after = page.paging?.next?.after;
      } while (after !== undefined);
      return goals;
    },
  };
}
