import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FleetError } from '@jbot/core';
import { BOT_NAMES } from '@jbot/fleet';

/** A hosts file that cannot be used: every problem, each with the JSON path it is about. */
export class HostsFileError extends FleetError {
  constructor(file: string, problems: string[], cause?: unknown) {
    super('hosts_file_invalid', `${file} is invalid:\n${problems.map((problem) => `  ${problem}`).join('\n')}`, {
      facts: { file, problems },
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

// Paths are spliced into remote shell commands and unit files: only plain absolute paths.
const absolutePath = z.string().regex(/^\/[A-Za-z0-9._/-]*$/, 'expected an absolute path of letters, digits, ".", "_", "-" and "/"');
const botName = z.string().refine((value) => (BOT_NAMES as readonly string[]).includes(value), {
  error: (issue) => `"${String(issue.input)}" is not a bot (one of ${BOT_NAMES.join(', ')})`,
});
const memory = z.string().regex(/^\d+[KMG]$/, 'expected a systemd size such as 256M or 1G');

const hostSchema = z.strictObject({
  $comment: z.string().optional(),
  ssh: z.strictObject({
    host: z.string().regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:]+\]$/, 'expected a DNS name or an IP address'),
    user: z
      .string()
      .regex(/^[a-z_][a-z0-9_-]*$/, 'expected a Unix user name')
      .default('root'),
    port: z.number().int().min(1).max(65535).default(22),
    /** Private key file (`ssh -i`); "~/" is this machine's home. Default: ssh's own choice (agent, ~/.ssh/config). */
    key: z.string().min(1).optional(),
  }),
  /** Run remote commands through `sudo -n` (a deploy user with passwordless sudo instead of root). */
  sudo: z.boolean().default(false),
  /** Where releases live: <path>/releases/<id>, <path>/current. */
  path: absolutePath.default('/opt/jbot'),
  unitDir: absolutePath.default('/etc/systemd/system'),
  /** Settings shared by the host's bots, no secrets (optional on the host). */
  envFile: absolutePath.default('/etc/jbot/fleet.env'),
  /** Where each process's own env file lives: <envDir>/<bot>.env, only that bot's secrets. */
  envDir: absolutePath.default('/etc/jbot'),
  /** The owner's brain access for migrations and `fleet roles` (DATABASE_URL, FLEET_ROLE_SECRET); no unit reads it. */
  migrateEnvFile: absolutePath.default('/etc/jbot/migrate.env'),
  node: absolutePath.default('/usr/bin/node'),
  pnpm: z
    .string()
    .regex(/^[A-Za-z0-9._/-]+$/)
    .default('pnpm'),
  /** Apply migrations from this host's deploy (idempotent and serialised by an advisory lock). */
  migrate: z.boolean().default(true),
  keepReleases: z.number().int().min(2).max(50).default(5),
  bots: z.array(botName).default([]),
  standby: z.array(botName).default([]),
  /** Serve the dashboard from this host too (jbot@dashboard; it reads the same brain, so more than one host may). */
  dashboard: z.boolean().default(false),
  /** Per-bot MemoryMax overrides (the unit's default is 256M). */
  memoryMax: z.record(botName, memory).default({}),
});

const hostsFileSchema = z.strictObject({
  $comment: z.string().optional(),
  hosts: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a host name is its FLEET_HOST_ID: lowercase letters, digits and "-"'), hostSchema),
});

/** One host of the hosts file, defaults applied. */
export type HostEntry = z.output<typeof hostSchema> & { name: string };

/** The parsed hosts file. */
export interface HostsFile {
  file: string;
  hosts: Map<string, HostEntry>;
}

/** Every bot a host runs: its own bots, then its standbys. */
export function hostBots(host: HostEntry): string[] {
  return [...host.bots, ...host.standby];
}

/** Every jbot@ unit a host runs: its bots, then the dashboard where the hosts file places it. */
export function hostUnits(host: HostEntry): string[] {
  return host.dashboard ? [...hostBots(host), 'dashboard'] : hostBots(host);
}

function issuePath(segments: readonly PropertyKey[]): string {
  return (
    segments.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? String(segment) : `.${String(segment)}`)).join('') ||
    '(top level)'
  );
}

// A bad record key (a host name, a memoryMax bot) carries the key schema's own message one level down.
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key') return issue.issues[0]?.message ?? issue.message;
  return issue.message;
}

/** Validate a parsed hosts document; throws HostsFileError listing every problem. */
export function parseHostsFile(document: unknown, file = 'hosts file'): HostsFile {
  const result = hostsFileSchema.safeParse(document);
  if (!result.success)
    throw new HostsFileError(
      file,
      result.error.issues.map((issue) => `${issuePath(issue.path)}: ${issueMessage(issue)}`),
    );
  const problems: string[] = [];
  const hosts = new Map(Object.entries(result.data.hosts).map(([name, host]) => [name, { ...host, name }]));
  if (hosts.size === 0) problems.push('hosts: no hosts defined');
  const primaryOf = new Map<string, string>();
  for (const host of hosts.values()) {
    for (const bot of host.bots) {
      const other = primaryOf.get(bot);
      if (other !== undefined && other !== host.name)
        problems.push(`hosts.${host.name}.bots: ${bot} is already a primary on ${other}; list it under "standby" on one of them`);
      else primaryOf.set(bot, host.name);
      if (host.standby.includes(bot)) problems.push(`hosts.${host.name}.standby: ${bot} is also in this host's "bots"; a standby belongs on another host`);
    }
    for (const list of ['bots', 'standby'] as const) {
      const duplicates = host[list].filter((bot, index) => host[list].indexOf(bot) !== index);
      for (const bot of new Set(duplicates)) problems.push(`hosts.${host.name}.${list}: ${bot} is listed twice`);
    }
  }
  for (const host of hosts.values()) {
    for (const bot of host.standby) {
      if (!primaryOf.has(bot)) problems.push(`hosts.${host.name}.standby: ${bot} has no primary host; add it to another host's "bots"`);
    }
  }
  if (problems.length > 0) throw new HostsFileError(file, problems);
  return { file, hosts };
}

/** Read and validate a hosts file (JSON). */
export function loadHostsFile(file: string): HostsFile {
  const resolved = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(resolved, 'utf8');
  } catch (error) {
    throw new HostsFileError(
      resolved,
      [
        `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)}): copy deploy/hosts.example.json to deploy/hosts.json and edit it, or pass --hosts <file>`,
      ],
      error,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new HostsFileError(resolved, [`not valid JSON: ${(error as Error).message}`], error);
  }
  return parseHostsFile(document, resolved);
}

/** The host named on the command line, or an error listing the ones that exist. */
export function findHost(hostsFile: HostsFile, name: string): HostEntry {
  const host = hostsFile.hosts.get(name);
  if (host === undefined) throw new HostsFileError(hostsFile.file, [`no host "${name}"; hosts: ${[...hostsFile.hosts.keys()].join(', ')}`]);
  return host;
}
