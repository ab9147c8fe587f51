import { loadSampleCompany } from '@jbot/connectors';
import { defineCommand } from '../command.js';
import { formatTime } from '../format-table.js';
import { openBrain } from '../open-brain.js';

/** `fleet seed`: load the sample company (Harbor & Pine Goods Co.) into the brain, once. */
export const seedCommand = defineCommand({
  name: 'seed',
  summary: 'load the sample company the sample connectors run on (idempotent; --reset reloads it)',
  options: {
    reset: { type: 'boolean', description: 'reload it from scratch and forget what the fleet did with it, so the demos run like the first time' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run({ values }, io) {
    const session = await openBrain(io.env);
    try {
      // Forgetting the fleet's work is for a local or demo brain only, never a production one.
      const demoBrain = session.config.brain.kind === 'embedded' || io.env['FLEET_SAMPLE_DATA'] === 'true';
      const forgotten =
        values.reset === true && demoBrain
          ? (await session.db.rpc<{ signals: number; approvals: number; channel_messages: number; operator_messages: number }>('reset_fleet_activity'))[0]
          : undefined;
      const result = await loadSampleCompany(session.db, { reset: values.reset === true });
      const loadedAt = formatTime(result.loadedAt);
      if (values.json === true) io.out(JSON.stringify({ ...result, ...(forgotten === undefined ? {} : { forgotten }) }));
      else if (result.loaded)
        io.out(
          `sample company loaded: ${result.deals} deals, ${result.orders} orders, ${result.shipments} inbound shipments, ${result.campaigns} ad campaigns (dates relative to ${loadedAt})`,
        );
      else io.out(`sample company already loaded at ${loadedAt} (kept, with any approved changes); \`fleet seed --reset\` reloads it`);
      if (values.json !== true && forgotten !== undefined)
        io.out(
          `forgot the fleet's work on the old copy: ${count(forgotten.signals, 'signal')}, ${count(forgotten.approvals, 'approval')}, ${count(forgotten.channel_messages + forgotten.operator_messages, 'message')} — the demos run like the first time`,
        );
      if (values.json !== true && values.reset === true && !demoBrain)
        io.out("kept the fleet's signals, approvals and messages: this is not the local brain (set FLEET_SAMPLE_DATA=true if it is a demo database)");
      return 0;
    } finally {
      await session.close();
    }
  },
});

function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}
