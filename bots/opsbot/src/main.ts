// Process entry for opsbot: what systemd (jbot@opsbot.service) and the local supervisor start.
import { createChannel } from '@jbot/channels';
import { runBotProcess } from '@jbot/core';
import { opsbot } from './bot.js';

await runBotProcess(opsbot, { channel: createChannel });
