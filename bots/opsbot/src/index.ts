export { opsbot } from './bot.js';
export { freightWatch, findLateShipments, freightDelayPayload, runFreightWatch, type FreightDelayPayload } from './jobs/freight-watch.js';
