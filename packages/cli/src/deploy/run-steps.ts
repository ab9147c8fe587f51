import { spawn } from 'node:child_process';
import readline from 'node:readline';
import type { CommandIo } from '../command.js';
import type { DeployStep } from './deploy-plan.js';
import type { HostEntry } from './hosts-file.js';
import { sshArguments } from './remote-host.js';
import { shellQuote } from './shell-quote.js';

/** How deploy steps reach the host. */
export interface StepRunnerOptions {
  host: HostEntry;
  /** The ssh binary (FLEET_DEPLOY_SSH, default `ssh`). */
  ssh: string;
  /** Print every command instead of running it. */
  dryRun: boolean;
  io: CommandIo;
  /** Where local commands (git archive) run. */
  cwd: string;
}

/** A step as one shell line, exactly as it would be typed: `git archive … | ssh … 'command'`. */
export function formatStep(step: DeployStep, options: Pick<StepRunnerOptions, 'host' | 'ssh'>): string {
  const remote = [options.ssh, ...sshArguments(options.host, step.command)].map(shellQuote).join(' ');
  return step.pipeFrom === undefined ? remote : `${[step.pipeFrom.command, ...step.pipeFrom.args].map(shellQuote).join(' ')} | ${remote}`;
}

function runStep(step: DeployStep, options: StepRunnerOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const ssh = spawn(options.ssh, sshArguments(options.host, step.command), {
      cwd: options.cwd,
      env: options.io.env,
      stdio: [step.pipeFrom === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    ssh.once('error', reject);
    for (const stream of [ssh.stdout, ssh.stderr])
      if (stream !== null) readline.createInterface({ input: stream }).on('line', (line) => options.io.out(`    │ ${line}`));
    let localFailure: Promise<number> = Promise.resolve(0);
    if (step.pipeFrom !== undefined && ssh.stdin !== null) {
      const local = spawn(step.pipeFrom.command, step.pipeFrom.args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      local.once('error', reject);
      readline.createInterface({ input: local.stderr }).on('line', (line) => options.io.error(`    │ ${line}`));
      local.stdout.pipe(ssh.stdin);
      localFailure = new Promise((done) => local.once('close', (code) => done(code ?? 1)));
    }
    ssh.once('close', (code) => {
      void localFailure.then((localCode) => resolve(localCode !== 0 ? localCode : (code ?? 1)));
    });
  });
}

/** Run (or, dry, print) the steps in order; stop at the first failure. Returns whether all succeeded. */
export async function runSteps(steps: readonly DeployStep[], options: StepRunnerOptions): Promise<boolean> {
  for (const [index, step] of steps.entries()) {
    options.io.out(`[${options.host.name}] ${index + 1}/${steps.length} ${step.title}`);
    if (options.dryRun) {
      options.io.out(`$ ${formatStep(step, options)}`);
      continue;
    }
    const started = Date.now();
    const code = await runStep(step, options);
    if (code !== 0) {
      options.io.error(`✗ [${options.host.name}] "${step.title}" failed (exit ${code}); nothing after it ran.`);
      return false;
    }
    options.io.out(`    ✓ ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return true;
}
