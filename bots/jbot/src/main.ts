// Process entry for jbot: what systemd (jbot@jbot.service) and the local supervisor start.
import { createChannel } from '@jbot/channels';
import { runBotProcess } from '@jbot/core';
import { jbot } from './bot.js';

await runBotProcess(jbot, { channel: createChannel });
