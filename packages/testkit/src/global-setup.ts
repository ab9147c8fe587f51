import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './test-postgres.js';

/** vitest global setup: one embedded Postgres for the whole run, stopped at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestPostgres();
  project.provide('testPostgresPort', server.port);
  return () => server.stop();
}
