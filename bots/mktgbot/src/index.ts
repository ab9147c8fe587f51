export { mktgbot } from './bot.js';
export { findCampaignsPromotingStockouts, type PauseProposal, type DelayedStock } from './campaigns-promoting-stockouts.js';
export { proposePauses, pauseCampaigns, PAUSE_CAMPAIGNS } from './propose-pauses.js';
