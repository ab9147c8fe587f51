import { loadCoreConfig, nextTick, validateJobSchedule } from '@jbot/core';
import { loadBots } from '../bot-definitions.js';
import { defineCommand } from '../command.js';
import { formatTable, formatTime } from '../format-table.js';
import { botOption } from '../option-values.js';
import { openBrain } from '../open-brain.js';

/** `fleet crons`: every job of every bot with its schedule, next fire and last status. */
export const cronsCommand = defineCommand({
  name: 'crons',
  summary: 'every cron job: bot, id, schedule, tz, next fire, last status',
  options: {
    bot: { type: 'string', value: 'B', description: "only this bot's jobs" },
    wide: { type: 'boolean', description: 'do not cut long cells to fit the terminal' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  async run({ values }, io) {
    const bot = botOption(values.bot);
    const config = loadCoreConfig(io.env);
    const bots = await loadBots(io.env);
    const session = await openBrain(io.env);
    try {
      const last = new Map(
        (await session.db.rpc<{ bot: string; job: string; scheduled_for: string; status: string }>('last_cron_statuses')).map((row) => [
          `${row.bot}/${row.job}`,
          row,
        ]),
      );
      const jobs = bots
        .filter(({ definition }) => bot === undefined || definition.name === bot)
        .flatMap(({ definition, jobs: resolved }) =>
          resolved.map((job) => {
            const timeZone = validateJobSchedule(definition.name, job, config.timeZone);
            const previous = last.get(`${definition.name}/${job.id}`);
            return {
              bot: definition.name,
              job: job.id,
              schedule: job.schedule,
              timeZone,
              nextFire: nextTick(job.schedule, timeZone, new Date()).toISOString(),
              last: previous === undefined ? null : { status: previous.status, scheduledFor: previous.scheduled_for },
            };
          }),
        );
      if (values.json === true) {
        io.out(JSON.stringify(jobs, null, 2));
        return 0;
      }
      io.out(
        formatTable(
          ['bot', 'job', 'schedule', 'tz', 'next fire', 'last status'],
          jobs.map((job) => [
            job.bot,
            job.job,
            job.schedule,
            job.timeZone,
            formatTime(job.nextFire),
            job.last === null ? 'never ran' : `${job.last.status} (${formatTime(job.last.scheduledFor)})`,
          ]),
          { columns: io.columns, wide: values.wide, empty: `${bot ?? 'The fleet'} has no cron jobs.` },
        ),
      );
      if (jobs.length > 0) io.out(`${jobs.length} job${jobs.length === 1 ? '' : 's'}`);
      return 0;
    } finally {
      await session.close();
    }
  },
});
