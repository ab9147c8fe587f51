import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { formatTable } from '../format-table.js';
import { openBrain } from '../open-brain.js';

/** `fleet signals`: recent signals and their delivery per consumer. */
export const signalsCommand: Command = {
  name: 'signals',
  summary: 'recent signals with their delivery status per consumer',
  usage: 'fleet signals [--type T] [--bot B] [--since ISO] [--limit N] [--json]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { type: { type: 'string' }, bot: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } } });
    const session = await openBrain(io.env);
    try {
      const rows = await session.db.rpc<{ signal_id: string; source_bot: string; signal_type: string; severity: string; repeat_count: number; created_at: string; receipts: Array<{ consumer: string; status: string; attempts: number }>; payload: unknown }>('list_signals', {
        p_limit: Number(values.limit ?? 30),
        p_signal_type: values.type,
        p_source_bot: values.bot,
        p_since: values.since,
      });
      if (values.json === true) {
        io.out(JSON.stringify(rows, null, 2));
        return 0;
      }
      io.out(
        formatTable(
          ['created', 'id', 'from', 'type', 'severity', 'x', 'delivery'],
          rows.map((row) => [
            row.created_at.slice(0, 19).replace('T', ' '),
            row.signal_id.slice(0, 8),
            row.source_bot,
            row.signal_type,
            row.severity,
            row.repeat_count > 1 ? row.repeat_count : '',
            row.receipts.map((receipt) => `${receipt.consumer}:${receipt.status}`).join(' '),
          ]),
        ),
      );
      return 0;
    } finally {
      await session.close();
    }
  },
};
