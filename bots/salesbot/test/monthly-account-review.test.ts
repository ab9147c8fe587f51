import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { reviewAccounts } from '../src/index.js';
import { localDay } from '../src/jobs/deal-hygiene.js';

describe('probe', () => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db, { now: new Date() });
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });
  it('probe', async () => {
    const reviews = await reviewAccounts(createConnectors({ db, env: {} }), localDay(new Date(), 'UTC'), { churnDropPct: 30, minFillRatePct: 95, dsoGraceDays: 15 });
    console.log(JSON.stringify(reviews.map((r) => [r.account, r.changePct, r.yoyPct, r.fillRatePct, r.dsoDays, r.email, r.reasons])));
  });
});
