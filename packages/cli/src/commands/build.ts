import { loadCoreConfig } from '@jbot/core';
import { defineCommand } from '../command.js';
import { botsOption } from '../option-values.js';
import { bundleBots, bundleDirectoryIn } from '../supervisor/bundle-bots.js';

/** `fleet build`: bundle every bot to <FLEET_DATA_DIR>/build/<bot>.mjs (what systemd units and `fleet start` run). */
export const buildCommand = defineCommand({
  name: 'build',
  summary: 'bundle the bots to $FLEET_DATA_DIR/build/<bot>.mjs for plain `node` (systemd runs these)',
  options: { bots: { type: 'string', value: 'a,b,…', description: 'only these bots (default: all ten)' } },
  async run({ values }, io) {
    const bots = botsOption(values.bots);
    const bundles = await bundleBots(bots, bundleDirectoryIn(loadCoreConfig(io.env).dataDir));
    for (const [bot, file] of bundles) io.out(`${bot.padEnd(11)} ${file}`);
    return 0;
  },
});
