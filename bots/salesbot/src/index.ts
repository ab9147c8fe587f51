export { salesbot } from './bot.js';
