// Process entry for sysbot: what systemd (jbot@sysbot.service) and the local supervisor start.
import { createChannel } from '@jbot/channels';
import { runBotProcess } from '@jbot/core';
import { sysbot } from './bot.js';

await runBotProcess(sysbot, { channel: createChannel });
