import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '@jbot/core';
import type { CommandIo } from '../src/command.js';
import { commands } from '../src/commands/index.js';
import { parseSince } from '../src/parse-since.js';
import { runFleet } from '../src/run-fleet.js';

// Nothing here may reach a database: every case must be decided by the command line alone. The
// URL points at a closed port, so a command that slipped past its checks fails with exit 1
// (not 0 or 64) and the test names it.
const env = { DATABASE_URL: 'postgres://fleet:fleet@127.0.0.1:9/none', LOG_LEVEL: 'silent' };
const STACK = /\n\s+at .+:\d+:\d+/;

async function fleet(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { out: (line) => out.push(line), error: (line) => err.push(line), env };
  const code = await runFleet(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const bin = path.join(repositoryRoot, 'node_modules', '.bin', 'fleet');

describe('the fleet command line', () => {
  it('has the commands the README names', () => {
    expect(commands.map((command) => command.name).sort()).toEqual(
      [
        'approvals',
        'approve',
        'build',
        'costs',
        'crons',
        'demo',
        'deploy',
        'doctor',
        'llm',
        'migrate',
        'reject',
        'reply',
        'roles',
        'run',
        'runs',
        'seed',
        'signals',
        'start',
        'status',
      ].sort(),
    );
  });

  it.each(commands.map((command) => command.name))('%s --help prints its usage and exits 0 without doing anything', async (name) => {
    for (const flag of ['--help', '-h']) {
      const { code, out, err } = await fleet(name, flag, '--no-such-flag');
      expect(code).toBe(0);
      expect(err).toBe('');
      expect(out).toMatch(new RegExp(`^Usage: fleet ${name}\\b`));
      expect(out).toMatch(/-h, --help\s+show this help/);
    }
    expect((await fleet('help', name)).out).toMatch(new RegExp(`^Usage: fleet ${name}\\b`));
  });

  it.each(commands.map((command) => command.name))('%s refuses an unknown flag and each string flag without its value (exit 64, naming it)', async (name) => {
    const command = commands.find((candidate) => candidate.name === name);
    const unknown = await fleet(name, '--bogus');
    expect(unknown.code).toBe(64);
    expect(unknown.err).toMatch(new RegExp(`^fleet ${name}: unknown option --bogus\\nusage: fleet ${name}`));
    expect(unknown.err).not.toMatch(STACK);
    for (const [flag, option] of Object.entries(command?.options ?? {})) {
      if (option.type !== 'string') {
        const valued = await fleet(name, `--${flag}=yes`);
        expect(valued.code, `${name} --${flag}=yes`).toBe(64);
        expect(valued.err).toContain(`--${flag} takes no value`);
        continue;
      }
      const missing = await fleet(name, `--${flag}`);
      expect(missing.code, `${name} --${flag}`).toBe(64);
      expect(missing.err).toContain(`--${flag} needs a value`);
    }
  });

  it.each([
    [['signals', '--since', 'yesterday'], /--since must be a duration back from now \(90s, 30m, 24h, 7d, 2w\) or an ISO date/],
    [['signals', '--since', '1'], /--since must be/],
    [['runs', '--since', 'soon'], /--since must be/],
    [['costs', '--since', 'tomorrow-ish'], /--since must be/],
    [['signals', '--limit', 'abc'], /--limit must be a whole number from 1 to 1000 \(got "abc"\)/],
    [['runs', '--limit', '0'], /--limit must be a whole number/],
    [['approvals', '--limit', '-3'], /--limit (must be|needs a value)/],
    [['runs', '--status', 'bogus'], /--status must be one of requested, running, succeeded, failed, timed_out, skipped, missed, abandoned \(got "bogus"\)/],
    [['approvals', '--status', 'bogus'], /--status must be one of pending, approved, rejected/],
    [['signals', '--type', 'nosuch'], /--type must be one of .*freight_delay.*stale_deals.* \(got "nosuch"\)/],
    [['signals', '--bot', 'nosuch'], /--bot must be one of jbot, salesbot/],
    [['runs', '--bot', 'nosuch'], /--bot must be one of/],
    [['crons', '--bot', 'nosuch'], /--bot must be one of/],
    [['approvals', '--bot', 'nosuch'], /--bot must be one of/],
    [['start', '--bots', 'nosuch'], /unknown bot nosuch; the bots are jbot, salesbot/],
    [['build', '--bots', 'salesbot,nosuch,other'], /unknown bots nosuch, other; the bots are/],
    [['doctor', '--bots', ','], /--bots is empty/],
    [['costs', '--by', 'weekday'], /--by must be one of bot, job, model \(got "weekday"\)/],
    [['deploy', 'vps-1', '--timeout', 'abc'], /--timeout must be a whole number of seconds/],
    [['deploy'], /missing <host>/],
    [['run', 'nosuch/job'], /unknown bot in "nosuch\/job": the bots are jbot/],
    [['run', 'salesbot/nosuch'], /salesbot has no job "nosuch"; its jobs: salesbot\/hubspot-sync/],
    [['run'], /missing <bot>\/<job>/],
    [['demo', 'tuesday'], /unknown flow "tuesday": the flows are monday and freight/],
    [['demo'], /missing monday\|freight/],
    [['llm', 'sideways'], /unknown action "sideways": use off, on or status/],
    [['reply', 'abcd1234'], /missing <signal-id> "instruction"/],
    [['approve'], /missing <approval-id>/],
    [['reject', 'a', 'b'], /unexpected argument "b" \(at most 1\)/],
    [['status', 'extra'], /unexpected argument "extra"/],
    [['migrate', 'now'], /unexpected argument "now"/],
  ])('fleet %j is a usage error naming what is allowed', async (argv, message) => {
    const { code, err, out } = await fleet(...argv);
    expect(code).toBe(64);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err).not.toMatch(STACK);
  });

  it('reads the --since forms it advertises, and nothing else', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(parseSince('1h', now)?.toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(parseSince('90s', now)?.toISOString()).toBe('2026-12-01T09:58:30.000Z');
    expect(parseSince('2w', now)?.toISOString()).toBe('2026-11-17T10:00:00.000Z');
    expect(parseSince('2026-11-30', now)?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(parseSince('2026-11-30T08:30Z', now)?.toISOString()).toBe('2026-11-30T08:30:00.000Z');
    for (const bad of ['1', 'yesterday', '1 hour', '2026', '']) expect(parseSince(bad, now)).toBeNull();
  });

  it('lists the commands on help, and refuses an unknown command with 64', async () => {
    for (const argv of [[], ['help'], ['--help'], ['-h']]) {
      const { code, out } = await fleet(...argv);
      expect(code).toBe(0);
      expect(out).toMatch(/^Usage: fleet <command> \[options\]/);
      for (const command of commands) expect(out).toContain(`  ${command.name} `);
    }
    const unknown = await fleet('stauts');
    expect(unknown.code).toBe(64);
    expect(unknown.err).toMatch(/"stauts" is not a fleet command; did you mean status\?/);
    expect((await fleet('help', 'nosuch')).code).toBe(64);
  });

  it('a failure that is not the command line prints one line, no stack trace, exit 1', async () => {
    const { code, err } = await fleet('signals', '--since', '1h');
    expect(code).toBe(1);
    expect(err.split('\n').length).toBeLessThanOrEqual(2);
    expect(err).not.toMatch(STACK);
  });

  // The real bin, as a person runs it: from a subdirectory, through pnpm, with no pnpm noise.
  it('runs as `fleet` from anywhere in the repository: --version, --help that does nothing, usage errors exit 64, no pnpm echo or ELIFECYCLE', () => {
    const run = (argv: string[], cwd: string, command = bin) =>
      spawnSync(command, argv, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
    const version = run(['--version'], path.join(repositoryRoot, 'bots', 'salesbot'));
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^fleet \d+\.\d+\.\d+ \(/);

    const migrateHelp = run(['migrate', '--help'], repositoryRoot);
    expect(migrateHelp.status).toBe(0);
    expect(migrateHelp.stdout).toMatch(/^Usage: fleet migrate/);
    expect(migrateHelp.stdout).not.toMatch(/applied|up to date/);

    const viaPnpm = run(['fleet', 'signals', '--limit', 'abc'], path.join(repositoryRoot, 'packages', 'cli'), 'pnpm');
    expect(viaPnpm.status).toBe(64);
    expect(viaPnpm.stderr).toMatch(/^fleet signals: --limit must be a whole number/);
    expect(`${viaPnpm.stdout}${viaPnpm.stderr}`).not.toMatch(/ELIFECYCLE|^\$ |tsx /m);
    expect(viaPnpm.stderr).not.toMatch(STACK);
  });
});
