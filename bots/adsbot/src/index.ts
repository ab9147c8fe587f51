export { adsbot } from './bot.js';
