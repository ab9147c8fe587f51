import { defineCommand } from '../command.js';
import { formatTable, formatTime } from '../format-table.js';
import { choiceOption, sinceOption } from '../option-values.js';
import { openBrain } from '../open-brain.js';

interface CostRow {
  [column: string]: unknown;
  grp: string;
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cache_write_tokens: number;
  cache_read_tokens: number;
  cost_usd: number;
}

/** `fleet costs`: LLM spend from the llm_usage ledger, grouped by bot, job or model. */
export const costsCommand = defineCommand({
  name: 'costs',
  summary: 'LLM spend from the ledger: calls, tokens (cached and not) and dollars',
  options: {
    since: { type: 'string', value: '24h|7d|ISO', description: 'from this long ago or this date (default 24h)' },
    by: { type: 'string', value: 'bot|job|model', description: 'group rows by (default bot)' },
    wide: { type: 'boolean', description: 'do not cut long cells to fit the terminal' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  async run({ values }, io) {
    const since = sinceOption(values.since ?? '24h') ?? new Date();
    const by = choiceOption('by', values.by, ['bot', 'job', 'model'] as const) ?? 'bot';
    const session = await openBrain(io.env);
    try {
      const rows = await session.db.rpc<CostRow>('list_llm_costs', { p_since: since.toISOString(), p_by: by });
      if (values.json === true) {
        io.out(JSON.stringify(rows, null, 2));
        return 0;
      }
      const total = rows.reduce((sum, row) => sum + row.cost_usd, 0);
      const calls = rows.reduce((sum, row) => sum + row.calls, 0);
      io.out(`LLM spend since ${formatTime(since.toISOString())} by ${by}:`);
      io.out(
        formatTable(
          [by, 'calls', 'input', 'output', 'cache write', 'cache read', 'cost'],
          rows.map((row) => [
            row.grp,
            row.calls,
            row.input_tokens,
            row.output_tokens,
            row.cache_write_tokens,
            row.cache_read_tokens,
            `$${row.cost_usd.toFixed(4)}`,
          ]),
          { columns: io.columns, wide: values.wide, empty: 'No model calls in this period.' },
        ),
      );
      io.out(`total: ${calls} calls, $${total.toFixed(4)}${rows.length === 0 ? ' (no model calls: the offline drafter is free)' : ''}`);
      return 0;
    } finally {
      await session.close();
    }
  },
});
