// Process entry for shipbot: what systemd (jbot@shipbot.service) and the local supervisor start.
import { createChannel } from '@jbot/channels';
import { runBotProcess } from '@jbot/core';
import { shipbot } from './bot.js';

await runBotProcess(shipbot, { channel: createChannel });
