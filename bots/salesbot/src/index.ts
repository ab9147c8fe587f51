export { salesbot } from './bot.js';
export { hubspotSync, findDealChanges, runHubSpotSync, isoWeek, previousSync, type DealChanges, type DealSummary, type HubSpotSyncResult } from './jobs/hubspot-sync.js';
export * from './followups/index.js';
export * from './freight/index.js';
