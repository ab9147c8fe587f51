import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { buildBotServices, createPostgresDb, decideApproval, getApproval, repositoryRoot, type Db } from '@jbot/core';
import { createConnectors, loadSampleCompany } from '@jbot/connectors';
import { inboundLeadRouter, salesbot } from '@jbot/salesbot';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';

// The standby acceptance test: salesbot runs as two real processes with distinct FLEET_HOST_ID
// values (as on vps-1 and vps-2) against one database; one is SIGKILLed (a server dying: no
// shutdown, no lease release); the other keeps running every tick, and no tick runs twice.
const fixture = path.join(repositoryRoot, 'packages', 'cli', 'test', 'standby-fixtures', 'standby-salesbot.ts');
// The scheduler's default run lease: a run in flight on a dead host blocks its job for at most this long.
const LEASE_MS = 30_000;

interface RunRow {
  [column: string]: unknown;
  run_id: string;
  scheduled_for: string;
  status: string;
  host: string;
  manual: boolean;
}
interface Beat {
  [column: string]: unknown;
  bot: string;
  host: string;
  status: string;
  pid: number;
}

describe('standby: salesbot on two hosts', () => {
  let database: TestDatabase;
  let db: Db;
  let directory: string;
  const children: ChildProcess[] = [];

  const startHost = (host: string, url = database.url, extraEnv: Record<string, string> = {}) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        DATABASE_URL: url,
        FLEET_HOST_ID: host,
        HEARTBEAT_INTERVAL_MS: '1000',
        LOG_LEVEL: 'warn',
        STANDBY_TICK_LOG: path.join(directory, `ticks-${url.split('/').at(-1) ?? ''}.log`),
        ...extraEnv,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') process.stderr.write(`${host} exited ${code ?? signal}: ${stderr}\n`);
    });
    children.push(child);
    return child;
  };
  const runs = () => db.rpc<RunRow>('list_cron_runs', { p_bot: 'salesbot', p_job: 'standby-tick', p_limit: 100_000 });
  const succeededSince = async (since: number) => (await runs()).filter((row) => row.status === 'succeeded' && Date.parse(row.scheduled_for) >= since);

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url });
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-standby-'));
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await db.close();
    await database.drop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('one host is killed; the other runs every following tick; zero duplicate runs', async () => {
    const hostA = startHost('vps-1');
    const hostB = startHost('vps-2');
    await waitFor(async () => (await db.rpc<Beat>('fleet_heartbeats')).filter((row) => row.bot === 'salesbot' && row.status === 'running').length === 2, {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: 'salesbot running on vps-1 and vps-2',
    });
    const bothUp = Date.now();
    await waitFor(async () => (await succeededSince(bothUp)).length >= 6, { timeoutMs: 30_000, intervalMs: 200, what: 'six ticks with both hosts up' });

    const aDied = new Promise((resolve) => hostA.once('exit', resolve));
    hostA.kill('SIGKILL');
    await aDied;
    const killedAt = Date.now();
    // Allow for a run vps-1 held when it died: its job stays blocked until the lease expires.
    await waitFor(async () => (await succeededSince(killedAt + 1000)).length >= 6, {
      timeoutMs: LEASE_MS + 30_000,
      intervalMs: 200,
      what: 'six ticks after vps-1 died',
    });
    const bExited = new Promise<number | null>((resolve) => hostB.once('exit', resolve));
    hostB.kill('SIGTERM');
    expect(await bExited).toBe(0);

    const rows = (await runs()).filter((row) => !row.manual).sort((left, right) => left.scheduled_for.localeCompare(right.scheduled_for));
    const executions = fs
      .readFileSync(path.join(directory, `ticks-${database.url.split('/').at(-1) ?? ''}.log`), 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [scheduledFor = '', host = ''] = line.split(' ');
        return { scheduledFor: new Date(scheduledFor).toISOString(), host };
      });

    // Zero duplicates: every tick executed at most once (by the processes' own record), and
    // exactly the succeeded rows executed, each on the host the brain says claimed it.
    const executedTicks = executions.map((execution) => execution.scheduledFor);
    expect(new Set(executedTicks).size).toBe(executedTicks.length);
    expect(new Set(rows.map((row) => row.scheduled_for)).size).toBe(rows.length);
    const succeeded = rows.filter((row) => row.status === 'succeeded');
    expect(new Map(executions.map((execution) => [execution.scheduledFor, execution.host]))).toEqual(
      new Map(succeeded.map((row) => [new Date(row.scheduled_for).toISOString(), row.host])),
    );

    // Both hosts were live contenders for the ticks before the kill.
    const beforeKill = succeeded.filter((row) => Date.parse(row.scheduled_for) < killedAt - 1000);
    const afterKill = succeeded.filter((row) => Date.parse(row.scheduled_for) > killedAt + 1000);
    expect(new Set(afterKill.map((row) => row.host))).toEqual(new Set(['vps-2']));

    // No gap: every second from the first tick to the last has its row. A tick vps-1 was running
    // when it died may stay running/abandoned, and its job is blocked (skipped) only within the lease.
    const first = Date.parse(rows[0]?.scheduled_for ?? '');
    const last = Date.parse(rows.at(-1)?.scheduled_for ?? '');
    const bySecond = new Map(rows.map((row) => [Date.parse(row.scheduled_for), row]));
    const dead = rows.filter((row) => row.host === 'vps-1' && (row.status === 'running' || row.status === 'abandoned'));
    const problems: string[] = [];
    for (let second = first; second <= last; second += 1000) {
      const row = bySecond.get(second);
      if (row === undefined) problems.push(`${new Date(second).toISOString()}: no run`);
      else if (
        row.status !== 'succeeded' &&
        !dead.some((run) => run === row || (row.status === 'skipped' && second - Date.parse(run.scheduled_for) <= LEASE_MS))
      )
        problems.push(`${row.scheduled_for}: ${row.status} on ${row.host}`);
    }
    expect(problems).toEqual([]);

    const split = { 'vps-1': beforeKill.filter((row) => row.host === 'vps-1').length, 'vps-2': beforeKill.filter((row) => row.host === 'vps-2').length };
    process.stdout.write(
      `standby: ${rows.length} ticks over ${(last - first) / 1000 + 1} s; before the kill vps-1 won ${split['vps-1']}, vps-2 won ${split['vps-2']}; after it vps-2 ran ${afterKill.length}; in flight at the kill: ${dead.length}\n`,
    );
  }, 150_000);

  it('a host killed in the middle of a run blocks that job only until its lease ends; the run is abandoned, never run twice', async () => {
    const second = await freshDatabase();
    const secondDb = createPostgresDb({ url: second.url });
    try {
      const log = path.join(directory, `ticks-${second.url.split('/').at(-1) ?? ''}.log`);
      const holder = startHost('vps-1', second.url, { STANDBY_SLOW_MS: '600000' });
      await waitFor(async () => (await secondDb.rpc<Beat>('fleet_heartbeats')).some((row) => row.status === 'running'), {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'vps-1 up',
      });
      const survivor = startHost('vps-2', second.url);
      await waitFor(async () => (await secondDb.rpc<Beat>('fleet_heartbeats')).filter((row) => row.status === 'running').length === 2, {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'both up',
      });
      // Kill vps-1 while it is inside a run (it logged the start and is now holding the claim).
      await waitFor(() => fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes(' vps-1 '), {
        timeoutMs: 30_000,
        intervalMs: 20,
        what: 'vps-1 inside a run',
      });
      const died = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGKILL');
      await died;
      const killedAt = Date.now();
      const allRuns = () => secondDb.rpc<RunRow>('list_cron_runs', { p_bot: 'salesbot', p_job: 'standby-tick', p_limit: 100_000 });
      await waitFor(
        async () =>
          (await allRuns()).filter((row) => row.host === 'vps-2' && row.status === 'succeeded' && Date.parse(row.scheduled_for) > killedAt).length >= 3,
        { timeoutMs: LEASE_MS + 40_000, intervalMs: 250, what: 'vps-2 running ticks again' },
      );
      await waitFor(async () => (await allRuns()).some((row) => row.host === 'vps-1' && row.status === 'abandoned'), {
        timeoutMs: 20_000,
        intervalMs: 250,
        what: 'the dead run marked abandoned',
      });
      const exited = new Promise<number | null>((resolve) => survivor.once('exit', resolve));
      survivor.kill('SIGTERM');
      expect(await exited).toBe(0);

      const rows = (await allRuns()).sort((left, right) => left.scheduled_for.localeCompare(right.scheduled_for));
      // A tick vps-1 claimed while its slow run held the job is an overlap skip (not run): on a loaded
      // machine the next tick can be claimed before the kill lands. Only runs that executed count here.
      const dead = rows.filter((row) => row.host === 'vps-1' && row.status !== 'succeeded' && row.status !== 'skipped');
      expect(dead.map((row) => row.status)).toEqual(['abandoned']);
      const deadTick = Date.parse(dead[0]?.scheduled_for ?? '');
      // Each tick executed at most once, and the abandoned one was not run again elsewhere.
      const executed = fs
        .readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => new Date(line.split(' ')[0] ?? '').toISOString());
      expect(new Set(executed).size).toBe(executed.length);
      // After the dead run, vps-2 skips the job only while the dead run's lease is live, then runs every tick.
      const afterDead = rows.filter((row) => Date.parse(row.scheduled_for) > deadTick);
      const firstRun = afterDead.find((row) => row.status === 'succeeded');
      const blockedMs = Date.parse(firstRun?.scheduled_for ?? '') - deadTick;
      // (How long it stayed blocked is printed below as a figure, not asserted: it is a time.)
      expect(blockedMs).toBeGreaterThan(0);
      const blocked = afterDead.filter((row) => Date.parse(row.scheduled_for) < Date.parse(firstRun?.scheduled_for ?? ''));
      // Skipped by vps-2 while the dead run's lease held, or by vps-1 itself for a tick it claimed
      // (as an overlap) before the kill landed, which a loaded machine makes likely.
      expect(blocked.map((row) => `${row.status}@${row.host}`)).toEqual(
        blocked.map((row) => (row.host === 'vps-1' && Date.parse(row.scheduled_for) <= killedAt ? 'skipped@vps-1' : 'skipped@vps-2')),
      );
      const resumed = afterDead.filter((row) => Date.parse(row.scheduled_for) >= Date.parse(firstRun?.scheduled_for ?? ''));
      expect(resumed.map((row) => `${row.status}@${row.host}`)).toEqual(resumed.map(() => 'succeeded@vps-2'));
      for (let index = 1; index < resumed.length; index += 1)
        expect(Date.parse(resumed[index]?.scheduled_for ?? '') - Date.parse(resumed[index - 1]?.scheduled_for ?? '')).toBe(1000);
      process.stdout.write(
        `standby (killed mid-run): the job was blocked ${blockedMs} ms after the dead run's tick (lease ${LEASE_MS} ms), then ${resumed.length} consecutive ticks on vps-2\n`,
      );
    } finally {
      await secondDb.close();
      await second.drop();
    }
  }, 150_000);

  it('approvals decided while salesbot runs on both hosts execute once: each routed lead is assigned and emailed exactly once', async () => {
    const third = await freshDatabase();
    const thirdDb = createPostgresDb({ url: third.url, poolMax: 4 });
    const sql = postgres(third.url, { max: 1, onnotice: () => {} });
    try {
      await loadSampleCompany(thirdDb);
      // inbound-lead-router asks one assign_lead_and_reply per waiting lead (run here, as `fleet run` would).
      const silent = pino({ level: 'silent' });
      const context = buildBotServices(salesbot, { db: thirdDb, log: silent, host: 'cli' }).context(new AbortController().signal, silent, {
        job: inboundLeadRouter.id,
        runId: 'standby-router',
      });
      const outcome = (await inboundLeadRouter.run({
        ...context,
        connectors: createConnectors({ db: thirdDb, env: {} }),
        config: inboundLeadRouter.settings?.load({}) ?? {},
        job: inboundLeadRouter.id,
        runId: 'standby-router',
        scheduledFor: new Date(),
        attempt: 1,
        manual: true,
        idempotencyKey: 'standby-router',
        lastRun: async () => null,
      } as never)) as { detail: { approvals: string[] } };
      const approvalIds = outcome.detail.approvals;
      expect(approvalIds).toHaveLength(4);

      startHost('vps-1', third.url);
      startHost('vps-2', third.url);
      await waitFor(async () => (await thirdDb.rpc<Beat>('fleet_heartbeats')).filter((row) => row.status === 'running').length === 2, {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'salesbot up on vps-1 and vps-2',
      });
      // Decided together: both hosts' approval workers race for every one of them.
      await Promise.all(approvalIds.map((approvalId) => decideApproval(thirdDb, { approvalId, decision: 'approved', decidedBy: 'ana', decidedVia: 'local' })));
      await waitFor(async () => (await Promise.all(approvalIds.map((id) => getApproval(thirdDb, id)))).every((approval) => approval?.status === 'executed'), {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'the 4 approvals executed',
      });

      const assignments = await sql<Array<{ lead_id: string }>>`select lead_id from sample_lead_assignments order by lead_id`;
      expect(assignments.map((row) => row.lead_id)).toEqual(['51309001', '51309002', '51309003', '51309004']);
      const emails = await sql<Array<{ lead_id: string; count: number }>>`
        select lead_id, count(*)::int as count from sample_engagements where lead_id is not null group by lead_id order by lead_id`;
      expect(emails).toEqual(['51309001', '51309002', '51309003', '51309004'].map((lead_id) => ({ lead_id, count: 1 })));
      const executors = await sql<Array<{ claimed_by: string; attempts: number }>>`select claimed_by, attempts from approvals where id in ${sql(approvalIds)}`;
      expect(executors.every((row) => row.attempts === 1)).toBe(true);
      process.stdout.write(`standby (approvals): 4 assign_lead_and_reply executed once each; executors ${executors.map((row) => row.claimed_by).join(', ')}\n`);
    } finally {
      const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
      const exited = running.map((child) => new Promise((resolve) => child.once('exit', resolve)));
      for (const child of running) child.kill('SIGTERM');
      await Promise.all(exited);
      await sql.end();
      await thirdDb.close();
      await third.drop();
    }
  }, 150_000);
});
