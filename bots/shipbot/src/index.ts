export { shipbot } from './bot.js';
