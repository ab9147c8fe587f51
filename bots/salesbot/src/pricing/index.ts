export * from './price-floor.js';
export * from './approve-deal-pricing.js';
