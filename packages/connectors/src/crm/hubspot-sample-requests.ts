import type { SampleCompanyData } from '../sample/sample-company-data.js';
import { weekdayBefore } from './hubspot-activity-sample-objects.js';

interface SamplesData {
  requests: Array<{ deal_id: string; status: string; requested_weekdays_ago: number; delivered_days_ago?: number }>;
}

/**
 * salesbot-samples.json's requests as HubSpot holds them, for a fake HubSpot: the custom deal
 * properties (sample_status, sample_requested_at, sample_delivered_at) to merge into each deal,
 * at the same instants the sample loader writes.
 */
export function hubspotSampleRequestsFromSample(data: SampleCompanyData, now: Date): Map<string, Record<string, string>> {
  const samples = data.salesbot_samples as unknown as SamplesData;
  return new Map(
    samples.requests.map((request) => [
      request.deal_id,
      {
        sample_status: request.status,
        sample_requested_at: new Date(weekdayBefore(now, request.requested_weekdays_ago).getTime() + 17 * 3_600_000).toISOString(),
        ...(request.delivered_days_ago === undefined
          ? {}
          : { sample_delivered_at: new Date(now.getTime() - request.delivered_days_ago * 86_400_000).toISOString() }),
      },
    ]),
  );
}
