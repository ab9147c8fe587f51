export { shipbot } from './bot.js';
export { forecastFulfilment, type FulfilmentForecast, type AffectedOrder, type FreightDelayInput } from './jobs/fulfilment-forecast.js';
