import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { loadSampleCompany, readSampleCompanyData } from '@jbot/connectors';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { connectorHealth, connectorHealthSettings } from '../src/jobs/connector-health.js';
import { answerOperator } from '../src/operator-replies.js';
import { replyTo, runSysbotJob, sysbotContext } from './sysbot-job-harness.js';

describe('sysbot connector-health', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let loadedAt: Date;

  const signals = async () =>
    (await sql`select id, severity::text, payload from bot_signals where signal_type = 'connector_degraded' order by created_at`).map((row) => ({
      id: row['id'] as string,
      severity: row['severity'] as string,
      payload: row['payload'] as Record<string, unknown>,
    }));

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 2 });
    loadedAt = new Date();
    await loadSampleCompany(db, { now: loadedAt });
  });
  afterAll(async () => {
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('is declared on sysbot every 15 minutes with the catalogue thresholds as defaults', () => {
    expect(sysbot.jobs?.find((job) => job.id === 'connector-health')).toMatchObject({
      schedule: '*/15 * * * *',
      timeoutMs: 60_000,
      overlap: 'skip',
      missed: 'skip',
    });
    expect(connectorHealthSettings.load({})).toMatchObject({
      CONNECTOR_HEALTH_ERROR_RATE: 0.2,
      CONNECTOR_HEALTH_MIN_CALLS: 10,
      CONNECTOR_HEALTH_HEADROOM_PCT: 10,
      CONNECTOR_HEALTH_HEADROOM_WINDOWS: 3,
      CONNECTOR_HEALTH_LATENCY_FACTOR: 3,
    });
    expect(() => connectorHealthSettings.load({ CONNECTOR_HEALTH_MIN_CALLS: 'ten' })).toThrow(/CONNECTOR_HEALTH_MIN_CALLS/);
  });

  it("finds the sample company's Klaviyo 429 burst (a rate-limit warning), not the healthy connectors, and posts it once", async () => {
    const first = await runSysbotJob(db, connectorHealth, { scheduledFor: loadedAt });
    expect(first.detail['problems']).toEqual(['email rate_limit warning']);
    const [signal, ...others] = await signals();
    expect(others).toEqual([]);
    expect(signal).toMatchObject({ severity: 'warning', payload: { connector: 'email', source: 'klaviyo', kind: 'rate_limit', http_status: 429 } });
    const posts = await sql`select text from channel_messages where bot = 'sysbot' and text like '%Connector health%'`;
    expect(posts).toHaveLength(1);
    expect(posts[0]?.['text']).toContain('email (klaviyo) rate_limit: under 10% of the rate limit left in 3 windows in a row (lowest 0%, 429s)');
    // The next tick sees the same burst: no repost, no second signal.
    const second = await runSysbotJob(db, connectorHealth, { scheduledFor: new Date(loadedAt.getTime() + 1000) });
    expect(second.outcome).toContain('unchanged since the last run');
    expect(await signals()).toHaveLength(1);

    // The operator asks: the finding, the connector's calls now, and what to do.
    const answer = await answerOperator(replyTo(signal?.id ?? ''), sysbotContext(db));
    expect(answer).toMatch(
      /^email \(klaviyo\) rate_limit: under 10% .* Last 15 min: \d+ calls, 0 refused, 0 failed, lowest rate-limit headroom 0%\. What to do: spread the jobs/,
    );
  });

  it('a burst that persists across midnight (UTC) is still one signal', async () => {
    const midnight = new Date(Date.UTC(loadedAt.getUTCFullYear(), loadedAt.getUTCMonth(), loadedAt.getUTCDate() + 1));
    for (const offset of [-60_000, 60_000])
      await runSysbotJob(db, connectorHealth, { scheduledFor: new Date(midnight.getTime() + offset), simulatedTick: true });
    expect(await signals()).toHaveLength(1);
  });

  it('a 401 is an alert, 5xx on ≥ 20% of ≥ 10 calls is an alert, a latency jump is info; a healthy company has none', async () => {
    const healthy = await freshDatabase();
    const healthyDb = createPostgresDb({ url: healthy.url, poolMax: 2 });
    const healthySql = postgres(healthy.url, { max: 1 });
    try {
      const data = readSampleCompanyData();
      const fleet = data.fleet as { connector_calls: Record<string, unknown> };
      delete fleet.connector_calls['klaviyo_burst'];
      const now = new Date();
      await loadSampleCompany(healthyDb, { data, now });
      const clean = await runSysbotJob(healthyDb, connectorHealth, { scheduledFor: now, manual: true });
      expect(clean.outcome).toBe('nothing to report');
      const [line] = await healthySql`select text from channel_messages where bot = 'sysbot'`;
      expect(line?.['text']).toMatch(/nothing to report\n\d+ connectors, \d+ calls in the last 15 min: no auth failures/);

      // Now break it: Shopify refuses once, HubSpot fails 3 of 12 calls, Meta slows to 10× its usual p95.
      const record = (connector: string, source: string, ok: boolean, status: number | null, latency: number, minutesAgo = 1) =>
        healthyDb.rpc('record_connector_call', {
          p_connector: connector,
          p_source: source,
          p_operation: 'op',
          p_ok: ok,
          p_latency_ms: latency,
          p_http_status: status,
          p_called_at: new Date(now.getTime() - minutesAgo * 60_000).toISOString(),
        });
      await record('commerce', 'shopify', false, 401, 100);
      for (let index = 0; index < 12; index += 1) await record('crm', 'hubspot', index >= 3, index < 3 ? 503 : null, 200);
      for (let index = 0; index < 30; index += 1) await record('ads', 'meta', true, null, 500, 60 + index * 30);
      await record('ads', 'meta', true, null, 9000);
      const broken = await runSysbotJob(healthyDb, connectorHealth, { scheduledFor: new Date(now.getTime() + 1000) });
      expect(broken.detail['problems']).toEqual(['ads latency info', 'commerce auth alert', 'crm errors alert']);
      const raised =
        await healthySql`select severity::text, payload->>'kind' as kind from bot_signals where signal_type = 'connector_degraded' order by payload->>'connector'`;
      expect(raised.map((row) => [row['kind'], row['severity']])).toEqual([
        ['latency', 'info'],
        ['auth', 'alert'],
        ['errors', 'alert'],
      ]);
    } finally {
      await healthySql.end();
      await healthyDb.close();
      await healthy.drop();
    }
  });
});
