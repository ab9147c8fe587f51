import type { JobDefinition } from '@jbot/core';
import { discountCodeLeak } from './jobs/discount-code-leak.js';
import { klaviyoCampaignDrafts } from './jobs/klaviyo-campaign-drafts.js';
import { klaviyoListGrowth } from './jobs/klaviyo-list-growth.js';
import { launchReadiness } from './jobs/launch-readiness.js';
import { klaviyoListHygiene } from './jobs/klaviyo-list-hygiene.js';
import { suppressUnengagedProfiles } from './klaviyo/suppress-unengaged-profiles.js';
import { promoGuard } from './jobs/promo-guard.js';
import { createKlaviyoDraft } from './klaviyo/create-klaviyo-draft.js';
import { adjustPromotion } from './promotions/adjust-promotion.js';
import { disableDiscountCode } from './promotions/disable-discount-code.js';
import { createClearancePromo, proposeClearance } from './propose-clearance.js';
import { proposeResumes, resumeCampaigns } from './propose-resumes.js';

/** mktgbot's lifecycle-email and promotion jobs (Klaviyo list growth and drafts, Shopify promotions and codes). */
export const emailJobs: JobDefinition[] = [klaviyoListGrowth, klaviyoCampaignDrafts, promoGuard, discountCodeLeak, launchReadiness, klaviyoListHygiene];

/** The approvals those jobs and the stock handlers ask for. */
export const emailActions = [createKlaviyoDraft, adjustPromotion, disableDiscountCode, createClearancePromo, resumeCampaigns, suppressUnengagedProfiles];

/** shipbot's stock signals mktgbot answers: a clearance for an expiring lot, resuming what it paused once stock is back. */
export const stockHandlers = { expiring_inventory: proposeClearance, back_in_stock: proposeResumes };
