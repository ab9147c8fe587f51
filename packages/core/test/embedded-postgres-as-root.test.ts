import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedUrl, ensureEmbeddedPostgres, type EmbeddedPostgres } from '@jbot/core';
import { freePort } from '@jbot/testkit';
import { installedBinaryPackage } from '../src/embedded/postgres-placement.js';

const daemonScript = path.join(import.meta.dirname, '..', 'src', 'embedded', 'postgres-daemon.mjs');

// A fresh VPS or container as root, the clone in a 0700 directory (a home, or `mktemp -d`):
// Postgres runs as the `postgres` user, which can enter neither node_modules nor .data there.
describe.runIf(process.getuid?.() === 0)('the embedded Postgres as root, from a directory of mode 0700', () => {
  const closed = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-closed-'));
  const runtimeDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-runtime-'));
  fs.chmodSync(runtimeDirectory, 0o755);
  let server: EmbeddedPostgres | undefined;
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(closed, { recursive: true, force: true });
    fs.rmSync(runtimeDirectory, { recursive: true, force: true });
  });

  it('starts with binaries and data the postgres user can reach, .data/pg a link to the cluster', async () => {
    expect(fs.statSync(closed).mode & 0o777).toBe(0o700);
    // The installed platform package, as a hard-linked tree inside the closed directory (what
    // node_modules is in such a clone), so the binaries too are out of the postgres user's reach.
    const binaryPackageDir = path.join(closed, 'linux-binaries');
    execFileSync('cp', ['-al', installedBinaryPackage(daemonScript), binaryPackageDir]);
    const dataDir = path.join(closed, '.data', 'pg');
    const port = await freePort();

    server = await ensureEmbeddedPostgres({ dataDir, port, persistent: true, runtimeDirectory, binaryPackageDir, startTimeoutMs: 120_000 });
    expect(server.startedHere).toBe(true);
    const sql = postgres(embeddedUrl(port), { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql<Array<{ user: string }>>`select current_user as user`;
      expect(row?.user).toBe('postgres');
    } finally {
      await sql.end();
    }
    expect(fs.lstatSync(dataDir).isSymbolicLink()).toBe(true);
    const cluster = fs.realpathSync(dataDir);
    expect(cluster.startsWith(path.join(runtimeDirectory, 'clusters'))).toBe(true);
    expect(fs.existsSync(path.join(cluster, 'PG_VERSION'))).toBe(true);
    expect(server.note).toContain(`cannot enter ${closed}`);
    expect(fs.readdirSync(path.join(runtimeDirectory, 'embedded-postgres'))).toEqual([
      expect.stringMatching(new RegExp(`^${process.platform}-${process.arch}@`)),
    ]);

    // A restart finds the same cluster through the link.
    await server.stop();
    server = await ensureEmbeddedPostgres({ dataDir, port, persistent: true, runtimeDirectory, binaryPackageDir, startTimeoutMs: 120_000 });
    expect(fs.realpathSync(dataDir)).toBe(cluster);
  }, 180_000);

  it('when nothing the postgres user can reach can be made, one line says what to do', async () => {
    const dataDir = path.join(closed, 'elsewhere', 'pg');
    // A runtime directory that cannot exist (under a character device), as on a read-only /var.
    const attempt = ensureEmbeddedPostgres({ dataDir, port: await freePort(), runtimeDirectory: '/dev/null/jbot-fleet', startTimeoutMs: 30_000 });
    await expect(attempt).rejects.toMatchObject({
      name: 'BrainConnectionError',
      message: expect.stringMatching(
        /^The embedded Postgres runs as the postgres user when you are root, .* could not be created for it \(ENOTDIR\): run as a normal user, or set DATABASE_URL\.$/,
      ),
    });
    await expect(attempt).rejects.toMatchObject({ message: expect.not.stringContaining('\n') });
  });
});
