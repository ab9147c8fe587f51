import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { loadSampleCompany, RESTORE_TEST_LOG } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { backupCheck, backupCheckSettings } from '../src/jobs/backup-check.js';
import { answerOperator } from '../src/operator-replies.js';
import { replyTo, runSysbotJob, sysbotContext } from './sysbot-job-harness.js';

const HOUR_MS = 3_600_000;

// A pg_dump directory as the VPS keeps it: one dump a night, the restore-test log beside them.
function plantDirectory(nights: Array<{ hoursAgo: number; bytes: number }>, restoreTest: { hoursAgo: number; ok: boolean } | null): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'backups-'));
  nights.forEach((night, index) => {
    const file = path.join(directory, `brain-${index}.dump`);
    fs.writeFileSync(file, Buffer.alloc(night.bytes, 1));
    const when = new Date(Date.now() - night.hoursAgo * HOUR_MS);
    fs.utimesSync(file, when, when);
  });
  fs.writeFileSync(path.join(directory, 'notes.txt'), 'not a dump');
  if (restoreTest !== null)
    fs.writeFileSync(
      path.join(directory, RESTORE_TEST_LOG),
      `${JSON.stringify({ tested_at: new Date(Date.now() - restoreTest.hoursAgo * HOUR_MS).toISOString(), backup_name: 'brain-1.dump', ok: restoreTest.ok, tables: 41, rows: 1000, detail: restoreTest.ok ? 'row counts match' : 'pg_restore: error: could not read input file' })}\n`,
    );
  return directory;
}

describe('sysbot backup-check', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const directories: string[] = [];
  let tick = Date.now() - 600_000;
  const nextTick = () => new Date((tick += 1000));

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 2 });
    await loadSampleCompany(db);
  });
  afterAll(async () => {
    for (const directory of directories) fs.rmSync(directory, { recursive: true, force: true });
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('is declared daily at 04:00, catching up once, with 26 h / 50% / 8 days as defaults', () => {
    expect(sysbot.jobs?.find((job) => job.id === 'backup-check')).toMatchObject({ schedule: '0 4 * * *', missed: 'once', overlap: 'skip' });
    expect(backupCheckSettings.load({})).toEqual({
      BACKUP_MAX_AGE_HOURS: 26,
      BACKUP_MIN_SIZE_SHARE: 0.5,
      BACKUP_MEDIAN_DAYS: 7,
      BACKUP_RESTORE_TEST_MAX_DAYS: 8,
    });
  });

  it("the sample company's nightly dumps and restore test are healthy: one 'nothing to report' line on a manual run", async () => {
    const result = await runSysbotJob(db, backupCheck, { scheduledFor: nextTick(), manual: true });
    expect(result.outcome).toBe('nothing to report');
    const [line] = await sql`select text from channel_messages where bot = 'sysbot' order by sent_at desc limit 1`;
    expect(line?.['text']).toMatch(/newest backup brain-nightly-0\.dump \(50\.0 MB, .*sample\); last restore test \d{4}-\d{2}-\d{2} passed\./);
  });

  it('a healthy backup directory (BACKUP_DIRECTORY) passes; one whose last dump is 30 h old and tiny, with a failed restore test, is backup_missing', async () => {
    const healthy = plantDirectory(
      [0, 1, 2, 3].map((night) => ({ hoursAgo: 5 + night * 24, bytes: 40_000 })),
      { hoursAgo: 50, ok: true },
    );
    directories.push(healthy);
    expect((await runSysbotJob(db, backupCheck, { scheduledFor: nextTick(), connectorsEnv: { BACKUP_DIRECTORY: healthy } })).outcome).toBe('nothing to report');

    const broken = plantDirectory(
      [30, 54, 78, 102].map((hoursAgo, index) => ({ hoursAgo, bytes: index === 0 ? 9_000 : 40_000 })),
      { hoursAgo: 28, ok: false },
    );
    directories.push(broken);
    const result = await runSysbotJob(db, backupCheck, { scheduledFor: nextTick(), connectorsEnv: { BACKUP_DIRECTORY: broken } });
    expect(result.detail['problems']).toEqual(['stale', 'small', 'restore_failed']);
    const [signal, ...more] = await sql`select id, severity::text, payload from bot_signals where signal_type = 'backup_missing'`;
    expect(more).toEqual([]);
    expect(signal).toMatchObject({ severity: 'alert', payload: { problems: ['stale', 'small', 'restore_failed'], size_bytes: 9000 } });
    const [post] = await sql`select text from channel_messages where bot = 'sysbot' and text like '%Backups: 3 problems%'`;
    expect(post?.['text']).toContain('newest backup brain-0.dump is 30 h old (limit 26 h)');
    expect(post?.['text']).toContain('pg_restore: error: could not read input file');
    // The operator asks: the finding and the newest backup as it is now (the sample company's, on this context).
    expect(await answerOperator(replyTo(String(signal?.['id'])), sysbotContext(db))).toMatch(
      /^backups: newest backup brain-0\.dump is 30 h old .* Now: newest now brain-nightly-0\.dump .* What to do: check the nightly pg_dump timer/,
    );
  });

  it('a tick on a simulated clock 8 days ahead (bench day) still judges the backups against the real clock', async () => {
    const result = await runSysbotJob(db, backupCheck, { scheduledFor: new Date(Date.now() + 8 * 24 * HOUR_MS), simulatedTick: true });
    expect(result.outcome).toBe('nothing to report');
  });

  it('an empty directory is missing backups and a missing restore test', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'backups-'));
    directories.push(empty);
    const result = await runSysbotJob(db, backupCheck, { scheduledFor: nextTick(), connectorsEnv: { BACKUP_DIRECTORY: empty } });
    expect(result.detail['problems']).toEqual(['missing', 'restore_stale']);
  });
});
