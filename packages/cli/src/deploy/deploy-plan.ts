import { hostUnits, type HostEntry } from './hosts-file.js';
import { BACKOFF_MIN_SYSTEMD, renderUnits, type UnitFile } from './render-units.js';
import { shellQuote } from './shell-quote.js';

/** One step of a deploy: a shell command run on the host, optionally fed by a local command's stdout. */
export interface DeployStep {
  title: string;
  /** The remote shell command (what `ssh` runs). */
  command: string;
  /** A local command whose stdout is piped into the remote command (the release tarball). */
  pipeFrom?: { command: string; args: string[] };
}

/** A release: the commit deployed and its directory name, which sorts by time. */
export interface Release {
  id: string;
  sha: string;
}

/** `20261125T083000Z-1a2b3c4d5e6f`: UTC time first so `ls | sort` is deploy order. */
export function releaseId(now: Date, sha: string): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${sha.slice(0, 12)}`;
}

const unitName = (bot: string) => `jbot@${bot}.service`;

function writeFile(directory: string, unit: UnitFile): string {
  return `cat > ${shellQuote(`${directory}/${unit.name}`)} <<'JBOT_UNIT'\n${unit.text.endsWith('\n') ? unit.text : `${unit.text}\n`}JBOT_UNIT`;
}

/** Write the rendered units (and the backoff drop-in where systemd supports it), then reload systemd. */
export function installUnitsCommand(host: HostEntry): string {
  const { units, backoff } = renderUnits(host);
  const unitDir = host.unitDir;
  const dropInDirectories = [
    ...new Set(
      [backoff, ...units]
        .map((unit) => unit.name)
        .filter((name) => name.includes('/'))
        .map((name) => `${unitDir}/${name.slice(0, name.lastIndexOf('/'))}`),
    ),
  ];
  return [
    'set -e',
    `mkdir -p ${[unitDir, ...dropInDirectories].map(shellQuote).join(' ')}`,
    // Overrides removed from the hosts file must not linger.
    `rm -f ${shellQuote(unitDir)}/jbot@*.service.d/memory.conf`,
    ...units.map((unit) => writeFile(unitDir, unit)),
    `if [ "$(systemctl --version | awk 'NR == 1 { print $2 }')" -ge ${BACKOFF_MIN_SYSTEMD} ]; then`,
    writeFile(unitDir, backoff),
    'else',
    `rm -f ${shellQuote(`${unitDir}/${backoff.name}`)}`,
    'fi',
    'systemctl daemon-reload',
  ].join('\n');
}

/** Enable exactly this host's bots (and dashboard) under the target, disable the ones no longer placed here, restart them all. */
export function restartCommand(host: HostEntry): string {
  const units = hostUnits(host).map(unitName);
  const wants = `${host.unitDir}/jbot-fleet.target.wants`;
  return [
    'set -e',
    `systemctl enable jbot-fleet.target ${units.join(' ')}`,
    `for unit in $(ls ${shellQuote(wants)} 2>/dev/null); do case ' ${units.join(' ')} ' in *" $unit "*) ;; *) systemctl disable --now "$unit" ;; esac; done`,
    // Type=notify: this returns once every bot has reported ready, or fails naming the unit.
    `systemctl restart ${units.join(' ')}`,
    'systemctl start jbot-fleet.target',
  ].join('\n');
}

/** Every step of `fleet deploy <host>`, in order. The `current` switch comes after everything that can fail on a bad release. */
export function deploySteps(host: HostEntry, release: Release): DeployStep[] {
  const directory = `${host.path}/releases/${release.id}`;
  const quoted = shellQuote(directory);
  const steps: DeployStep[] = [
    {
      title: `check ${host.migrateEnvFile} exists`,
      command: `test -r ${shellQuote(host.migrateEnvFile)} || { echo '${host.migrateEnvFile} is missing: write it (mode 0600) with the DATABASE_URL migrations use and FLEET_ROLE_SECRET, see deploy/README.md' >&2; exit 1; }`,
    },
    {
      title: `upload release ${release.id}`,
      command: `set -e; mkdir -p ${shellQuote(`${host.path}/releases`)}; test ! -e ${quoted} || { echo '${directory} already exists' >&2; exit 1; }; mkdir ${quoted}; tar -xf - -C ${quoted}; echo ${release.id} > ${quoted}/RELEASE`,
      pipeFrom: { command: 'git', args: ['archive', '--format=tar', release.sha] },
    },
    // Bundles import their dependencies by absolute path, so they are built where they run.
    {
      title: 'install dependencies and build the bundles',
      command: `cd ${quoted} && CI=true ${host.pnpm} install --frozen-lockfile && ${host.pnpm} fleet build`,
    },
    { title: 'install systemd units', command: installUnitsCommand(host) },
  ];
  const ownerEnv = `set -a && . ${shellQuote(host.migrateEnvFile)} && set +a`;
  if (host.migrate) {
    steps.push({
      title: 'apply migrations (idempotent, under the migration lock)',
      command: `cd ${quoted} && ${ownerEnv} && ${host.pnpm} fleet migrate`,
    });
  }
  // Every process's own brain login, the same on every host (derived from FLEET_ROLE_SECRET).
  steps.push({
    title: `write each process's brain login into ${host.envDir}/<bot>.env`,
    command: `cd ${quoted} && ${ownerEnv} && ${host.pnpm} fleet roles --env-dir ${shellQuote(host.envDir)} --bots ${hostUnits(host).join(',')}`,
  });
  steps.push(
    { title: 'switch current', command: `cd ${shellQuote(host.path)} && ln -sfn releases/${release.id} current.next && mv -T current.next current` },
    { title: `restart ${hostUnits(host).join(', ')}`, command: restartCommand(host) },
    {
      title: `keep the last ${host.keepReleases} releases`,
      command: `cd ${shellQuote(`${host.path}/releases`)} && current=$(basename "$(readlink ../current)") && ls -1 | sort | head -n -${host.keepReleases} | while read -r old; do [ "$old" = "$current" ] || rm -rf "$old"; done`,
    },
  );
  return steps;
}

/** `fleet deploy <host> --rollback`: point `current` at the release before it, restart. */
export function rollbackSteps(host: HostEntry): DeployStep[] {
  return [
    {
      title: 'switch current to the previous release',
      command: [
        'set -e',
        `cd ${shellQuote(host.path)}`,
        'current=$(basename "$(readlink current)")',
        `test -d "releases/$current" || { echo 'current does not point into releases/' >&2; exit 1; }`,
        'previous=""',
        'for release in $(ls -1 releases | sort); do [ "$release" = "$current" ] && break; previous=$release; done',
        `test -n "$previous" || { echo "no release before $current to roll back to" >&2; exit 1; }`,
        'ln -sfn "releases/$previous" current.next && mv -T current.next current',
        'echo "rolled back from $current to $previous"',
      ].join('\n'),
    },
    { title: `restart ${hostUnits(host).join(', ')}`, command: restartCommand(host) },
  ];
}
