export { socialbot } from './bot.js';
