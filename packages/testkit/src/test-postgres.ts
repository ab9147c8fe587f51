import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import postgres from 'postgres';
import { embeddedUrl, ensureEmbeddedPostgres, migrate, type EmbeddedPostgres } from '@jbot/core';

/** The template database every test file's fresh database is copied from (migrations applied). */
export const TEMPLATE_DATABASE = 'fleet_template';

/** Find a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A Postgres server for one test run: started once, a template with migrations applied. */
export interface TestPostgres {
  port: number;
  server: EmbeddedPostgres;
  stop(): Promise<void>;
}

/**
 * Start a throwaway embedded Postgres (non-persistent, under the OS temp dir) and build the
 * template database. Called once per test run from vitest's global setup.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jbot-test-pg-'));
  fs.rmSync(dataDir, { recursive: true, force: true });
  const server = await ensureEmbeddedPostgres({ dataDir, port, persistent: false, startTimeoutMs: 120_000 });
  const admin = postgres(embeddedUrl(port), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  await migrate(embeddedUrl(port, TEMPLATE_DATABASE));
  return {
    port,
    server,
    async stop() {
      await server.stop();
      fs.rmSync(`${dataDir}`, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A fresh database copied from the template; `drop` removes it. */
export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Create a fresh, migrated database on the run's server (one per test file, or per test). */
export async function createTestDatabase(port: number): Promise<TestDatabase> {
  counter += 1;
  const name = `test_${process.pid}_${Date.now().toString(36)}_${counter}`;
  const admin = postgres(embeddedUrl(port), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: embeddedUrl(port, name),
    async drop() {
      const dropper = postgres(embeddedUrl(port), { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
