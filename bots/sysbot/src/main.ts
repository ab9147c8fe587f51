// Process entry for sysbot: what systemd (jbot@sysbot.service) and the local supervisor start.
import { runBotProcess } from '@jbot/core';
import { sysbot } from './bot.js';

await runBotProcess(sysbot);
