import { defineCommand } from '../command.js';
import { formatTable, formatTime, shortId } from '../format-table.js';
import { botOption, knownSignalTypes, limitOption, signalTypeOption, sinceOption } from '../option-values.js';
import { openBrain } from '../open-brain.js';

/** `fleet signals`: recent signals and their delivery per consumer. */
export const signalsCommand = defineCommand({
  name: 'signals',
  summary: 'recent signals with their delivery status per consumer',
  options: {
    type: { type: 'string', value: 'T', description: 'only this signal type (e.g. stale_deals, freight_delay)' },
    bot: { type: 'string', value: 'B', description: 'only signals this bot raised' },
    since: { type: 'string', value: '24h|7d|ISO', description: 'raised from this long ago or this date' },
    limit: { type: 'string', value: 'N', description: 'at most N rows (default 30)' },
    wide: { type: 'boolean', description: 'do not cut long cells to fit the terminal' },
    json: { type: 'boolean', description: 'print JSON (full ids and payloads)' },
  },
  async run({ values }, io) {
    const type = signalTypeOption(values.type, knownSignalTypes());
    const bot = botOption(values.bot);
    const since = sinceOption(values.since);
    const limit = limitOption(values.limit, 30);
    const session = await openBrain(io.env);
    try {
      const rows = await session.db.rpc<{
        signal_id: string;
        source_bot: string;
        signal_type: string;
        severity: string;
        repeat_count: number;
        created_at: string;
        receipts: Array<{ consumer: string; status: string; attempts: number }>;
        payload: unknown;
      }>('list_signals', {
        p_limit: limit,
        p_signal_type: type,
        p_source_bot: bot,
        p_since: since?.toISOString(),
      });
      if (values.json === true) {
        io.out(JSON.stringify(rows, null, 2));
        return 0;
      }
      const filtered = [type, bot, since].some((filter) => filter !== undefined);
      io.out(
        formatTable(
          ['created', 'id', 'from', 'type', 'severity', 'seen', 'delivery'],
          rows.map((row) => [
            formatTime(row.created_at),
            shortId(row.signal_id),
            row.source_bot,
            row.signal_type,
            row.severity,
            row.repeat_count > 1 ? `${row.repeat_count}×` : '',
            row.receipts.map((receipt) => `${receipt.consumer}:${receipt.status}`).join(' '),
          ]),
          {
            columns: io.columns,
            wide: values.wide,
            empty: filtered ? 'No signals match.' : 'No signals yet: the bots raise them as they find things (try `fleet demo freight` on the running fleet).',
          },
        ),
      );
      return 0;
    } finally {
      await session.close();
    }
  },
});
