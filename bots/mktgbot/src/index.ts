export { mktgbot } from './bot.js';
