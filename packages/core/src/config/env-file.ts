import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config-error.js';
import { repositoryRoot } from './repository-root.js';

/**
 * Parse a .env / systemd EnvironmentFile: KEY=VALUE lines, `#` comments, optional `export `,
 * values optionally in matching single or double quotes.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim().replace(/^export\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) continue;
    const value = match[2];
    const quoted = /^(['"])(.*)\1$/.exec(value);
    values[match[1]] = quoted?.[2] ?? value;
  }
  return values;
}

/** Read an env file; a named file that is missing or unreadable is a ConfigError naming FLEET_ENV_FILE. */
export function readEnvFile(file: string): Record<string, string> {
  return parseEnvFile(fs.readFileSync(file, 'utf8'));
}

/** Which env file applies: FLEET_ENV_FILE, else the repository's .env when it exists. */
export function envFilePath(env: NodeJS.ProcessEnv): string | undefined {
  const named = env['FLEET_ENV_FILE']?.trim();
  if (named !== undefined && named !== '') return path.resolve(named);
  // Under systemd (INVOCATION_ID is set for every unit) the unit's EnvironmentFile is the source.
  if (env['INVOCATION_ID'] !== undefined) return undefined;
  const local = path.join(repositoryRoot, '.env');
  return fs.existsSync(local) ? local : undefined;
}

/**
 * Fill `env` (process.env by default) from the env file: the real environment wins over the
 * file, so `FOO=1 pnpm start` overrides what .env says. Returns the file read, if any. Called
 * by `pnpm start`, every `fleet` command and every bot process before any settings are parsed.
 */
export function applyEnvFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = envFilePath(env);
  if (file === undefined) return undefined;
  let values: Record<string, string>;
  try {
    values = readEnvFile(file);
  } catch (error) {
    throw new ConfigError([
      { variable: 'FLEET_ENV_FILE', message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` },
    ]);
  }
  for (const [key, value] of Object.entries(values)) if (env[key] === undefined) env[key] = value;
  // Children (the bots under the local supervisor) read the same file; mark that it was applied.
  return file;
}
