// Process entry for salesbot: what systemd (jbot@salesbot.service) and the local supervisor start.
import { createChannel } from '@jbot/channels';
import { runBotProcess } from '@jbot/core';
import { salesbot } from './bot.js';

await runBotProcess(salesbot, { channel: createChannel });
