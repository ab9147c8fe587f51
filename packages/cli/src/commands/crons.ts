import { loadCoreConfig, nextTick, validateJobSchedule } from '@jbot/core';
import { loadBots } from '../bot-definitions.js';
import type { Command } from '../command.js';
import { formatTable } from '../format-table.js';
import { openBrain } from '../open-brain.js';

/** `fleet crons`: every job of every bot with its schedule, next fire and last status. */
export const cronsCommand: Command = {
  name: 'crons',
  summary: 'every cron job: bot, id, schedule, tz, next fire, last status',
  usage: 'fleet crons',
  async run(_argv, io) {
    const config = loadCoreConfig(io.env);
    const bots = await loadBots(io.env);
    const session = await openBrain(io.env);
    try {
      const last = new Map((await session.db.rpc<{ bot: string; job: string; scheduled_for: string; status: string }>('last_cron_statuses')).map((row) => [`${row.bot}/${row.job}`, row]));
      const rows = bots.flatMap(({ definition: bot, jobs }) =>
        jobs.map((job) => {
          const timeZone = validateJobSchedule(bot.name, job, config.timeZone);
          const previous = last.get(`${bot.name}/${job.id}`);
          return [bot.name, job.id, job.schedule, timeZone, nextTick(job.schedule, timeZone, new Date()).toISOString().slice(0, 19).replace('T', ' ') + 'Z', previous === undefined ? 'never ran' : `${previous.status} (${previous.scheduled_for.slice(0, 19).replace('T', ' ')}Z)`];
        }),
      );
      io.out(formatTable(['bot', 'job', 'schedule', 'tz', 'next fire', 'last status'], rows));
      io.out(`${rows.length} jobs`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
