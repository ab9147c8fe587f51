// Process entry for socialbot: what systemd (jbot@socialbot.service) and the local supervisor start.
import { runBotProcess } from '@jbot/core';
import { socialbot } from './bot.js';

await runBotProcess(socialbot);
