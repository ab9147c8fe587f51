// Process entry for mktgbot: what systemd (jbot@mktgbot.service) and the local supervisor start.
import { createChannel } from '@jbot/channels';
import { runBotProcess } from '@jbot/core';
import { mktgbot } from './bot.js';

await runBotProcess(mktgbot, { channel: createChannel });
