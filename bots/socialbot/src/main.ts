// Process entry for socialbot: what systemd (jbot@socialbot.service) and the local supervisor start.
import { createChannel } from '@jbot/channels';
import { runBotProcess } from '@jbot/core';
import { socialbot } from './bot.js';

await runBotProcess(socialbot, { channel: createChannel });
