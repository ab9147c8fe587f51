export { shipbot } from './bot.js';
export { postFulfilmentForecast, forecastMessage } from './post-forecast.js';
export { stockoutRisk, backInStock, reorderNeeded, fulfilmentSlaMiss, lateOrders, signalTypes } from './signals.js';
export {
  inventoryCover,
  inventoryCoverSettings,
  projectInventoryCover,
  runInventoryCover,
  type InventoryCoverConfig,
  type CoverReport,
} from './jobs/inventory-cover.js';
export { localDay, addDays, businessHoursBetween, zonedInstant } from './company-day.js';
