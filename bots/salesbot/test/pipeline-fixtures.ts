import pino from 'pino';
import { buildBotServices, type Db } from '@jbot/core';
import { createConnectors, hubspotCompaniesFromSample, hubspotObjectsFromSample, hubspotPipelineFromSample, readSampleCompanyData } from '@jbot/connectors';
import { startFakeHubSpot, type FakeHubSpot } from '@jbot/testkit';
import { salesbot } from '../src/bot.js';

/** A silent logger for the salesbot tests. */
export const silent = pino({ level: 'silent' });

/** Mid-quarter of the current quarter at 18:00 UTC: the sample's quarter-relative cases hold on any test day. */
export function midQuarter(): Date {
  const today = new Date();
  return new Date(Date.UTC(today.getUTCFullYear(), Math.floor(today.getUTCMonth() / 3) * 3 + 1, 15, 18, 0));
}

/** A fake HubSpot holding the sample company's deals, companies and pipeline history as of `now`. */
export async function sampleHubSpot(now: Date): Promise<FakeHubSpot> {
  const data = readSampleCompanyData();
  const objects = hubspotObjectsFromSample(data, now);
  const pipeline = hubspotPipelineFromSample(data, now);
  const deals = objects.deals.map((deal) => ({ ...deal, properties: { ...deal.properties, ...pipeline.dealOverrides[deal.id] } }));
  return startFakeHubSpot({
    seed: {
      owners: objects.owners,
      objects: { deals, contacts: objects.contacts, companies: hubspotCompaniesFromSample(data), goal_targets: pipeline.goalTargets },
    },
    pipeline: { dealStages: pipeline.dealStages, dealHistory: pipeline.dealHistory },
  });
}

/** The job-run context a test calls a job's run with. */
export function jobContext(db: Db, job: string, runId: string, config: Record<string, unknown>, now: Date, lastFingerprint: string | null, manual = false) {
  const context = buildBotServices(salesbot, { db, log: silent, host: 'test-host' }).context(new AbortController().signal, silent, { job, runId });
  return {
    ...context,
    connectors: createConnectors({ db, env: {} }),
    config,
    job,
    runId,
    scheduledFor: now,
    attempt: 1,
    manual,
    idempotencyKey: runId,
    lastRun: async () => (lastFingerprint === null ? null : ({ fingerprint: lastFingerprint } as never)),
  };
}
