// Process entry for contentbot: what systemd (jbot@contentbot.service) and the local supervisor start.
import { createChannel } from '@jbot/channels';
import { runBotProcess } from '@jbot/core';
import { contentbot } from './bot.js';

await runBotProcess(contentbot, { channel: createChannel });
