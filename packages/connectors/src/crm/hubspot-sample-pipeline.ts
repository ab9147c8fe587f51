import type { SampleCompanyData } from '../sample/sample-company-data.js';

interface PipelineFile {
  stages: Array<{ id: string; label: string; probability: number; display_order: number }>;
  goals: Array<{ id: string; name: string; target: number; quarter_offset: number }>;
  slipped: Array<{ deal_id: string; days_after_quarter: number; days_ago: number }>;
  history: Array<{ deal_id: string; property: string; value?: string; value_rule?: string; days_ago?: number; hours_ago?: number; minutes_ago?: number }>;
}

/** The sample pipeline as HubSpot would serve it: stages, goal_targets, property history, and the slipped deals' close dates. */
export interface HubSpotSamplePipeline {
  dealStages: Array<{ id: string; label: string; displayOrder: number; probability: number; isClosed: boolean }>;
  goalTargets: Array<{ id: string; properties: Record<string, string> }>;
  /** Per deal, per property, newest first. */
  dealHistory: Record<string, Record<string, Array<{ value: string; timestamp: string }>>>;
  /** Deal properties that differ from hubspotObjectsFromSample (the slipped deals' close dates). */
  dealOverrides: Record<string, Record<string, string>>;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * salesbot-pipeline.json resolved against `now` exactly as the sample loader resolves it (UTC
 * days, the current quarter), for a fake HubSpot that serves the same pipeline history.
 */
export function hubspotPipelineFromSample(data: SampleCompanyData, now: Date): HubSpotSamplePipeline {
  const file = data.salesbot_pipeline as unknown as PipelineFile;
  const deals = (data.hubspot as { deals: Array<{ id: string; close_in_days?: number; closed_days_ago?: number; created_days_ago: number }> }).deals;
  const today = Date.parse(`${isoDay(now.getTime())}T00:00:00Z`);
  const quarterStart = Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1);
  const quarterEnd = Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3 + 3, 1) - DAY_MS;
  const dealOverrides: HubSpotSamplePipeline['dealOverrides'] = {};
  for (const slip of file.slipped) dealOverrides[slip.deal_id] = { closedate: `${isoDay(quarterEnd + slip.days_after_quarter * DAY_MS)}T00:00:00.000Z` };
  const currentClose = (dealId: string) => {
    const override = dealOverrides[dealId]?.['closedate'];
    if (override !== undefined) return override.slice(0, 10);
    const deal = deals.find((candidate) => candidate.id === dealId);
    return isoDay(now.getTime() + (deal?.close_in_days ?? 30) * DAY_MS);
  };
  const dealHistory: HubSpotSamplePipeline['dealHistory'] = {};
  const push = (dealId: string, property: string, value: string, at: number) =>
    ((dealHistory[dealId] ??= {})[property] ??= []).push({ value, timestamp: new Date(at).toISOString() });
  for (const entry of file.history) {
    const at = now.getTime() - (entry.days_ago ?? 0) * DAY_MS - (entry.hours_ago ?? 0) * 3_600_000 - (entry.minutes_ago ?? 0) * 60_000;
    const value =
      entry.value_rule === 'current'
        ? currentClose(entry.deal_id)
        : entry.value_rule?.startsWith('close_in_days:') === true
          ? isoDay(today + Number(entry.value_rule.split(':')[1]) * DAY_MS)
          : (entry.value ?? '');
    push(entry.deal_id, entry.property, value, at);
  }
  for (const slip of file.slipped) {
    const deal = deals.find((candidate) => candidate.id === slip.deal_id);
    // The sample loader stamps the first close date at the deal's creation (created_days_ago, 2 h earlier).
    push(slip.deal_id, 'closedate', isoDay(Math.max(quarterEnd - 10 * DAY_MS, today)), now.getTime() - (deal?.created_days_ago ?? 0) * DAY_MS - 2 * 3_600_000);
    push(slip.deal_id, 'closedate', currentClose(slip.deal_id), now.getTime() - slip.days_ago * DAY_MS);
  }
  for (const [dealId, properties] of Object.entries(dealHistory)) {
    for (const values of Object.values(properties)) values.sort((left, right) => Date.parse(right.timestamp) - Date.parse(left.timestamp));
    // HubSpot stamps hs_lastmodifieddate with the latest change (what the end-of-day search filters on).
    const latest = Math.max(...Object.values(properties).map((values) => Date.parse(values[0]?.timestamp ?? '') || 0));
    (dealOverrides[dealId] ??= {})['hs_lastmodifieddate'] = new Date(latest).toISOString();
  }
  return {
    dealStages: file.stages.map((stage) => ({
      id: stage.id,
      label: stage.label,
      displayOrder: stage.display_order,
      probability: stage.probability,
      isClosed: stage.id === 'closedwon' || stage.id === 'closedlost',
    })),
    goalTargets: file.goals.map((goal) => ({
      id: goal.id,
      properties: {
        hs_goal_name: goal.name,
        hs_target_amount: String(goal.target),
        hs_start_datetime: new Date(
          Date.UTC(new Date(quarterStart).getUTCFullYear(), new Date(quarterStart).getUTCMonth() + 3 * goal.quarter_offset, 1),
        ).toISOString(),
        hs_end_datetime: new Date(
          Date.UTC(new Date(quarterStart).getUTCFullYear(), new Date(quarterStart).getUTCMonth() + 3 * goal.quarter_offset + 3, 1) - DAY_MS,
        ).toISOString(),
      },
    })),
    dealHistory,
    dealOverrides,
  };
}
