import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseBotList } from '@jbot/fleet';
import type { Command } from '../command.js';
import { readEnvFile } from '../doctor/read-env-file.js';
import { runDoctor } from '../doctor/run-doctor.js';

/** `fleet doctor`: is this machine's configuration complete, and does every credential work? */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check env, database (reachable, migrated, clock), Discord, Telegram, Anthropic and connector credentials',
  usage: 'fleet doctor [--env-file /etc/jbot/fleet.env] [--bots a,b,…]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { 'env-file': { type: 'string' }, bots: { type: 'string' } } });
    let env = io.env;
    if (values['env-file'] !== undefined) {
      const file = path.resolve(values['env-file']);
      try {
        env = { ...io.env, ...readEnvFile(file) };
      } catch (error) {
        io.error(`✗ cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}): pass the env file the units use (EnvironmentFile=)`);
        return 1;
      }
    }
    const bots = parseBotList(values.bots);
    const report = await runDoctor(env, bots);
    for (const line of report.lines) io.out(line);
    io.out(report.failed === 0 ? `all ${report.results.filter((result) => result.outcome === 'ok').length} checks passed` : `${report.failed} problem(s) found`);
    return report.failed === 0 ? 0 : 1;
  },
};
