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

/** A role's login: the owner's URL with the role's name and password in it. */
export function roleUrl(ownerUrl: string, role: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = role;
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
  for (const role of roles) passwords.set(role, typeof stored[role] === 'string' && stored[role] !== '' ? stored[role] : crypto.randomBytes(24).toString('base64url'));
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
