export { salesbot } from './bot.js';
export {
  hubspotSync,
  hubspotSyncSettings,
  findDealChanges,
  runHubSpotSync,
  isoWeek,
  previousSync,
  type DealChanges,
  type DealSummary,
  type HubSpotSyncResult,
} from './jobs/hubspot-sync.js';
export * from './followups/index.js';
export * from './freight/index.js';
export { staleDeals, signalTypes } from './signals.js';
