import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, defineBot, type BotDefinition, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { createConnectors, loadSampleCompany } from '../../packages/connectors/src/index.js';
import { duplicateFigures, expectedTicks, runFigures } from '../_day-figures.js';
import { FleetTracker } from '../_day-tracker.js';

// The bench's "duplicated: 0" and "missed: 0" mean something only if its counters see a planted
// duplicate and a planted gap; these plant them in a real brain and through the real connectors.
describe('bench day counters', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const dayStart = new Date('2026-12-09T08:00:00Z');
  const dayEnd = new Date('2026-12-10T08:00:00Z');
  const bot: BotDefinition = defineBot({ name: 'benchbot', purpose: 'counter test', jobs: [{ id: 'hourly', schedule: '0 * * * *', run: () => 'done' }] });

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    await loadSampleCompany(db);
  });
  afterAll(async () => {
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('a tick entered twice for the same attempt is one duplicate; its retry (attempt 2) is not', async () => {
    const tracker = new FleetTracker();
    const job = tracker.instrument(bot).jobs?.[0];
    const context = {
      ...buildBotServices(bot, { db, log: pino({ level: 'silent' }), host: 'test' }).context(new AbortController().signal, pino({ level: 'silent' })),
      job: 'hourly',
      runId: 'r1',
      scheduledFor: dayStart,
      manual: false,
      idempotencyKey: 'k',
      lastRun: async () => null,
    };
    await job?.run({ ...context, attempt: 1 });
    await job?.run({ ...context, attempt: 2 });
    expect(tracker.duplicateRuns()).toBe(0);
    await job?.run({ ...context, attempt: 1 });
    expect(tracker.duplicateRuns()).toBe(1);
    expect(tracker.inFlight).toBe(0);
  });

  it('the same email sent under two keys is a duplicated side effect; a different email is not', async () => {
    expect((await duplicateFigures(sql)).sideEffectsTotal).toBe(0);
    const { crm } = createConnectors({ db, env: {} });
    const [deal] = await crm.listDeals();
    const email = { dealId: deal?.id ?? '', to: 'buyer@example.com', subject: 'Delay notice', body: 'Your order ships on the 21st.' };
    await crm.sendEmail({ ...email, idempotencyKey: 'approval-1/notice' });
    await crm.sendEmail({ ...email, subject: 'Another notice', idempotencyKey: 'approval-2/notice' });
    expect((await duplicateFigures(sql)).sideEffects['sample_emails']).toBe(0);
    await crm.sendEmail({ ...email, idempotencyKey: 'approval-1/notice' }); // a retry under the same key: nothing new
    expect((await duplicateFigures(sql)).sideEffects['sample_emails']).toBe(0);
    await crm.sendEmail({ ...email, idempotencyKey: 'approval-1/notice-again' });
    expect((await duplicateFigures(sql)).sideEffects['sample_emails']).toBe(1);
  });

  it('a tick owed with no row is missed, a row at a time no schedule owes is counted as unowed', async () => {
    const owed = expectedTicks([{ name: 'benchbot', jobs: [{ id: 'hourly', schedule: '0 * * * *' }] }], 'UTC', dayStart, dayEnd);
    expect(owed).toHaveLength(24);
    for (const tick of owed.slice(1)) {
      await db.rpc('claim_cron_run', {
        p_bot: 'benchbot',
        p_job: 'hourly',
        p_scheduled_for: new Date(tick.at),
        p_host: 'test',
        p_pid: 1,
        p_tolerance_seconds: 365 * 86_400,
      });
    }
    await sql`update cron_runs set status = 'succeeded' where bot = 'benchbot'`;
    await db.rpc('claim_cron_run', {
      p_bot: 'benchbot',
      p_job: 'hourly',
      p_scheduled_for: new Date(dayStart.getTime() + 90_000),
      p_host: 'test',
      p_pid: 1,
      p_tolerance_seconds: 365 * 86_400,
    });
    const figures = await runFigures(sql, { dayStart, dayEnd, realStart: new Date(), realEnd: new Date() }, owed);
    expect(figures).toMatchObject({ missed: 1, failed: 0, unowed: 1 });
    expect(figures.perJob['benchbot']?.['hourly']).toMatchObject({ owed: 24, succeeded: 23, missed: 1 });
  });
});
