// Process entry for studiobot: what systemd (jbot@studiobot.service) and the local supervisor start.
import { runBotProcess } from '@jbot/core';
import { studiobot } from './bot.js';

await runBotProcess(studiobot);
