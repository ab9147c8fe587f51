import { defineCommand } from '../command.js';
import { formatTable, formatTime } from '../format-table.js';
import { botOption, choiceOption, limitOption, sinceOption } from '../option-values.js';
import { openBrain } from '../open-brain.js';

/** Every status a cron run can have (cron_runs.status). */
export const RUN_STATUSES = ['requested', 'running', 'succeeded', 'failed', 'timed_out', 'skipped', 'missed', 'abandoned'] as const;

/** `fleet runs`: cron run history with filters. */
export const runsCommand = defineCommand({
  name: 'runs',
  summary: 'cron run history (who ran which tick, how it ended)',
  options: {
    bot: { type: 'string', value: 'B', description: 'only this bot' },
    job: { type: 'string', value: 'J', description: 'only this job id' },
    status: { type: 'string', value: 'S', description: `only this status: ${RUN_STATUSES.join(', ')}` },
    since: { type: 'string', value: '24h|7d|ISO', description: 'ticks scheduled from this long ago or this date' },
    limit: { type: 'string', value: 'N', description: 'at most N rows (default 50)' },
    wide: { type: 'boolean', description: 'do not cut long cells to fit the terminal' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  async run({ values }, io) {
    const bot = botOption(values.bot);
    const status = choiceOption('status', values.status, RUN_STATUSES);
    const since = sinceOption(values.since);
    const limit = limitOption(values.limit, 50);
    const session = await openBrain(io.env);
    try {
      const rows = await session.db.rpc<{
        run_id: string;
        bot: string;
        job: string;
        scheduled_for: string;
        status: string;
        manual: boolean;
        host: string | null;
        attempt: number;
        started_at: string | null;
        finished_at: string | null;
        error: string | null;
      }>('list_cron_runs', {
        p_bot: bot,
        p_job: values.job,
        p_status: status,
        p_since: since?.toISOString(),
        p_limit: limit,
      });
      // What each run found (its outcome line and input fingerprint), recorded by the job's run.
      const outcomes = new Map(
        (
          await session.db.rpc<{ run_id: string; outcome: string | null; fingerprint: string | null }>('cron_run_outcomes', {
            p_run_ids: rows.map((row) => row.run_id),
          })
        ).map((row) => [row.run_id, row]),
      );
      if (values.json === true) {
        io.out(
          JSON.stringify(
            rows.map((row) => ({ ...row, outcome: outcomes.get(row.run_id)?.outcome ?? null, fingerprint: outcomes.get(row.run_id)?.fingerprint ?? null })),
            null,
            2,
          ),
        );
        return 0;
      }
      const seconds = (row: { started_at: string | null; finished_at: string | null }) =>
        row.started_at !== null && row.finished_at !== null ? `${((Date.parse(row.finished_at) - Date.parse(row.started_at)) / 1000).toFixed(1)}s` : '';
      const filtered = [bot, values.job, status, since].some((filter) => filter !== undefined);
      io.out(
        formatTable(
          ['scheduled for', 'bot', 'job', 'status', 'try', 'host', 'took', 'outcome', 'input', 'error'],
          rows.map((row) => [
            `${formatTime(row.scheduled_for)}${row.manual ? ' (manual)' : ''}`,
            row.bot,
            row.job,
            row.status,
            row.attempt,
            row.host,
            seconds(row),
            outcomes.get(row.run_id)?.outcome ?? null,
            outcomes.get(row.run_id)?.fingerprint?.slice(0, 8) ?? null,
            row.error,
          ]),
          {
            columns: io.columns,
            wide: values.wide,
            empty: filtered ? 'No cron runs match.' : 'No cron runs yet: the bots record one per tick once the fleet runs (`pnpm start`).',
          },
        ),
      );
      return 0;
    } finally {
      await session.close();
    }
  },
});
