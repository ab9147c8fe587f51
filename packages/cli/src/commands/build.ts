import { parseArgs } from 'node:util';
import { parseBotList } from '@jbot/fleet';
import type { Command } from '../command.js';
import { bundleBots } from '../supervisor/bundle-bots.js';

/** `fleet build`: bundle every bot to .data/build/<bot>.mjs (what systemd units and `fleet start` run). */
export const buildCommand: Command = {
  name: 'build',
  summary: 'bundle the bots to .data/build/<bot>.mjs for plain `node` (systemd runs these)',
  usage: 'fleet build [--bots a,b,…]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { bots: { type: 'string' } } });
    const bots = parseBotList(values.bots);
    const bundles = await bundleBots(bots);
    for (const [bot, file] of bundles) io.out(`${bot.padEnd(11)} ${file}`);
    return 0;
  },
};
