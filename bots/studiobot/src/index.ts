export { studiobot } from './bot.js';
