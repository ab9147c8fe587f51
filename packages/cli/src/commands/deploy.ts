import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadCoreConfig, repositoryRoot } from '@jbot/core';
import { defineCommand, type CommandIo } from '../command.js';
import { UsageError } from '../usage-error.js';
import { openBrain, type BrainSession } from '../open-brain.js';
import { deploySteps, releaseId, rollbackSteps } from '../deploy/deploy-plan.js';
import { findHost, hostBots, loadHostsFile } from '../deploy/hosts-file.js';
import { runSteps } from '../deploy/run-steps.js';
import { snapshotHeartbeats, waitForHeartbeats, type HeartbeatSnapshot } from '../deploy/wait-for-heartbeats.js';

function git(args: string[]): string {
  const result = spawnSync('git', args, { cwd: repositoryRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** The brain to watch heartbeats in, or why there is none (the local embedded one is not production). */
async function productionBrain(io: CommandIo): Promise<BrainSession | string> {
  const config = loadCoreConfig(io.env);
  if (config.brain.kind === 'embedded')
    return 'no DATABASE_URL (or SUPABASE_URL) in this shell: heartbeats not checked; set it to the production brain to have deploy wait for them';
  return openBrain(io.env);
}

/** `fleet deploy <host>`: ship the current commit to one host of the hosts file, or roll it back. */
export const deployCommand = defineCommand({
  name: 'deploy',
  summary: 'build and ship a release to a host over ssh, restart its bots, wait for heartbeats (--rollback, --dry-run)',
  arguments: '<host>',
  positionals: { min: 1, max: 1 },
  options: {
    hosts: { type: 'string', value: 'FILE', description: 'the hosts file (default $FLEET_HOSTS_FILE or deploy/hosts.json)' },
    'dry-run': { type: 'boolean', description: 'print the steps, execute nothing' },
    rollback: { type: 'boolean', description: 'switch the host back to its previous release' },
    timeout: { type: 'string', value: 'SECONDS', description: 'how long to wait for heartbeats (default 120)' },
  },
  async run({ values, positionals }, io) {
    const [hostName = ''] = positionals;
    if (values.timeout !== undefined && !(/^\d+$/.test(values.timeout) && Number(values.timeout) > 0))
      throw new UsageError(`--timeout must be a whole number of seconds (got "${values.timeout}")`);
    const hostsPath = values.hosts ?? io.env['FLEET_HOSTS_FILE'] ?? path.join(repositoryRoot, 'deploy', 'hosts.json');
    const host = findHost(loadHostsFile(hostsPath), hostName);
    const dryRun = values['dry-run'] === true;
    const timeoutMs = Number(values.timeout ?? 120) * 1000;
    const bots = hostBots(host);
    io.out(
      `${values.rollback === true ? 'Rolling back' : 'Deploying to'} ${host.name} (${host.ssh.user}@${host.ssh.host}:${host.ssh.port}): ${host.bots.join(', ') || 'no bots'}${host.standby.length > 0 ? `; standby ${host.standby.join(', ')}` : ''}${dryRun ? ' — dry run, nothing is executed' : ''}`,
    );

    let steps;
    if (values.rollback === true) steps = rollbackSteps(host);
    else {
      const sha = git(['rev-parse', 'HEAD']);
      const id = releaseId(new Date(), sha);
      if (git(['status', '--porcelain', '--untracked-files=no']) !== '')
        io.out(`note: the working tree has uncommitted changes; the release is commit ${sha.slice(0, 12)} as committed`);
      io.out(`release ${id} (commit ${sha})`);
      steps = deploySteps(host, { id, sha });
    }

    let brain: BrainSession | string = 'dry run';
    let before: HeartbeatSnapshot = new Map();
    if (!dryRun) {
      brain = await productionBrain(io);
      if (typeof brain !== 'string') before = await snapshotHeartbeats(brain.db, host.name);
    }
    try {
      const ok = await runSteps(steps, { host, ssh: io.env['FLEET_DEPLOY_SSH'] ?? 'ssh', dryRun, io, cwd: repositoryRoot });
      if (!ok) return 1;
      if (typeof brain === 'string') {
        io.out(
          dryRun ? `then: wait up to ${timeoutMs / 1000} s for running heartbeats of ${bots.join(', ')} on ${host.name} (fleet_heartbeats)` : `– ${brain}`,
        );
        return 0;
      }
      io.out(`waiting up to ${timeoutMs / 1000} s for heartbeats from ${bots.length} bot(s) on ${host.name}…`);
      const result = await waitForHeartbeats(brain.db, { host: host.name, bots, before, timeoutMs });
      for (const entry of result.up) io.out(`  ✓ ${entry.bot.padEnd(11)} pid ${entry.pid}, heartbeat after ${(entry.afterMs / 1000).toFixed(1)} s`);
      for (const entry of result.missing)
        io.out(
          `  ✗ ${entry.bot.padEnd(11)} no new running heartbeat (${entry.status}): journalctl -u jbot@${entry.bot} -n 50 on ${host.name}; FLEET_HOST_ID there must be "${host.name}"`,
        );
      if (result.missing.length > 0) {
        io.error(
          `${result.missing.length} of ${bots.length} bot(s) did not come up on ${host.name}${values.rollback === true ? '' : `; to go back: pnpm fleet deploy ${host.name} --rollback`}`,
        );
        return 1;
      }
      io.out(`${host.name}: ${bots.length} of ${bots.length} bots running`);
      return 0;
    } finally {
      if (typeof brain !== 'string') await brain.close();
    }
  },
});
