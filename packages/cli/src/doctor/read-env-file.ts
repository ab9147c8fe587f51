import fs from 'node:fs';

/**
 * Read a systemd EnvironmentFile / .env: KEY=VALUE lines, `#` comments, optional `export `,
 * values optionally in matching single or double quotes. Enough for /etc/jbot/fleet.env.
 */
export function readEnvFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
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
