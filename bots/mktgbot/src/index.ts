export { mktgbot } from './bot.js';
export { findCampaignsPromotingStockouts, type PauseProposal, type DelayedStock } from './campaigns-promoting-stockouts.js';
export { proposePauses, pauseCampaigns } from './propose-pauses.js';
