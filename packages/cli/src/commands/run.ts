import { BOT_NAMES } from '@jbot/fleet';
import { loadBots } from '../bot-definitions.js';
import type { Db } from '@jbot/core';
import { defineCommand, type CommandIo } from '../command.js';
import { shortId } from '../format-table.js';
import { UsageError } from '../usage-error.js';
import { waitFor } from '../wait-for.js';
import { openBrain, requireRunning } from '../open-brain.js';

/**
 * `fleet run <bot>/<job>`: run a job now. The request goes through the brain; the bot's own
 * process claims and runs it like any tick (marked manual), so this works against a remote fleet.
 */
export const runCommand = defineCommand({
  name: 'run',
  summary: 'run a job now (claimed by the running bot like any tick, marked manual)',
  arguments: '<bot>/<job>',
  positionals: { min: 1, max: 1 },
  options: { 'no-wait': { type: 'boolean', description: 'ask for the run and return; do not follow it to its end' } },
  details: 'Needs the bot running (`pnpm start`, or its unit on a server). `fleet crons` lists the jobs.',
  async run({ values, positionals }, io) {
    const [bot, job] = (positionals[0] ?? '').split('/');
    if (bot === undefined || !BOT_NAMES.includes(bot))
      throw new UsageError(`unknown bot in "${positionals[0] ?? ''}": the bots are ${BOT_NAMES.join(', ')} (\`fleet crons\` lists every job)`);
    const loaded = (await loadBots(io.env)).find((candidate) => candidate.definition.name === bot);
    const jobs = (loaded?.jobs ?? []).map((entry) => entry.id);
    if (job === undefined || !jobs.includes(job)) {
      throw new UsageError(
        `${bot} has no job "${job ?? ''}"; ${jobs.length === 0 ? 'it has no cron jobs' : `its jobs: ${jobs.map((id) => `${bot}/${id}`).join(', ')}`}`,
      );
    }
    const session = await openBrain(io.env, { needs: 'fleet' });
    try {
      await requireRunning(session, [bot]);
      return await requestRun(session.db, bot, job, io, { wait: values['no-wait'] !== true });
    } finally {
      await session.close();
    }
  },
});

/**
 * Ask the running bot to run a job now (request_manual_run: the bot claims it like any tick) and,
 * unless told not to, follow it to its end. Exit status: 0 succeeded, 1 failed or not picked up.
 */
export async function requestRun(
  db: Db,
  bot: string,
  job: string,
  io: CommandIo,
  options: { wait: boolean; timeoutMs?: number } = { wait: true },
): Promise<number> {
  const [request] = await db.rpc<{ run_id: string }>('request_manual_run', { p_bot: bot, p_job: job, p_requested_by: `cli:${io.env['USER'] ?? 'operator'}` });
  io.out(`requested ${bot}/${job} (run ${request === undefined ? '?' : shortId(request.run_id)}); ${bot} picks it up within a few seconds`);
  if (!options.wait || request === undefined) return 0;
  let lastStatus = 'requested';
  const finished = await waitFor(async () => {
    const rows = await db.rpc<{ run_id: string; status: string; error: string | null; host: string | null }>('list_cron_runs', {
      p_bot: bot,
      p_job: job,
      p_limit: 20,
    });
    const row = rows.find((candidate) => candidate.run_id === request.run_id);
    if (row !== undefined && row.status !== lastStatus) {
      lastStatus = row.status;
      io.out(`  ${row.status}${row.host === null ? '' : ` on ${row.host}`}${row.error === null ? '' : `: ${row.error}`}`);
    }
    return row !== undefined && !['requested', 'running'].includes(row.status) ? row.status : undefined;
  }, options.timeoutMs ?? 120_000);
  if (finished !== undefined) return finished === 'succeeded' ? 0 : 1;
  io.error(`still ${lastStatus} after ${Math.round((options.timeoutMs ?? 120_000) / 1000)} s; is ${bot} running? (pnpm fleet status)`);
  return 1;
}
