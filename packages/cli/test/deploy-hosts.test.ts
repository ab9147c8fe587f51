import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '@jbot/core';
import { HostsFileError, hostBots, hostUnits, loadHostsFile, parseHostsFile } from '../src/deploy/hosts-file.js';
import { restartCommand } from '../src/deploy/deploy-plan.js';
import { renderUnits } from '../src/deploy/render-units.js';

const problemsOf = (document: unknown): string[] => {
  try {
    parseHostsFile(document, 'hosts.json');
  } catch (error) {
    if (error instanceof HostsFileError) return error.facts['problems'] as string[];
    throw error;
  }
  return expect.fail('expected the hosts file to be rejected');
};

describe('hosts file', () => {
  it('the example parses, with defaults applied, and places every bot with its standbys', () => {
    const hosts = loadHostsFile(path.join(repositoryRoot, 'deploy', 'hosts.example.json')).hosts;
    const vps1 = hosts.get('vps-1');
    const vps2 = hosts.get('vps-2');
    expect(vps1).toMatchObject({
      path: '/opt/jbot',
      unitDir: '/etc/systemd/system',
      envFile: '/etc/jbot/fleet.env',
      envDir: '/etc/jbot',
      migrateEnvFile: '/etc/jbot/migrate.env',
      node: '/usr/bin/node',
      sudo: false,
      migrate: true,
      keepReleases: 5,
      ssh: { user: 'root', port: 22 },
    });
    expect(vps2).toMatchObject({ sudo: true, migrate: false, ssh: { user: 'deploy' }, memoryMax: { studiobot: '384M' } });
    const placed = new Set([...hosts.values()].flatMap((host) => host.bots));
    expect(placed.size).toBe(10);
    // Every standby is a primary elsewhere (jbot too: its Telegram inbox follows a brain lease).
    for (const host of hosts.values()) for (const bot of host.standby) expect(placed.has(bot) && !host.bots.includes(bot)).toBe(true);
    expect(hostBots(vps2 ?? expect.fail('vps-2'))).toEqual([
      'contentbot',
      'adsbot',
      'socialbot',
      'studiobot',
      'sysbot',
      'jbot',
      'salesbot',
      'mktgbot',
      'opsbot',
      'shipbot',
    ]);
  });

  it('places the dashboard where the hosts file says: one more jbot@ unit there, none elsewhere', () => {
    const hosts = loadHostsFile(path.join(repositoryRoot, 'deploy', 'hosts.example.json')).hosts;
    const vps1 = hosts.get('vps-1') ?? expect.fail('vps-1');
    const vps2 = hosts.get('vps-2') ?? expect.fail('vps-2');
    expect([vps1.dashboard, vps2.dashboard]).toEqual([true, false]);
    expect(hostUnits(vps1)).toEqual([...hostBots(vps1), 'dashboard']);
    expect(hostUnits(vps2)).toEqual(hostBots(vps2));
    expect(restartCommand(vps1)).toContain(
      'systemctl restart jbot@jbot.service jbot@salesbot.service jbot@mktgbot.service jbot@opsbot.service jbot@shipbot.service jbot@sysbot.service jbot@dashboard.service\n',
    );
    expect(restartCommand(vps2)).not.toContain('jbot@dashboard');
    expect(renderUnits(vps1).units.find((unit) => unit.name === 'jbot@dashboard.service.d/dashboard.conf')?.text).toContain(
      'ExecStart=\nExecStart=/usr/bin/node --enable-source-maps --max-semi-space-size=2 /opt/jbot/current/.data/build/dashboard.mjs\n',
    );
    expect(renderUnits(vps2).units.map((unit) => unit.name)).not.toContain('jbot@dashboard.service.d/dashboard.conf');
    expect(problemsOf({ hosts: { 'vps-1': { ssh: { host: 'a.example.com' }, bots: ['salesbot'], dashboard: 'yes' } } })).toEqual([
      expect.stringMatching(/^hosts\.vps-1\.dashboard: /),
    ]);
  });

  it('names every problem with its place', () => {
    const problems = problemsOf({
      hosts: {
        'VPS 1': { ssh: { host: 'a.example.com' }, bots: ['salesbot'] },
        'vps-2': { ssh: { host: 'b.example.com', port: 70000 }, path: 'opt/jbot', bots: ['salebot'], memoryMax: { opsbot: 'lots' }, colour: 'blue' },
      },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^hosts\.VPS 1: .*FLEET_HOST_ID/),
        expect.stringMatching(/^hosts\.vps-2\.ssh\.port: /),
        expect.stringMatching(/^hosts\.vps-2\.path: expected an absolute path/),
        expect.stringMatching(/^hosts\.vps-2\.bots\[0\]: "salebot" is not a bot \(one of jbot, salesbot/),
        expect.stringMatching(/^hosts\.vps-2\.memoryMax\.opsbot: expected a systemd size/),
        expect.stringMatching(/^hosts\.vps-2: .*colour/),
      ]),
    );
  });

  it('rejects placements that make no sense', () => {
    expect(
      problemsOf({
        hosts: {
          'vps-1': { ssh: { host: 'a.example.com' }, bots: ['salesbot', 'opsbot', 'opsbot'], standby: ['salesbot', 'shipbot'] },
          'vps-2': { ssh: { host: 'b.example.com' }, bots: ['salesbot'] },
        },
      }),
    ).toEqual([
      'hosts.vps-1.standby: salesbot is also in this host\'s "bots"; a standby belongs on another host',
      'hosts.vps-1.bots: opsbot is listed twice',
      'hosts.vps-2.bots: salesbot is already a primary on vps-1; list it under "standby" on one of them',
      'hosts.vps-1.standby: shipbot has no primary host; add it to another host\'s "bots"',
    ]);
    expect(problemsOf({ hosts: {} })).toEqual(['hosts: no hosts defined']);
  });

  it('a missing file says how to create it', () => {
    expect(() => loadHostsFile('/nonexistent/hosts.json')).toThrow(/cannot read it \(ENOENT\): copy deploy\/hosts\.example\.json to deploy\/hosts\.json/);
  });
});
