import { inject } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Port of the run's embedded Postgres (set by the global setup). */
    testPostgresPort: number;
  }
}

/** A fresh migrated database on the run's Postgres; call from a test file's beforeAll. */
export function freshDatabase(): Promise<TestDatabase> {
  return createTestDatabase(inject('testPostgresPort'));
}

/** Port of the run's Postgres, for tests that create more databases. */
export function testPostgresPort(): number {
  return inject('testPostgresPort');
}
