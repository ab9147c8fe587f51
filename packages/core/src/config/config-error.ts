import { FleetError } from '../errors/fleet-error.js';

/** One problem with one environment variable. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Start-up stops with this when the environment is incomplete or wrong; it names every bad variable. */
export class ConfigError extends FleetError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    const lines = problems.map((problem) => `  ${problem.variable}: ${problem.message}`);
    super('config_invalid', `Configuration is invalid; fix these variables (in .env or the unit's EnvironmentFile):\n${lines.join('\n')}`, {
      facts: { variables: problems.map((problem) => problem.variable) },
    });
    this.problems = problems;
  }
}
