// Process entry for mktgbot: what systemd (jbot@mktgbot.service) and the local supervisor start.
import { runBotProcess } from '@jbot/core';
import { mktgbot } from './bot.js';

await runBotProcess(mktgbot);
