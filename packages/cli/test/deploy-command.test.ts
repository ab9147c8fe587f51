import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';

// `fleet deploy` end to end without servers: FLEET_DEPLOY_SSH points at a fake ssh that runs each
// command on this machine, against temp directories the hosts file names as the remote paths,
// with a fake systemctl (whose `restart` starts processes that write heartbeats) and a fake pnpm.
const cli = path.join(repositoryRoot, 'packages', 'cli', 'src', 'main.ts');
const fixtures = path.join(repositoryRoot, 'packages', 'cli', 'test', 'deploy-fixtures');
const fakeSsh = path.join(fixtures, 'fake-ssh.mjs');

describe('fleet deploy', () => {
  let database: TestDatabase;
  let root: string;
  let hostsFile: string;
  const remote = (...parts: string[]) => path.join(root, 'remote', ...parts);
  const logs = () => ({
    ssh: fs.existsSync(path.join(root, 'ssh.log'))
      ? fs
          .readFileSync(path.join(root, 'ssh.log'), 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { destination: string; options: Record<string, unknown[]>; command: string })
      : [],
    systemctl: fs.existsSync(path.join(root, 'systemctl.log')) ? fs.readFileSync(path.join(root, 'systemctl.log'), 'utf8').trim().split('\n') : [],
    pnpm: fs.existsSync(path.join(root, 'pnpm.log')) ? fs.readFileSync(path.join(root, 'pnpm.log'), 'utf8').trim().split('\n') : [],
  });
  const fleet = (args: string[], env: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: repositoryRoot,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'warn',
        FLEET_HOSTS_FILE: hostsFile,
        FLEET_DEPLOY_SSH: fakeSsh,
        FAKE_SSH_LOG: path.join(root, 'ssh.log'),
        FAKE_SYSTEMCTL_LOG: path.join(root, 'systemctl.log'),
        FAKE_PNPM_LOG: path.join(root, 'pnpm.log'),
        FAKE_BEAT_SCRIPT: path.join(fixtures, 'fake-beat.ts'),
        FAKE_HOST_ID: 'vps-1',
        FAKE_SYSTEMD_VERSION: '255',
        ...env,
      },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}` };
  };
  const release = (stdout: string): [string, string, string] => {
    const match = /^release (\S+) \(commit ([0-9a-f]{40})\)$/m.exec(stdout);
    if (match?.[1] === undefined || match[2] === undefined) return expect.fail(`no release line in:\n${stdout}`);
    return [match[0], match[1], match[2]];
  };

  beforeAll(async () => {
    database = await freshDatabase();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-deploy-'));
    fs.mkdirSync(remote('etc', 'jbot'), { recursive: true });
    fs.writeFileSync(remote('etc', 'jbot', 'fleet.env'), 'FLEET_HOST_ID=vps-1\n', { mode: 0o600 });
    fs.writeFileSync(remote('etc', 'jbot', 'migrate.env'), 'FLEET_ROLE_SECRET=a-fleet-role-secret-of-at-least-32-characters\n', { mode: 0o600 });
    hostsFile = path.join(root, 'hosts.json');
    const host = (name: string) => ({
      ssh: { host: `${name}.example.com`, user: 'deploy', port: 2222, key: '/keys/jbot_deploy' },
      path: remote('opt', 'jbot'),
      unitDir: remote('etc', 'systemd', 'system'),
      envFile: remote('etc', 'jbot', 'fleet.env'),
      envDir: remote('etc', 'jbot'),
      migrateEnvFile: remote('etc', 'jbot', 'migrate.env'),
      node: process.execPath,
    });
    fs.writeFileSync(
      hostsFile,
      JSON.stringify({
        hosts: {
          'vps-1': { ...host('vps-1'), bots: ['salesbot', 'opsbot'], standby: ['sysbot'], memoryMax: { opsbot: '320M' } },
          'vps-2': { ...host('vps-2'), sudo: true, migrate: false, bots: ['sysbot'], standby: ['salesbot', 'opsbot'] },
        },
      }),
    );
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('--dry-run prints every command, exactly, and runs none', () => {
    const result = fleet(['deploy', 'vps-1', '--dry-run']);
    expect(result.status, result.output).toBe(0);
    const [, id, sha] = release(result.stdout);
    const opt = remote('opt', 'jbot');
    const units = remote('etc', 'systemd', 'system');
    const env = remote('etc', 'jbot', 'migrate.env');
    const ssh = `${fakeSsh} -p 2222 -i /keys/jbot_deploy -o BatchMode=yes -o ConnectTimeout=15 deploy@vps-1.example.com`;
    const commands = result.stdout
      .split('\n[vps-1]')
      .slice(1)
      .map((block) =>
        block
          .slice(block.indexOf('\n$ ') + 3)
          .replace(/\nthen: [^\n]*\n?$/, '')
          .trimEnd(),
      );
    expect(commands).toHaveLength(9);
    expect(commands[0]).toBe(
      `${ssh} 'test -r ${env} || { echo '\\''${env} is missing: write it (mode 0600) with the DATABASE_URL migrations use and FLEET_ROLE_SECRET, see deploy/README.md'\\'' >&2; exit 1; }'`,
    );
    const dir = `${opt}/releases/${id}`;
    expect(commands[1]).toBe(
      `git archive --format=tar ${sha} | ${ssh} 'set -e; mkdir -p ${opt}/releases; test ! -e ${dir} || { echo '\\''${dir} already exists'\\'' >&2; exit 1; }; mkdir ${dir}; tar -xf - -C ${dir}; echo ${id} > ${dir}/RELEASE'`,
    );
    expect(commands[2]).toBe(`${ssh} 'cd ${dir} && CI=true pnpm install --frozen-lockfile && pnpm fleet build'`);
    expect(commands[3]).toMatch(
      new RegExp(`^${ssh.replaceAll('.', '\\.')} 'set -e\\nmkdir -p ${units} ${units}/jbot@\\.service\\.d ${units}/jbot@opsbot\\.service\\.d\\n`),
    );
    expect(commands[3]).toContain(`ExecStart=${process.execPath} --enable-source-maps --max-semi-space-size=2 ${opt}/current/.data/build/%i.mjs`);
    expect(commands[3]).toContain(
      `cat > ${units}/jbot@opsbot.service.d/memory.conf <<'\\''JBOT_UNIT'\\''\n# From memoryMax in the hosts file (deploy writes this).\n[Service]\nMemoryMax=320M\nJBOT_UNIT`,
    );
    expect(commands[3]).toMatch(/-ge 254 \]; then\n.*restart-backoff\.conf[\s\S]*\nsystemctl daemon-reload'$/);
    expect(commands[4]).toBe(`${ssh} 'cd ${dir} && set -a && . ${env} && set +a && pnpm fleet migrate'`);
    // Each bot's own brain login, written into its own env file.
    expect(commands[5]).toBe(
      `${ssh} 'cd ${dir} && set -a && . ${env} && set +a && pnpm fleet roles --env-dir ${remote('etc', 'jbot')} --bots salesbot,opsbot,sysbot'`,
    );
    expect(commands[6]).toBe(`${ssh} 'cd ${opt} && ln -sfn releases/${id} current.next && mv -T current.next current'`);
    expect(commands[7]).toBe(
      `${ssh} 'set -e\nsystemctl enable jbot-fleet.target jbot@salesbot.service jbot@opsbot.service jbot@sysbot.service\n` +
        `for unit in $(ls ${units}/jbot-fleet.target.wants 2>/dev/null); do case '\\'' jbot@salesbot.service jbot@opsbot.service jbot@sysbot.service '\\'' in *" $unit "*) ;; *) systemctl disable --now "$unit" ;; esac; done\n` +
        `systemctl restart jbot@salesbot.service jbot@opsbot.service jbot@sysbot.service\nsystemctl start jbot-fleet.target'`,
    );
    expect(commands[8]).toBe(
      `${ssh} 'cd ${opt}/releases && current=$(basename "$(readlink ../current)") && ls -1 | sort | head -n -5 | while read -r old; do [ "$old" = "$current" ] || rm -rf "$old"; done'`,
    );
    expect(result.stdout).toContain('then: wait up to 120 s for running heartbeats of salesbot, opsbot, sysbot on vps-1 (fleet_heartbeats)');
    expect(logs().ssh).toEqual([]);
    expect(fs.existsSync(remote('opt'))).toBe(false);
  });

  it('a sudo host wraps each command in sudo -n sh -c', () => {
    const result = fleet(['deploy', 'vps-2', '--dry-run', '--rollback']);
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toContain(`deploy@vps-2.example.com 'sudo -n sh -c '\\''set -e\n`);
    expect(result.stdout).not.toContain('fleet migrate');
  });

  let first = '';
  it('deploys: a versioned release, units, migrations once, the current symlink, restarts, heartbeats', () => {
    const result = fleet(['deploy', 'vps-1']);
    expect(result.status, result.output).toBe(0);
    first = release(result.stdout)[1];
    const directory = remote('opt', 'jbot', 'releases', first);
    expect(fs.readFileSync(path.join(directory, 'RELEASE'), 'utf8').trim()).toBe(first);
    for (const file of ['package.json', 'pnpm-lock.yaml', 'deploy/systemd/jbot@.service', 'packages/fleet/src/main.ts', 'supabase/migrations'])
      expect(fs.existsSync(path.join(directory, file)), file).toBe(true);
    expect(fs.readlinkSync(remote('opt', 'jbot', 'current'))).toBe(`releases/${first}`);

    const unit = fs.readFileSync(remote('etc', 'systemd', 'system', 'jbot@.service'), 'utf8');
    expect(unit).toContain(`ExecStart=${process.execPath} --enable-source-maps --max-semi-space-size=2 ${remote('opt', 'jbot')}/current/.data/build/%i.mjs`);
    expect(unit).toContain(`EnvironmentFile=-${remote('etc', 'jbot', 'fleet.env')}`);
    expect(unit).toContain(`EnvironmentFile=${remote('etc', 'jbot')}/%i.env`);
    expect(fs.readFileSync(remote('etc', 'systemd', 'system', 'jbot@opsbot.service.d', 'memory.conf'), 'utf8')).toContain('MemoryMax=320M');
    // The fake remote reports systemd 255, so the backoff drop-in is installed.
    expect(fs.readFileSync(remote('etc', 'systemd', 'system', 'jbot@.service.d', 'restart-backoff.conf'), 'utf8')).toContain('RestartSteps=5');

    const { ssh, systemctl, pnpm } = logs();
    expect(new Set(ssh.map((call) => call.destination))).toEqual(new Set(['deploy@vps-1.example.com']));
    expect(ssh[0]?.options).toMatchObject({ '-p': ['2222'], '-i': ['/keys/jbot_deploy'] });
    expect(pnpm).toEqual([
      `${directory} install --frozen-lockfile`,
      `${directory} fleet build`,
      `${directory} fleet migrate`,
      `${directory} fleet roles --env-dir ${remote('etc', 'jbot')} --bots salesbot,opsbot,sysbot`,
    ]);
    expect(systemctl).toEqual([
      '--version',
      'daemon-reload',
      'enable jbot-fleet.target jbot@salesbot.service jbot@opsbot.service jbot@sysbot.service',
      'restart jbot@salesbot.service jbot@opsbot.service jbot@sysbot.service',
      'start jbot-fleet.target',
    ]);
    expect(result.stdout).toMatch(/✓ salesbot\s+pid \d+, heartbeat after/);
    expect(result.stdout).toContain('vps-1: 3 of 3 bots running');
    // A whole deploy (install, migrations, three bots' heartbeats) through spawnSync: give it the
    // command's own 120 s cap rather than the suite's 60 s.
  }, 150_000);

  it('a second deploy is a new release; --rollback flips current back and restarts; a third rollback has nowhere to go', async () => {
    // Release ids have one-second resolution.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = fleet(['deploy', 'vps-1'], { FAKE_SYSTEMD_VERSION: '252' });
    expect(second.status, second.output).toBe(0);
    const secondId = release(second.stdout)[1];
    expect(secondId > first).toBe(true);
    expect(fs.readlinkSync(remote('opt', 'jbot', 'current'))).toBe(`releases/${secondId}`);
    // systemd 252: no backoff keys (it would warn about them), the drop-in is removed.
    expect(fs.existsSync(remote('etc', 'systemd', 'system', 'jbot@.service.d', 'restart-backoff.conf'))).toBe(false);

    const restartsBefore = logs().systemctl.filter((line) => line.startsWith('restart ')).length;
    const rollback = fleet(['deploy', 'vps-1', '--rollback']);
    expect(rollback.status, rollback.output).toBe(0);
    expect(rollback.stdout).toContain(`rolled back from ${secondId} to ${first}`);
    expect(fs.readlinkSync(remote('opt', 'jbot', 'current'))).toBe(`releases/${first}`);
    expect(fs.readdirSync(remote('opt', 'jbot', 'releases')).sort()).toEqual([first, secondId]);
    expect(logs().systemctl.filter((line) => line.startsWith('restart ')).length).toBe(restartsBefore + 1);
    expect(rollback.stdout).toContain('vps-1: 3 of 3 bots running');

    const nowhere = fleet(['deploy', 'vps-1', '--rollback']);
    expect(nowhere.status).toBe(1);
    expect(nowhere.output).toContain(`no release before ${first} to roll back to`);
    expect(nowhere.output).toContain('"switch current to the previous release" failed (exit 1); nothing after it ran.');
    expect(fs.readlinkSync(remote('opt', 'jbot', 'current'))).toBe(`releases/${first}`);
  });

  it('bots that never beat fail the deploy, naming each bot and the way back', () => {
    // The "restarted" processes write nothing: nobody beats.
    const silent = path.join(root, 'silent.ts');
    fs.writeFileSync(silent, '// a bot that never becomes ready\n');
    const forward = fleet(['deploy', 'vps-1', '--timeout', '2'], { FAKE_BEAT_SCRIPT: silent });
    expect(forward.status).toBe(1);
    for (const bot of ['salesbot', 'opsbot', 'sysbot'])
      expect(forward.stdout).toMatch(new RegExp(`✗ ${bot}\\s+no new running heartbeat \\(running\\): journalctl -u jbot@${bot} -n 50 on vps-1`));
    expect(forward.stderr).toContain('3 of 3 bot(s) did not come up on vps-1; to go back: pnpm fleet deploy vps-1 --rollback');
  });

  it('an unknown host names the hosts that exist', () => {
    const result = fleet(['deploy', 'vps-9', '--dry-run']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no host "vps-9"; hosts: vps-1, vps-2');
  });
});
