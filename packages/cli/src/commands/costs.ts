import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { formatTable } from '../format-table.js';
import { openBrain } from '../open-brain.js';
import { parseSince } from '../parse-since.js';

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
export const costsCommand: Command = {
  name: 'costs',
  summary: 'LLM spend from the ledger: calls, tokens (cached and not) and dollars',
  usage: 'fleet costs [--since 24h|7d|ISO] [--by bot|job|model] [--json]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { since: { type: 'string', default: '24h' }, by: { type: 'string', default: 'bot' }, json: { type: 'boolean' } } });
    const since = parseSince(values.since);
    if (since === null) {
      io.error(`--since "${values.since}" is neither a duration (30m, 24h, 7d) nor an ISO date`);
      return 64;
    }
    if (!['bot', 'job', 'model'].includes(values.by)) {
      io.error(`--by must be bot, job or model (got "${values.by}")`);
      return 64;
    }
    const session = await openBrain(io.env);
    try {
      const rows = await session.db.rpc<CostRow>('list_llm_costs', { p_since: since.toISOString(), p_by: values.by });
      if (values.json === true) {
        io.out(JSON.stringify(rows, null, 2));
        return 0;
      }
      const total = rows.reduce((sum, row) => sum + row.cost_usd, 0);
      const calls = rows.reduce((sum, row) => sum + row.calls, 0);
      io.out(`LLM spend since ${since.toISOString()} by ${values.by}:`);
      io.out(
        formatTable(
          [values.by, 'calls', 'input', 'output', 'cache write', 'cache read', 'cost'],
          rows.map((row) => [row.grp, row.calls, row.input_tokens, row.output_tokens, row.cache_write_tokens, row.cache_read_tokens, `$${row.cost_usd.toFixed(4)}`]),
        ),
      );
      io.out(`total: ${calls} calls, $${total.toFixed(4)}${rows.length === 0 ? ' (no model calls: the offline drafter is free)' : ''}`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
