import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createPostgresDb } from '@jbot/core';
import { DASHBOARD_PROCESS } from './supervisor/supervisor.js';

/** The role the channel handlers inside every bot process decide through. */
export const CHANNELS_ROLE = 'fleet_channels';
/** The role of the CLI and the dashboard. */
export const OPERATOR_ROLE = 'fleet_operator';

/** The brain role a fleet process connects as: fleet_<bot>, or the operator's for the dashboard. */
export function brainRoleOf(processName: string): string {
  return processName === DASHBOARD_PROCESS ? OPERATOR_ROLE : `fleet_${processName}`;
}

/**
 * A role's login: the owner's URL with the role's name and password in it. Supabase's pooler names
 * the project in the user (`postgres.<ref>`); the role keeps that suffix (`fleet_salesbot.<ref>`).
 */
export function roleUrl(ownerUrl: string, role: string, password: string): string {
  const url = new URL(ownerUrl);
  const project = /^[^.]+(\.[a-z0-9]+)$/.exec(decodeURIComponent(url.username))?.[1] ?? '';
  url.username = `${role}${project}`;
  url.password = password;
  return url.toString();
}

/** Where the local start keeps the roles' passwords (mode 0600, beside the embedded cluster). */
export const rolePasswordsFile = (dataDir: string) => path.join(dataDir, 'brain-roles.json');

/**
 * The local start's role logins: a random password per role, generated once and kept in the data
 * directory, set on the roles through the owner's connection on every start (so a re-initialised
 * cluster gets them back). Returns role → password.
 */
export async function ensureLocalRolePasswords(dataDir: string, ownerUrl: string, roles: readonly string[]): Promise<Map<string, string>> {
  const file = rolePasswordsFile(dataDir);
  let stored: Record<string, string> = {};
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file} is unreadable (${(error as Error).message}): delete it and start again`);
  }
  const passwords = new Map<string, string>();
  for (const role of roles)
    passwords.set(role, typeof stored[role] === 'string' && stored[role] !== '' ? stored[role] : crypto.randomBytes(24).toString('base64url'));
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(Object.fromEntries(passwords), null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  const owner = createPostgresDb({ url: ownerUrl, poolMax: 1, applicationName: 'fleet:roles' });
  try {
    for (const [role, password] of passwords) await owner.rpc('fleet_set_role_password', { p_role: role, p_password: password });
  } finally {
    await owner.close();
  }
  return passwords;
}

/** Each local child's brain variables: its own role, and the channel handlers' for the bots. */
export function localRoleEnv(ownerUrl: string, passwords: ReadonlyMap<string, string>): (processName: string) => NodeJS.ProcessEnv {
  return (processName) => {
    const role = brainRoleOf(processName);
    const env: NodeJS.ProcessEnv = { DATABASE_URL: roleUrl(ownerUrl, role, passwords.get(role) ?? '') };
    if (processName !== DASHBOARD_PROCESS) env['CHANNELS_DATABASE_URL'] = roleUrl(ownerUrl, CHANNELS_ROLE, passwords.get(CHANNELS_ROLE) ?? '');
    return env;
  };
}

/**
 * A role's password on a deployed brain: derived from FLEET_ROLE_SECRET, so every host computes
 * the same one and a deploy to the second server cannot lock out the first's copy of a bot.
 */
export function derivedRolePassword(roleSecret: string, role: string): string {
  return crypto.createHmac('sha256', roleSecret).update(`fleet-role-password:${role}`).digest('base64url');
}

/** An HS256 JWT for PostgREST: `role` is the database role each call runs as, `bot` the bot the SQL functions check it against. */
export function signRoleJwt(jwtSecret: string, role: string, bot?: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ role, ...(bot === undefined ? {} : { bot }), iss: 'jbot-fleet', iat: Math.floor(Date.now() / 1000) })}`;
  return `${head}.${crypto.createHmac('sha256', jwtSecret).update(head).digest('base64url')}`;
}

/** The variables `fleet roles` owns in a process's env file; every other line is left as it was. */
export const MANAGED_VARIABLES = [
  'DATABASE_URL',
  'CHANNELS_DATABASE_URL',
  'SUPABASE_URL',
  'SUPABASE_ANON_KEY',
  'SUPABASE_BOT_TOKEN',
  'SUPABASE_CHANNELS_TOKEN',
];

/** Rewrite the managed variables of an env file (created mode 0600 if missing), keeping the rest. */
export function writeManagedEnv(file: string, values: Readonly<Record<string, string>>): void {
  let kept: string[] = [];
  try {
    kept = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => !MANAGED_VARIABLES.some((name) => new RegExp(`^\\s*(export\\s+)?${name}=`).test(line)) && line !== MANAGED_HEADER);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  const managed = Object.entries(values).map(([name, value]) => `${name}=${value}`);
  const text = `${[...kept, ...(kept.length > 0 ? [''] : []), MANAGED_HEADER, ...managed].join('\n')}\n`;
  const temporary = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, text, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

const MANAGED_HEADER = '# brain access for this process only (written by `fleet roles`; other lines are yours)';
