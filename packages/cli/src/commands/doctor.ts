import path from 'node:path';
import { defineCommand } from '../command.js';
import { readEnvFile } from '@jbot/core';
import { botsOption } from '../option-values.js';
import { runDoctor } from '../doctor/run-doctor.js';

/** `fleet doctor`: is this machine's configuration complete, and does every credential work? */
export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: 'check env, database (reachable, migrated, clock), Discord, Telegram, Anthropic and connector credentials',
  options: {
    'env-file': { type: 'string', value: 'FILE', description: 'read the variables from this file too (what the units use, e.g. /etc/jbot/fleet.env)' },
    bots: { type: 'string', value: 'a,b,…', description: "check only these bots' settings (default: all ten)" },
  },
  async run({ values }, io) {
    const bots = botsOption(values.bots);
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
    const report = await runDoctor(env, bots);
    for (const line of report.lines) io.out(line);
    io.out(doctorSummary(report.results.filter((result) => result.outcome === 'ok').length, report.failed));
    return report.failed === 0 ? 0 : 1;
  },
});

/** The doctor's last line, in words that agree with the numbers ("1 check passed", "2 problems found"). */
export function doctorSummary(passed: number, failed: number): string {
  if (failed > 0) return `${failed} problem${failed === 1 ? '' : 's'} found`;
  if (passed === 1) return '1 check passed';
  return passed === 0 ? 'nothing to check' : `all ${passed} checks passed`;
}
