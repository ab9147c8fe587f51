import { parseArgs } from 'node:util';
import { loadSampleCompany } from '@jbot/connectors';
import type { Command } from '../command.js';
import { openBrain } from '../open-brain.js';

/** `fleet seed`: load the sample company (Harbor & Pine Goods Co.) into the brain, once. */
export const seedCommand: Command = {
  name: 'seed',
  summary: 'load the sample company the sample connectors run on (idempotent; --reset reloads it)',
  usage: 'fleet seed [--reset] [--json]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { reset: { type: 'boolean' }, json: { type: 'boolean' } } });
    const session = await openBrain(io.env);
    try {
      const result = await loadSampleCompany(session.db, { reset: values.reset === true });
      if (values.json === true) io.out(JSON.stringify(result));
      else if (result.loaded) io.out(`sample company loaded: ${result.deals} deals, ${result.orders} orders, ${result.shipments} inbound shipments, ${result.campaigns} ad campaigns (dates relative to ${result.loadedAt})`);
      else io.out(`sample company already loaded at ${result.loadedAt} (kept, with any approved changes); \`fleet seed --reset\` reloads it`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
