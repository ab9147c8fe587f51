import fs from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from '@jbot/core';
import type { HostEntry } from './hosts-file.js';
import { DASHBOARD_NODE_FLAGS } from '../supervisor/supervisor.js';

/** The unit files in the repository, as written (paths for the defaults /opt/jbot, /etc/jbot/fleet.env, /etc/jbot/<bot>.env, /usr/bin/node). */
export const systemdDirectory = path.join(repositoryRoot, 'deploy', 'systemd');

/** One file to install under the host's unit directory. */
export interface UnitFile {
  /** Relative to unitDir, e.g. "jbot@.service" or "jbot@studiobot.service.d/memory.conf". */
  name: string;
  text: string;
}

/** The first systemd version with RestartSteps and RestartMaxDelaySec. */
export const BACKOFF_MIN_SYSTEMD = 254;
/** Where the backoff drop-in goes when the host's systemd is new enough. */
export const BACKOFF_DROP_IN = 'jbot@.service.d/restart-backoff.conf';

/** The repository's unit text with the host's paths substituted. */
export function renderUnitText(text: string, host: Pick<HostEntry, 'path' | 'envFile' | 'node'> & Partial<Pick<HostEntry, 'envDir'>>): string {
  return text
    .replaceAll('/usr/bin/node ', `${host.node} `)
    .replaceAll('/etc/jbot/fleet.env', host.envFile)
    .replaceAll('/etc/jbot/%i.env', `${host.envDir ?? '/etc/jbot'}/%i.env`)
    .replaceAll('/opt/jbot/', `${host.path}/`);
}

/** The unit files for one host: the template unit, the target, a MemoryMax drop-in per overridden bot, and the dashboard's drop-in where it runs. */
export function renderUnits(
  host: Pick<HostEntry, 'path' | 'envFile' | 'node' | 'memoryMax'> & Partial<Pick<HostEntry, 'dashboard' | 'envDir'>>,
  directory = systemdDirectory,
): { units: UnitFile[]; backoff: UnitFile } {
  const read = (name: string) => fs.readFileSync(path.join(directory, name), 'utf8');
  const units: UnitFile[] = [
    { name: 'jbot@.service', text: renderUnitText(read('jbot@.service'), host) },
    { name: 'jbot-fleet.target', text: renderUnitText(read('jbot-fleet.target'), host) },
  ];
  for (const [bot, size] of Object.entries(host.memoryMax)) {
    units.push({ name: `jbot@${bot}.service.d/memory.conf`, text: `# From memoryMax in the hosts file (deploy writes this).\n[Service]\nMemoryMax=${size}\n` });
  }
  if (host.dashboard === true) {
    // Same template unit; only the node flags differ (see DASHBOARD_NODE_FLAGS in the supervisor).
    units.push({
      name: 'jbot@dashboard.service.d/dashboard.conf',
      text: `# The dashboard (deploy writes this where the hosts file says "dashboard": true).\n[Service]\nExecStart=\nExecStart=${[host.node, '--enable-source-maps', '--max-semi-space-size=2', ...DASHBOARD_NODE_FLAGS, `${host.path}/current/.data/build/dashboard.mjs`].join(' ')}\n`,
    });
  }
  return { units, backoff: { name: BACKOFF_DROP_IN, text: read('backoff/restart-backoff.conf') } };
}
