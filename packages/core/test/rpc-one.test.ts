import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrainNoRowError, createPostgresDb, FleetError, rpcOne, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';

describe('rpcOne', () => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('returns the one row a brain function answers with', async () => {
    const row = await rpcOne<{ now: string }>(db, 'db_now');
    expect(Number.isNaN(Date.parse(row.now))).toBe(false);
  });

  it('no row is a BrainNoRowError naming the function and what to do', async () => {
    // retry_cron_run answers with no row for a run it does not know.
    const call = rpcOne(db, 'retry_cron_run', { p_run_id: randomUUID(), p_host: 'h', p_pid: 1 });
    await expect(call).rejects.toBeInstanceOf(BrainNoRowError);
    const error = await call.catch((thrown: unknown) => thrown);
    expect(FleetError.isInstance(error) && error.code).toBe('brain_no_row');
    expect((error as BrainNoRowError).facts).toEqual({ functionName: 'retry_cron_run' });
    expect((error as Error).message).toMatch(/retry_cron_run\(\) returned no row.*pnpm fleet migrate/);
  });
});
