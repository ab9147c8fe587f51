// The process entry of every bot: `node main <bot>` (systemd's jbot@<bot>.service and the local
// supervisor start it). One entry for all bots keeps bot packages free of process code.
import { runFleetBot, UnknownBotError } from './index.js';

const name = process.argv[2];
if (name === undefined || name === '') {
  process.stderr.write('usage: main <bot> (a bot of the fleet roster)\n');
  process.exit(64);
}
try {
  await runFleetBot(name);
} catch (error) {
  if (!(error instanceof UnknownBotError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(64);
}
