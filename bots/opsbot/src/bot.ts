import { defineBot } from '@jbot/core';
import { bookDrayage } from './actions/book-drayage.js';
import { requestExpedite } from './actions/request-expedite.js';
import { sendPurchaseOrder } from './actions/send-purchase-order.js';
import { sendScorecards } from './actions/send-scorecards.js';
import { sendSupplierChasers } from './actions/send-supplier-chasers.js';
import { sendVendorClaim } from './actions/send-vendor-claim.js';
import { answerOperator } from './answer-operator.js';
import { bumpDemandOnWin } from './handlers/demand-bump.js';
import { draftPurchaseOrder } from './handlers/draft-purchase-order.js';
import { claimOnReturnSpike, claimOnReviewTopic } from './handlers/quality-handlers.js';
import { expediteOnStockout } from './handlers/request-expedite-on-stockout.js';
import { demurrageWatch } from './jobs/demurrage-watch.js';
import { freightWatch } from './jobs/freight-watch.js';
import { poConfirmations } from './jobs/po-confirmations.js';
import { receivingReconcile } from './jobs/receiving-reconcile.js';
import { vendorIntel } from './jobs/vendor-intel.js';
import { vendorScorecard } from './jobs/vendor-scorecard.js';
import { opsbotSettings } from './opsbot-settings.js';
import { signalTypes } from './signals.js';

/** opsbot — supply chain: inbound freight against promised ETAs, vendors, purchase orders. */
export const opsbot = defineBot({
  name: 'opsbot',
  settings: opsbotSettings,
  jobs: [freightWatch, demurrageWatch, poConfirmations, vendorIntel, receivingReconcile, vendorScorecard],
  signalTypes,
  on: {
    // Replenishment: shipbot's reorder trigger → the PO drafted for approval.
    reorder_needed: draftPurchaseOrder,
    // A stockout nothing lands in time for → an expedite request for approval.
    stockout_risk: expediteOnStockout,
    // Quality: defect or damage in returns or reviews → a claim letter to the supplier.
    return_rate_spike: claimOnReturnSpike,
    review_topic_alert: claimOnReviewTopic,
    // A won wholesale deal's opening order → PO planning.
    deal_closed_won: bumpDemandOnWin,
  },
  // The operator's reply to an opsbot alert: where it stands now, or the drafted action.
  onInstruction: answerOperator,
  actions: [bookDrayage, sendSupplierChasers, sendVendorClaim, sendScorecards, sendPurchaseOrder, requestExpedite],
});
