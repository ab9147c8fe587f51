import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { createHostMetricsReader, createPostgresDb, startHeartbeat, type Db, type Heartbeat } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { hostHealth, hostHealthSettings } from '../src/jobs/host-health.js';
import { answerOperator } from '../src/operator-replies.js';
import { replyTo, runSysbotJob, sysbotContext } from './sysbot-job-harness.js';

const silent = pino({ level: 'silent' });
const MINUTE_MS = 60_000;

// A /proc/meminfo as Linux writes it, with the share of memory in use the test wants.
function plantMeminfo(directory: string, usedPct: number): string {
  const file = path.join(directory, `meminfo-${usedPct}`);
  const total = 8_000_000;
  fs.writeFileSync(
    file,
    `MemTotal:       ${total} kB\nMemFree:        ${Math.round(total * 0.01)} kB\nMemAvailable:   ${Math.round((total * (100 - usedPct)) / 100)} kB\nBuffers:          1024 kB\n`,
  );
  return file;
}

describe('sysbot host-health', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let directory: string;
  const beats: Heartbeat[] = [];

  const signals = async () =>
    (await sql`select id, severity::text, payload from bot_signals where signal_type = 'host_unhealthy' order by created_at`).map((row) => ({
      id: String(row['id']),
      severity: String(row['severity']),
      payload: row['payload'] as Record<string, unknown>,
    }));
  const beatAs = async (bot: string, host: string, meminfoPath: string) => {
    const beat = await startHeartbeat({
      db,
      bot,
      host,
      version: '0.1.0',
      intervalMs: 600_000,
      log: silent,
      hostMetrics: createHostMetricsReader({ diskPath: directory, meminfoPath }),
    });
    beats.push(beat);
    return beat;
  };

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 2 });
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'host-'));
  });
  afterAll(async () => {
    for (const beat of beats) await beat.stop();
    fs.rmSync(directory, { recursive: true, force: true });
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('is declared every 5 minutes with the catalogue thresholds as defaults', () => {
    expect(sysbot.jobs?.find((job) => job.id === 'host-health')).toMatchObject({ schedule: '*/5 * * * *', overlap: 'skip', missed: 'skip' });
    expect(hostHealthSettings.load({})).toMatchObject({
      HOST_HEALTH_DISK_WARN_PCT: 85,
      HOST_HEALTH_DISK_ALERT_PCT: 95,
      HOST_HEALTH_MEMORY_PCT: 90,
      HOST_HEALTH_MEMORY_MINUTES: 10,
      HOST_HEALTH_RSS_FACTOR: 2,
      HOST_HEALTH_MAX_SKEW_MS: 1000,
    });
  });

  it('heartbeats carry the machine as read through the reader: a planted meminfo, the disk of the given path', async () => {
    const beat = await beatAs('shipbot', 'vps-healthy', plantMeminfo(directory, 40));
    await beat.beat();
    const [row] = await sql`select detail from bot_heartbeats where bot = 'shipbot' and host = 'vps-healthy'`;
    const metrics = (row?.['detail'] as { host_metrics: Record<string, number> }).host_metrics;
    expect(metrics['mem_used_pct']).toBe(40);
    const disk = fs.statfsSync(directory);
    // df's Use%: used over used + available.
    const used = disk.blocks - disk.bfree;
    expect(metrics['disk_used_pct']).toBeCloseTo((100 * used) / (used + disk.bavail), 0);
    expect(metrics['cpus']).toBe(os.availableParallelism());
    expect(typeof (row?.['detail'] as { clock_skew_ms: unknown }).clock_skew_ms).toBe('number');
  });

  it('a systemctl that cannot run costs the unit states, not the disk and memory readings', () => {
    const reading = createHostMetricsReader({
      diskPath: directory,
      meminfoPath: plantMeminfo(directory, 40),
      systemdUnits: true,
      systemctlPath: path.join(directory, 'no-such-systemctl'),
    }).read();
    expect(reading).toMatchObject({ mem_used_pct: 40, units_error: expect.stringContaining('ENOENT') });
    expect(reading.units).toBeUndefined();
  });

  it('a healthy host is not reported; a host at 95% memory for 10 minutes and over the disk limit is', async () => {
    const start = Date.now() - 30 * MINUTE_MS;
    const healthy = await runSysbotJob(db, hostHealth, { scheduledFor: new Date(start), manual: true });
    expect(healthy.outcome).toBe('nothing to report');
    const [line] = await sql`select text from channel_messages where bot = 'sysbot' order by sent_at desc limit 1`;
    expect(line?.['text']).toMatch(/vps-healthy: disk [\d.]+%, memory 40%, load [\d.]+ on \d+ cpus/);

    // vps-2's memory is full. The disk limit is set below this machine's real use, so its real disk counts as full.
    await beatAs('opsbot', 'vps-2', plantMeminfo(directory, 95));
    const env = { HOST_HEALTH_DISK_WARN_PCT: '1', HOST_HEALTH_DISK_ALERT_PCT: '100' };
    // One spike is not "for 10 minutes": the first two ticks see memory high for 0 and 5 minutes.
    for (const minutes of [5, 10]) {
      for (const beat of beats) await beat.beat();
      const result = await runSysbotJob(db, hostHealth, { scheduledFor: new Date(start + minutes * MINUTE_MS), env });
      expect(result.detail['problems']).toEqual(['vps-2 disk warning', 'vps-healthy disk warning']);
    }
    for (const beat of beats) await beat.beat();
    const third = await runSysbotJob(db, hostHealth, { scheduledFor: new Date(start + 15 * MINUTE_MS), env });
    expect(third.detail['problems']).toEqual(['vps-2 disk warning', 'vps-2 memory alert', 'vps-healthy disk warning']);
    const memory = (await signals()).find((signal) => signal.payload['check'] === 'memory');
    expect(memory).toMatchObject({ severity: 'alert', payload: { host: 'vps-2', check: 'memory', value: 95, threshold: 90 } });
    expect(await answerOperator(replyTo(memory?.id ?? ''), sysbotContext(db))).toMatch(
      /^vps-2 memory: memory at or above 95% used for 10 min\. What to do: see which process/,
    );
    // Persisting: the same problems on the next tick raise nothing new.
    const before = (await signals()).length;
    for (const beat of beats) await beat.beat();
    await runSysbotJob(db, hostHealth, { scheduledFor: new Date(start + 20 * MINUTE_MS), env });
    expect(await signals()).toHaveLength(before);
  });

  it("a bot at 3× its usual RSS and a host clock 2.5 s off the brain's are alerts", async () => {
    await sql`delete from bot_signals`;
    const start = Date.now() - 8 * 60 * MINUTE_MS;
    const beatRss = (rss: number, skew: number) =>
      db.rpc('beat_heartbeat', {
        p_bot: 'contentbot',
        p_host: 'vps-3',
        p_pid: 7,
        p_version: '0.1.0',
        p_started_at: new Date(start).toISOString(),
        p_status: 'running',
        p_detail: { rss_mb: rss, clock_skew_ms: skew, host_metrics: { disk_used_pct: 40, mem_used_pct: 50, load1: 0.2, cpus: 2 } },
      });
    for (let tick = 0; tick < 12; tick += 1) {
      await beatRss(120 + (tick % 3), 20);
      await db.rpc('record_host_health_samples', { p_sampled_at: new Date(start + tick * 5 * MINUTE_MS).toISOString() });
    }
    await beatRss(360, -2500);
    const result = await runSysbotJob(db, hostHealth, { scheduledFor: new Date(start + 12 * 5 * MINUTE_MS) });
    expect((result.detail['problems'] as string[]).filter((problem) => problem.startsWith('vps-3'))).toEqual(['vps-3 clock_skew alert', 'vps-3 bot_rss alert']);
    const raised = (await signals()).filter((signal) => signal.payload['host'] === 'vps-3');
    expect(raised.map((signal) => [signal.payload['check'], signal.payload['bot'] ?? null, signal.payload['value']])).toEqual([
      ['clock_skew', null, 2500],
      ['bot_rss', 'contentbot', 360],
    ]);
  });

  it("a failed jbot@ unit that the host's other bots report (systemctl list-units) is an alert naming the bot", async () => {
    await sql`delete from bot_signals`;
    // systemctl as this host answers it: salesbot's unit failed, the others run.
    const systemctl = path.join(directory, 'systemctl');
    fs.writeFileSync(
      systemctl,
      [
        '#!/bin/sh',
        'echo "jbot@jbot.service      loaded active running JBOT Fleet bot jbot"',
        'echo "jbot@salesbot.service  loaded failed failed  JBOT Fleet bot salesbot"',
        'echo "jbot@sysbot.service    loaded active running JBOT Fleet bot sysbot"',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const beat = await startHeartbeat({
      db,
      bot: 'sysbot',
      host: 'vps-4',
      version: '0.1.0',
      intervalMs: 600_000,
      log: silent,
      hostMetrics: createHostMetricsReader({ diskPath: directory, meminfoPath: plantMeminfo(directory, 30), systemdUnits: true, systemctlPath: systemctl }),
    });
    beats.push(beat);
    const result = await runSysbotJob(db, hostHealth, { scheduledFor: new Date(Date.now() - 2 * MINUTE_MS) });
    expect((result.detail['problems'] as string[]).filter((problem) => problem.startsWith('vps-4'))).toEqual(['vps-4 unit_failed alert']);
    const [raised] = (await signals()).filter((signal) => signal.payload['host'] === 'vps-4');
    expect(raised).toMatchObject({ severity: 'alert', payload: { check: 'unit_failed', bot: 'salesbot' } });
    expect(await answerOperator(replyTo(raised?.id ?? ''), sysbotContext(db))).toMatch(
      /jbot@salesbot\.service failed \(failed\).* What to do: read its journal/,
    );
  });
});
