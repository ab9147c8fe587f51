import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKOFF_DROP_IN, BACKOFF_MIN_SYSTEMD, renderUnits, type UnitFile } from '../src/deploy/render-units.js';

// `systemd-analyze verify` on the units exactly as deploy renders them. Installs Debian's systemd
// package when the binary is missing and apt can run; otherwise fails saying what to install.
function ensureSystemdAnalyze(): string {
  const which = () => spawnSync('sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' }).stdout.trim();
  if (which() !== '') return which();
  const canApt = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).stdout.trim() !== '';
  if (canApt) {
    const install = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd'], {
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (install.status !== 0) throw new Error(`systemd-analyze is missing and installing Debian's systemd package failed:\n${install.stderr}`);
    if (which() !== '') return which();
  }
  throw new Error(
    'systemd-analyze is missing and cannot be installed here (needs root and apt-get): install the systemd package (apt-get install systemd) to verify deploy/systemd',
  );
}

function systemdVersion(binary: string): number {
  return Number(/systemd (\d+)/.exec(spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? 0);
}

/** Write units into a fresh directory and verify an instance of the template plus the target there. */
function verify(binary: string, units: readonly UnitFile[]): { status: number | null; output: string } {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-units-'));
  try {
    for (const unit of units) {
      fs.mkdirSync(path.dirname(path.join(directory, unit.name)), { recursive: true });
      fs.writeFileSync(path.join(directory, unit.name), unit.text);
    }
    // SYSTEMD_UNIT_PATH makes verify read drop-ins (<unit>.d/*.conf) from here too; the trailing ":" keeps the defaults.
    const result = spawnSync(
      binary,
      ['verify', '--man=no', ...['jbot@salesbot.service', 'jbot@studiobot.service', 'jbot-fleet.target'].map((name) => path.join(directory, name))],
      {
        cwd: directory,
        encoding: 'utf8',
        env: { ...process.env, SYSTEMD_UNIT_PATH: `${directory}:`, SYSTEMD_LOG_COLOR: '0' },
      },
    );
    return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

describe('systemd units', () => {
  let binary: string;
  // The node binary must exist for verify; production's /usr/bin/node is this machine's node here.
  const host = { path: '/opt/jbot', envFile: '/etc/jbot/fleet.env', node: process.execPath, memoryMax: { studiobot: '384M' } };
  beforeAll(() => {
    binary = ensureSystemdAnalyze();
  }, 620_000);

  it('systemd-analyze verify passes on the rendered template unit, target and a MemoryMax drop-in, with no warnings', () => {
    const { units, backoff } = renderUnits(host);
    const withBackoff = systemdVersion(binary) >= BACKOFF_MIN_SYSTEMD ? [...units, backoff] : units;
    const result = verify(binary, withBackoff);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('verify would catch a broken unit (the check is not vacuous)', () => {
    const { units } = renderUnits(host);
    const broken = units.map((unit) =>
      unit.name === 'jbot@.service'
        ? {
            ...unit,
            text: unit.text.replace('MemoryMax=256M', 'MemoryMax=256M\nMemroyMax=1G').replace(`ExecStart=${process.execPath}`, 'ExecStart=/nonexistent/node'),
          }
        : unit,
    );
    const result = verify(binary, broken);
    expect(result.output).toContain("Unknown key 'MemroyMax'");
    expect(result.output).toContain('/nonexistent/node');
    expect(result.status).not.toBe(0);
  });

  it('the backoff keys live only in the drop-in deploy installs on systemd >= 254', () => {
    const { units, backoff } = renderUnits(host);
    const template = units.find((unit) => unit.name === 'jbot@.service')?.text ?? '';
    expect(backoff.name).toBe(BACKOFF_DROP_IN);
    expect(backoff.text).toMatch(/^RestartSteps=5$/m);
    expect(backoff.text).toMatch(/^RestartMaxDelaySec=120s$/m);
    expect(template).not.toMatch(/^Restart(Steps|MaxDelaySec)=/m);
    if (systemdVersion(binary) < BACKOFF_MIN_SYSTEMD) {
      // This systemd (Debian 12's 252) warns about the keys: exactly why they stay out of the main unit.
      expect(verify(binary, [...units, backoff]).output).toContain('RestartSteps');
    }
  });

  it('the template unit has the restart, readiness, environment, journald and hardening settings', () => {
    const template = renderUnits(host).units.find((unit) => unit.name === 'jbot@.service')?.text ?? '';
    const settings = new Map<string, string[]>();
    for (const line of template.split('\n')) {
      const match = /^([A-Za-z]+)=(.*)$/.exec(line);
      if (match?.[1] !== undefined && match[2] !== undefined) settings.set(match[1], [...(settings.get(match[1]) ?? []), match[2]]);
    }
    const expected: Record<string, string> = {
      Type: 'notify',
      NotifyAccess: 'all',
      Restart: 'on-failure',
      RestartSec: '5s',
      RestartPreventExitStatus: '78',
      StandardOutput: 'journal',
      StandardError: 'journal',
      SyslogIdentifier: 'jbot-%i',
      MemoryMax: '256M',
      NoNewPrivileges: 'yes',
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      PrivateTmp: 'yes',
      ReadWritePaths: '/var/lib/jbot/%i',
      StateDirectory: 'jbot/%i',
      PartOf: 'jbot-fleet.target',
      WantedBy: 'jbot-fleet.target',
      ExecStart: `${process.execPath} --enable-source-maps --max-semi-space-size=2 /opt/jbot/current/.data/build/%i.mjs`,
    };
    for (const [key, value] of Object.entries(expected)) expect(settings.get(key), key).toEqual([value]);
    // Shared settings (optional), then the bot's own file with only its secrets and brain login.
    expect(settings.get('EnvironmentFile')).toEqual(['-/etc/jbot/fleet.env', '/etc/jbot/%i.env']);
  });
});
