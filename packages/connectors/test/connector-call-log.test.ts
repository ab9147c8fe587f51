import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, startFakeHubSpot, type FakeHubSpot, type TestDatabase } from '@jbot/testkit';
import {
  createConnectors,
  hubspotObjectsFromSample,
  loadSampleCompany,
  logConnectorSet,
  noteRateLimitRemaining,
  readSampleCompanyData,
} from '@jbot/connectors';

const silent = pino({ level: 'silent' });

describe('connector_calls: every connector call, live and sample, recorded in one place', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let hubspot: FakeHubSpot;

  const calls = async () =>
    sql`select connector, source, operation, outcome, http_status, error_code, bot, job, run_id, rate_limit_remaining_pct::float8 as headroom
          from connector_calls order by id`;

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 2 });
    await loadSampleCompany(db);
    await sql`delete from connector_calls`;
    const objects = hubspotObjectsFromSample(readSampleCompanyData(), new Date());
    hubspot = await startFakeHubSpot({ seed: { owners: objects.owners, objects: { deals: objects.deals, contacts: objects.contacts } } });
  });
  afterAll(async () => {
    await hubspot.close();
    await sql.end();
    await db.close();
    await database.drop();
  });

  it("a sample adapter's call is recorded with the run that made it (bot, job, run id from the run's logger)", async () => {
    const connectors = createConnectors({ db, log: silent }).forRun?.({
      abortSignal: new AbortController().signal,
      log: silent.child({ bot: 'salesbot' }).child({ job: 'hubspot-sync', runId: 'run-1' }),
    });
    const deals = await connectors?.crm.listDeals();
    expect(deals?.length).toBeGreaterThan(0);
    expect(await calls()).toEqual([
      {
        connector: 'crm',
        source: 'sample',
        operation: 'listDeals',
        outcome: 'ok',
        http_status: null,
        error_code: null,
        bot: 'salesbot',
        job: 'hubspot-sync',
        run_id: 'run-1',
        headroom: null,
      },
    ]);
    // A plain field is not a call.
    expect(connectors?.crm.source).toBe('sample');
    expect(await calls()).toHaveLength(1);
    await sql`delete from connector_calls`;
  });

  it("a live adapter's 401 and 503 are recorded as auth and server errors, with no token or message in the log", async () => {
    const { crm } = createConnectors({ db, env: { HUBSPOT_ACCESS_TOKEN: hubspot.accessToken, HUBSPOT_API_BASE: hubspot.url } });
    await crm.listOwners();
    hubspot.failNext({ method: 'GET', path: /\/crm\/v3\/owners/, status: 401 });
    await expect(crm.listOwners()).rejects.toThrow();
    hubspot.failNext({ method: 'GET', path: /\/crm\/v3\/owners/, status: 503 });
    await expect(crm.listOwners()).rejects.toThrow();
    const rows = await calls();
    expect(rows.map((row) => [row['source'], row['operation'], row['outcome'], row['http_status']])).toEqual([
      ['hubspot', 'listOwners', 'ok', null],
      ['hubspot', 'listOwners', 'auth', 401],
      ['hubspot', 'listOwners', 'server_error', 503],
    ]);
    const everything = JSON.stringify(await sql`select * from connector_calls`);
    expect(everything).not.toContain(hubspot.accessToken);
    const [summary] = await db.rpc('connector_call_summary', {});
    expect(summary).toMatchObject({ connector: 'crm', source: 'hubspot', calls: 3, auth_failures: 1, last_auth_status: 401, failures: 1 });
    await sql`delete from connector_calls`;
  });

  it('a connector added later is logged without changes, with the rate-limit headroom its adapter reports', async () => {
    const klaviyo = {
      source: 'klaviyo',
      async queryFlowValues() {
        noteRateLimitRemaining(4);
        return { ok: true };
      },
      async listCampaigns(): Promise<never> {
        throw Object.assign(new Error('Too Many Requests: token pk_live_secret'), { status: 429 });
      },
    };
    const { email } = logConnectorSet({ email: klaviyo }, { db, caller: { bot: 'mktgbot', job: 'flow-watch', runId: 'r' } });
    expect(await email.queryFlowValues()).toEqual({ ok: true });
    await expect(email.listCampaigns()).rejects.toThrow('Too Many Requests');
    const rows = await calls();
    expect(rows.map((row) => [row['connector'], row['operation'], row['outcome'], row['http_status'], row['headroom']])).toEqual([
      ['email', 'queryFlowValues', 'ok', null, 4],
      ['email', 'listCampaigns', 'rate_limited', 429, 0],
    ]);
    expect(JSON.stringify(rows)).not.toContain('pk_live_secret');
    const [summary] = await db.rpc('connector_call_summary', {});
    expect(summary).toMatchObject({ connector: 'email', low_headroom_windows: 1, min_headroom_pct: 0 });
  });
});
