import { createTestDatabase, type TestDatabase } from './test-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Port of the run's embedded Postgres (set by the global setup). */
    testPostgresPort: number;
  }
}

// vitest is imported lazily so benches and scripts can import @jbot/testkit outside a test run.
async function providedPort(): Promise<number> {
  const { inject } = await import('vitest');
  return inject('testPostgresPort');
}

/** A fresh migrated database on the run's Postgres; call from a test file's beforeAll. */
export async function freshDatabase(): Promise<TestDatabase> {
  return createTestDatabase(await providedPort());
}

/** Port of the run's Postgres, for tests that create more databases. */
export function testPostgresPort(): Promise<number> {
  return providedPort();
}
