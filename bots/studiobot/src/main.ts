// Process entry for studiobot: what systemd (jbot@studiobot.service) and the local supervisor start.
import { createChannel } from '@jbot/channels';
import { runBotProcess } from '@jbot/core';
import { studiobot } from './bot.js';

await runBotProcess(studiobot, { channel: createChannel });
