export { jbot } from './bot.js';
