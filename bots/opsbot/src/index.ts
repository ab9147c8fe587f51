export { opsbot } from './bot.js';
