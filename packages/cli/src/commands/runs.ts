import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { formatTable } from '../format-table.js';
import { openBrain } from '../open-brain.js';

/** `fleet runs`: cron run history with filters. */
export const runsCommand: Command = {
  name: 'runs',
  summary: 'cron run history (who ran which tick, how it ended)',
  usage: 'fleet runs [--bot B] [--job J] [--status S] [--since ISO] [--limit N]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { bot: { type: 'string' }, job: { type: 'string' }, status: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } } });
    const session = await openBrain(io.env);
    try {
      const rows = await session.db.rpc<{ run_id: string; bot: string; job: string; scheduled_for: string; status: string; manual: boolean; host: string | null; attempt: number; started_at: string | null; finished_at: string | null; error: string | null }>('list_cron_runs', {
        p_bot: values.bot, p_job: values.job, p_status: values.status, p_since: values.since, p_limit: Number(values.limit ?? 50),
      });
      if (values.json === true) {
        io.out(JSON.stringify(rows, null, 2));
        return 0;
      }
      const seconds = (row: { started_at: string | null; finished_at: string | null }) =>
        row.started_at !== null && row.finished_at !== null ? `${((Date.parse(row.finished_at) - Date.parse(row.started_at)) / 1000).toFixed(1)}s` : '';
      io.out(formatTable(['scheduled for', 'bot', 'job', 'status', 'try', 'host', 'took', 'error'], rows.map((row) => [
        `${row.scheduled_for.slice(0, 19).replace('T', ' ')}Z${row.manual ? ' (manual)' : ''}`, row.bot, row.job, row.status, row.attempt, row.host, seconds(row), (row.error ?? '').slice(0, 80),
      ])));
      return 0;
    } finally {
      await session.close();
    }
  },
};
