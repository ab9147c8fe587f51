import { parseArgs } from 'node:util';
import { botDefinitions } from '../bot-definitions.js';
import type { Command } from '../command.js';
import { openBrain } from '../open-brain.js';

/**
 * `fleet run <bot>/<job>`: run a job now. The request goes through the brain; the bot's own
 * process claims and runs it like any tick (marked manual), so this works against a remote fleet.
 */
export const runCommand: Command = {
  name: 'run',
  summary: 'run a job now (claimed by the running bot like any tick, marked manual)',
  usage: 'fleet run <bot>/<job> [--no-wait]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'no-wait': { type: 'boolean' } } });
    const [bot, job] = (positionals[0] ?? '').split('/');
    const definition = botDefinitions.find((candidate) => candidate.name === bot);
    if (bot === undefined || job === undefined || definition === undefined || !(definition.jobs ?? []).some((candidate) => candidate.id === job)) {
      const known = botDefinitions.flatMap((candidate) => (candidate.jobs ?? []).map((entry) => `${candidate.name}/${entry.id}`));
      io.error(`unknown job "${positionals[0] ?? ''}"; known jobs: ${known.join(', ') || '(none)'}`);
      return 2;
    }
    const session = await openBrain(io.env);
    try {
      const [request] = await session.db.rpc<{ run_id: string }>('request_manual_run', { p_bot: bot, p_job: job, p_requested_by: `cli:${process.env['USER'] ?? 'operator'}` });
      io.out(`requested ${bot}/${job} (run ${request?.run_id}); ${bot} picks it up within a few seconds if it is running`);
      if (values['no-wait'] === true || request === undefined) return 0;
      const deadline = Date.now() + 120_000;
      let lastStatus = 'requested';
      while (Date.now() < deadline) {
        const rows = await session.db.rpc<{ run_id: string; status: string; error: string | null; host: string | null }>('list_cron_runs', { p_bot: bot, p_job: job, p_limit: 20 });
        const row = rows.find((candidate) => candidate.run_id === request.run_id);
        if (row !== undefined && row.status !== lastStatus) {
          lastStatus = row.status;
          io.out(`  ${row.status}${row.host === null ? '' : ` on ${row.host}`}${row.error === null ? '' : `: ${row.error}`}`);
        }
        if (row !== undefined && !['requested', 'running'].includes(row.status)) return row.status === 'succeeded' ? 0 : 1;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      io.error(`still ${lastStatus} after 2 minutes; is ${bot} running? (pnpm fleet status)`);
      return 1;
    } finally {
      await session.close();
    }
  },
};
