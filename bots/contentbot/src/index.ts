export { contentbot } from './bot.js';
