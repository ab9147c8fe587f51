import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { loadSampleCompany, readSampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { auditAdvisories, securityAudit, securityAuditSettings } from '../src/jobs/security-audit.js';
import { answerOperator } from '../src/operator-replies.js';
import { replyTo, runSysbotJob, sysbotContext } from './sysbot-job-harness.js';

const CANARY = 'JBOT_CANARY_9f4c2e7a1b';

describe('sysbot security-audit', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let loadedAt: Date;
  let directory: string;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 2 });
    loadedAt = new Date();
    await loadSampleCompany(db, { now: loadedAt });
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-'));
  });
  afterAll(async () => {
    fs.rmSync(directory, { recursive: true, force: true });
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('is declared daily at 05:00, catching up once, with 3 refusals a sender as the default', () => {
    expect(sysbot.jobs?.find((job) => job.id === 'security-audit')).toMatchObject({ schedule: '0 5 * * *', missed: 'once' });
    expect(securityAuditSettings.load({})).toMatchObject({
      SECURITY_AUDIT_REFUSALS_PER_SENDER: 3,
      SECURITY_AUDIT_LOOKBACK_HOURS: 24,
      SECURITY_AUDIT_DEPENDENCIES: false,
    });
  });

  it("finds the sample company's canary secret (critical) and not its two refusals (under 3), without repeating the secret", async () => {
    const result = await runSysbotJob(db, securityAudit, { scheduledFor: loadedAt });
    expect(result.detail).toMatchObject({ lines: 5, kinds: ['secret_in_logs critical'] });
    const raised = await sql`select id, severity::text, payload from bot_signals where signal_type = 'security_event'`;
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ severity: 'critical', payload: { kind: 'secret_in_logs', count: 1, locations: ['sample:mktgbot:4'] } });
    const [post] = await sql`select text from channel_messages where bot = 'sysbot' and text like '%Security review%'`;
    expect(post?.['text']).toContain('canary found in 1 log line (sample:mktgbot:4)');
    // Neither the post nor the signal nor the job's outcome carries the secret itself.
    const everything = JSON.stringify([raised, await sql`select text from channel_messages`, await sql`select outcome, result from cron_runs`]);
    expect(everything).not.toContain(CANARY);
    expect(await answerOperator(replyTo(String(raised[0]?.['id'])), sysbotContext(db))).toMatch(
      /^security secret_in_logs: canary found .* What to do: rotate the secret now/,
    );
  });

  it('live log files (FLEET_LOG_PATHS): a sender refused 3 times is a warning, a leaked key critical; clean files report nothing', async () => {
    const now = Date.now();
    const clean = path.join(directory, 'clean');
    fs.mkdirSync(clean);
    fs.writeFileSync(
      path.join(clean, 'jbot.log'),
      `${JSON.stringify({ level: 30, time: now - 60_000, bot: 'jbot', msg: 'morning brief sent' })}\n${JSON.stringify({ level: 40, time: now - 30_000, msg: 'approval click refused: not on the approver list', userId: '1' })}\n`,
    );
    const scheduledFor = new Date(now - 1);
    expect((await runSysbotJob(db, securityAudit, { scheduledFor, connectorsEnv: { FLEET_LOG_PATHS: clean } })).outcome).toBe('nothing to report');

    const noisy = path.join(directory, 'noisy.log');
    const refused = (minutesAgo: number) =>
      JSON.stringify({
        level: 40,
        time: now - minutesAgo * 60_000,
        channel: 'telegram',
        chatId: 555,
        fromId: 555,
        msg: 'ignored an update from a chat that is not an operator chat (TELEGRAM_OPERATOR_CHAT_IDS)',
      });
    const old = JSON.stringify({ level: 40, time: now - 30 * 3_600_000, fromId: 555, msg: 'ignored an update from a chat that is not an operator chat' });
    fs.writeFileSync(noisy, [old, refused(30), refused(20), refused(10), 'plain line with sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345 in it', ''].join('\n'));
    const result = await runSysbotJob(db, securityAudit, { scheduledFor: new Date(now), connectorsEnv: { FLEET_LOG_PATHS: `${noisy},${clean}` } });
    expect(result.detail['kinds']).toEqual(['secret_in_logs critical', 'refused_sender warning']);
    const [sender] = await sql`select payload from bot_signals where signal_type = 'security_event' and payload->>'kind' = 'refused_sender'`;
    expect(sender?.['payload']).toMatchObject({ actor: 'telegram:555', count: 3 });
    expect(JSON.stringify(await sql`select payload from bot_signals`)).not.toContain('abcdefghijklmnop');
  });

  it('pnpm audit: high and critical advisories are warnings, moderate ones are not', () => {
    const report = {
      advisories: {
        '1': { id: 1, module_name: 'undici', severity: 'high', title: 'Proxy-Authorization leak', url: 'https://github.com/advisories/GHSA-1' },
        '2': { id: 2, module_name: 'left-pad', severity: 'moderate', title: 'slow', url: 'https://github.com/advisories/GHSA-2' },
      },
    };
    expect(auditAdvisories(report).map((finding) => [finding.actor, finding.severity])).toEqual([['undici', 'warning']]);
  });

  it('a healthy company: the fixture without the leaked line is nothing to report', async () => {
    const other = await freshDatabase();
    const otherDb = createPostgresDb({ url: other.url, poolMax: 2 });
    try {
      const data = readSampleCompanyData();
      const fleet = data.fleet as { log_lines: Array<{ fields: Record<string, unknown> }> };
      fleet.log_lines = fleet.log_lines.filter((line) => !JSON.stringify(line).includes('JBOT_CANARY'));
      const now = new Date();
      await loadSampleCompany(otherDb, { data, now });
      expect((await runSysbotJob(otherDb, securityAudit, { scheduledFor: now })).outcome).toBe('nothing to report');
    } finally {
      await otherDb.close();
      await other.drop();
    }
  });
});
