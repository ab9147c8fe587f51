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
export {
  dealHygiene,
  dealHygieneSettings,
  findDealDefects,
  hygieneMessage,
  localDay,
  runDealHygiene,
  type DealDefect,
  type DealDefectKind,
  type DealHygieneResult,
} from './jobs/deal-hygiene.js';
export * from './hygiene/index.js';
export * from './followups/index.js';
export * from './freight/index.js';
export { staleDeals, signalTypes } from './signals.js';
export * from './activity-exports.js';
