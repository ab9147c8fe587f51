import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, defineBot, defineJob, startBot, type Db } from '@jbot/core';
import { freshDatabase, testBotConfig, type TestDatabase } from '@jbot/testkit';
import { heartbeatJobRegistry } from '../src/jobs/cron-gap-watch.js';

// cron-gap-watch learns what each bot owes from the bot's own heartbeat (jobs with resolved
// schedules), not by loading every bot's code into sysbot; a stopped bot still owes its ticks.
describe('the job registry comes from the bots’ heartbeats', () => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('lists each job with its schedule, zone and timeout, also after the bot stopped', async () => {
    const report = defineJob<{ REPORT_HOUR: number }>({
      id: 'report',
      schedule: (config) => `15 ${config.REPORT_HOUR} * * 1-5`,
      timeoutMs: 30_000,
      settings: { load: () => ({ REPORT_HOUR: 9 }) },
      run: () => {},
    });
    const running = await startBot(defineBot({ name: 'opsbot', purpose: 'test', jobs: [report] }), {
      db,
      config: testBotConfig({ hostId: 'vps-1' }),
      log: pino({ level: 'silent' }),
    });
    await running.stop();
    expect(await heartbeatJobRegistry(db)).toEqual([{ bot: 'opsbot', job: 'report', schedule: '15 9 * * 1-5', tz: 'UTC', timeoutMs: 30_000 }]);
  });
});
