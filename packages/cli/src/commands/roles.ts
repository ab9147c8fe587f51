import path from 'node:path';
import { createPostgresDb, loadCoreConfig } from '@jbot/core';
import { defineCommand } from '../command.js';
import { UsageError } from '../usage-error.js';
import { botsOption } from '../option-values.js';
import { DASHBOARD_PROCESS } from '../supervisor/supervisor.js';
import { brainRoleOf, CHANNELS_ROLE, derivedRolePassword, roleUrl, signRoleJwt, writeManagedEnv } from '../brain-roles.js';

/**
 * `fleet roles`: give each process on this host its own brain login in its own env file
 * (`<env-dir>/<bot>.env`): on Postgres a password per role, derived from FLEET_ROLE_SECRET and set
 * through the owner's DATABASE_URL; on Supabase (SUPABASE_JWT_SECRET set) a JWT per role. Run by
 * `fleet deploy` with the host's migrate.env; idempotent, and the same on every host.
 */
export const rolesCommand = defineCommand({
  name: 'roles',
  summary: "write each bot's own brain login into <env-dir>/<bot>.env (a role per bot; run by deploy)",
  options: {
    'env-dir': { type: 'string', value: 'DIR', description: 'where the per-process env files live (default /etc/jbot)' },
    bots: { type: 'string', value: 'a,b,…', description: 'the processes on this host (bots, and "dashboard"); default all ten bots' },
  },
  details:
    "Needs the owner's DATABASE_URL and FLEET_ROLE_SECRET (32+ characters, the same on every host) in the environment (deploy sources migrate.env). With SUPABASE_JWT_SECRET, SUPABASE_URL and SUPABASE_ANON_KEY set, it writes per-bot JWTs for the supabase transport instead of passwords.",
  async run({ values }, io) {
    const requested = values.bots === undefined ? undefined : values.bots.split(',').map((name) => name.trim());
    const botNames = requested?.filter((name) => name !== DASHBOARD_PROCESS && name !== '');
    const bots = botNames === undefined ? botsOption(undefined) : botNames.length === 0 ? [] : botsOption(botNames.join(','));
    const processes = [...bots, ...(requested?.includes(DASHBOARD_PROCESS) === true ? [DASHBOARD_PROCESS] : [])];
    if (processes.length === 0) throw new UsageError('--bots names no process: list bots and/or "dashboard"');
    const directory = path.resolve(values['env-dir'] ?? '/etc/jbot');
    const jwtSecret = io.env['SUPABASE_JWT_SECRET'];
    if (jwtSecret !== undefined && jwtSecret !== '') {
      const url = io.env['SUPABASE_URL'];
      const anonKey = io.env['SUPABASE_ANON_KEY'];
      if (url === undefined || anonKey === undefined)
        throw new UsageError('SUPABASE_JWT_SECRET needs SUPABASE_URL and SUPABASE_ANON_KEY beside it (Project Settings → API)');
      for (const name of processes) {
        const role = brainRoleOf(name);
        writeManagedEnv(path.join(directory, `${name}.env`), {
          SUPABASE_URL: url,
          SUPABASE_ANON_KEY: anonKey,
          SUPABASE_BOT_TOKEN: signRoleJwt(jwtSecret, role, name === DASHBOARD_PROCESS ? undefined : name),
          ...(name === DASHBOARD_PROCESS ? {} : { SUPABASE_CHANNELS_TOKEN: signRoleJwt(jwtSecret, CHANNELS_ROLE) }),
        });
        io.out(`${name}: ${path.join(directory, `${name}.env`)} (supabase, role ${role})`);
      }
      return 0;
    }
    const config = loadCoreConfig(io.env);
    if (config.brain.kind !== 'postgres') throw new UsageError("fleet roles needs the owner's DATABASE_URL (the one migrations use) or SUPABASE_JWT_SECRET");
    const secret = io.env['FLEET_ROLE_SECRET'] ?? '';
    if (secret.length < 32) throw new UsageError('FLEET_ROLE_SECRET must be set to 32+ random characters, the same on every host (openssl rand -base64 48)');
    const ownerUrl = config.brain.url;
    const owner = createPostgresDb({ url: ownerUrl, poolMax: 1, applicationName: 'fleet:roles' });
    try {
      const roles = [...new Set([...processes.map(brainRoleOf), ...(bots.length > 0 ? [CHANNELS_ROLE] : [])])];
      for (const role of roles) await owner.rpc('fleet_set_role_password', { p_role: role, p_password: derivedRolePassword(secret, role) });
    } finally {
      await owner.close();
    }
    for (const name of processes) {
      const role = brainRoleOf(name);
      writeManagedEnv(path.join(directory, `${name}.env`), {
        DATABASE_URL: roleUrl(ownerUrl, role, derivedRolePassword(secret, role)),
        ...(name === DASHBOARD_PROCESS ? {} : { CHANNELS_DATABASE_URL: roleUrl(ownerUrl, CHANNELS_ROLE, derivedRolePassword(secret, CHANNELS_ROLE)) }),
      });
      io.out(`${name}: ${path.join(directory, `${name}.env`)} (role ${role})`);
    }
    return 0;
  },
});
