export { opsbot } from './bot.js';
export { freightWatch, freightWatchSettings, findLateShipments, freightDelayPayload, runFreightWatch, type FreightDelayPayload } from './jobs/freight-watch.js';
export { freightDelay, signalTypes } from './signals.js';
