export { sysbot } from './bot.js';
