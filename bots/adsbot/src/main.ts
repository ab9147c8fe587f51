// Process entry for adsbot: what systemd (jbot@adsbot.service) and the local supervisor start.
import { createChannel } from '@jbot/channels';
import { runBotProcess } from '@jbot/core';
import { adsbot } from './bot.js';

await runBotProcess(adsbot, { channel: createChannel });
