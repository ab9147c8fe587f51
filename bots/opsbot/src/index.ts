export { opsbot } from './bot.js';
export { freightWatch, freightWatchSettings, findLateShipments, freightDelayPayload, runFreightWatch, type FreightDelayPayload } from './jobs/freight-watch.js';
export { freightDelay, demurrageRisk, poSlip, vendorRisk, receivingDiscrepancy, signalTypes } from './signals.js';
export { demurrageWatch, demurrageWatchSettings, findDemurrageCases, runDemurrageWatch, demurrageCost, type DemurrageCase } from './jobs/demurrage-watch.js';
export { poConfirmations, poConfirmationsSettings, findPoFindings, runPoConfirmations, type PoFinding } from './jobs/po-confirmations.js';
export {
  receivingReconcile,
  receivingReconcileSettings,
  findReceivingFindings,
  runReceivingReconcile,
  claimValue,
  type ReceivingFinding,
} from './jobs/receiving-reconcile.js';
export { vendorIntel, vendorIntelSettings, runVendorIntel, newsRisks, fxRisks, holidayRisks, rateRisks, type VendorRiskFinding } from './jobs/vendor-intel.js';
export { vendorScorecard, vendorScorecardSettings, runVendorScorecard, scoreSuppliers, leadTimeStats, type Scorecard } from './jobs/vendor-scorecard.js';
export { bookDrayage } from './actions/book-drayage.js';
export { sendSupplierChasers } from './actions/send-supplier-chasers.js';
export { sendVendorClaim } from './actions/send-vendor-claim.js';
export { sendScorecards } from './actions/send-scorecards.js';
export { sendPurchaseOrder } from './actions/send-purchase-order.js';
export { requestExpedite } from './actions/request-expedite.js';
export { draftPurchaseOrder } from './handlers/draft-purchase-order.js';
export { expediteOnStockout } from './handlers/request-expedite-on-stockout.js';
export { claimOnReturnSpike, claimOnReviewTopic } from './handlers/quality-handlers.js';
export { isSupplierFault } from './handlers/quality-claim.js';
export { bumpDemandOnWin } from './handlers/demand-bump.js';
export { answerOperator } from './answer-operator.js';
export { opsbotSettings, type OpsbotConfig } from './opsbot-settings.js';
