import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '@jbot/core';

// Importing a bot package must do nothing: no env read that can throw, no connection, no timer,
// no output. A child process imports every bot (and the roster) under an empty and under a
// hostile environment, then reports what happened; it must exit by itself at once.
const probe = `
const bots = ['jbot', 'salesbot', 'mktgbot', 'opsbot', 'shipbot', 'contentbot', 'adsbot', 'socialbot', 'studiobot', 'sysbot'];
const handles = () => process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap');
const before = handles().length;
for (const bot of bots) await import('@jbot/' + bot);
const { roster } = await import('@jbot/fleet');
process.stdout.write(JSON.stringify({ loaded: roster.length, newHandles: handles().length - before }));
`;

function importAll(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
    cwd: path.join(repositoryRoot, 'packages', 'fleet'),
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('importing every bot package has no side effect', () => {
  it('under an empty environment', () => {
    const result = importAll({});
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { loaded: number; newHandles: number };
    expect(report.loaded).toBe(10);
    // No socket, timer or child left behind by an import (tsx's own start-up handles may close meanwhile).
    expect(report.newHandles).toBeLessThanOrEqual(0);
    expect(result.stderr).toBe('');
  });

  it('under a hostile environment: every setting wrong, unreachable services', () => {
    const result = importAll({
      TELEGRAM_BOT_TOKEN: '123:abc',
      FLEET_TZ: 'Nowhere/Never',
      TELEGRAM_QUIET_HOURS: 'x',
      JBOT_DIGEST_TIME: '99:99',
      DATABASE_URL: 'not a url',
      FREIGHT_DELAY_THRESHOLD_DAYS: '-1',
      SALES_STALE_DEAL_DAYS: 'soon',
      LLM_PRICES: '{',
      DISCORD_TOKEN: 'x',
      FLEET_ENV_FILE: '/nonexistent/fleet.env',
    });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { loaded: number; newHandles: number };
    expect(report.loaded).toBe(10);
    // No socket, timer or child left behind by an import (tsx's own start-up handles may close meanwhile).
    expect(report.newHandles).toBeLessThanOrEqual(0);
    expect(result.stderr).toBe('');
  });
});
