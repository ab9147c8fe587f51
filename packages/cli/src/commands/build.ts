import { loadCoreConfig } from '@jbot/core';
import { defineCommand } from '../command.js';
import { botsOption } from '../option-values.js';
import { bundleBots, bundleDirectoryIn } from '../supervisor/bundle-bots.js';
import { DASHBOARD_PROCESS } from '../supervisor/supervisor.js';

/** `fleet build`: bundle every bot, and the dashboard, to <FLEET_DATA_DIR>/build/<name>.mjs (what systemd units and `fleet start` run). */
export const buildCommand = defineCommand({
  name: 'build',
  summary: 'bundle the bots and the dashboard to $FLEET_DATA_DIR/build/<name>.mjs for plain `node` (systemd runs these)',
  options: { bots: { type: 'string', value: 'a,b,…', description: 'only these bots, no dashboard (default: all ten and the dashboard)' } },
  async run({ values }, io) {
    const bots = values.bots === undefined ? [...botsOption(undefined), DASHBOARD_PROCESS] : botsOption(values.bots);
    const bundles = await bundleBots(bots, bundleDirectoryIn(loadCoreConfig(io.env).dataDir));
    for (const [bot, file] of bundles) io.out(`${bot.padEnd(11)} ${file}`);
    return 0;
  },
});
