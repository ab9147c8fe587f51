import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { loadSampleCompany, readSampleCompanyData } from '@jbot/connectors';
import { freshDatabase, startFakeHubSpot, startFakeMetaGraph, type TestDatabase } from '@jbot/testkit';
import { sysbot } from '../src/bot.js';
import { credentialExpiry, credentialExpirySettings } from '../src/jobs/credential-expiry.js';
import { answerOperator } from '../src/operator-replies.js';
import { replyTo, runSysbotJob, sysbotContext } from './sysbot-job-harness.js';

const DAY_MS = 86_400_000;

describe('sysbot credential-expiry', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let loadedAt: Date;

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

  it('is declared daily at 06:00 in the company zone, catching up once, with 14/3 days as defaults', () => {
    const job = sysbot.jobs?.find((candidate) => candidate.id === 'credential-expiry');
    expect(job).toMatchObject({ schedule: '0 6 * * *', overlap: 'skip', missed: 'once' });
    expect(job?.tz).toBeUndefined(); // FLEET_TZ
    expect(credentialExpirySettings.load({})).toEqual({ CREDENTIAL_EXPIRY_WARN_DAYS: 14, CREDENTIAL_EXPIRY_ALERT_DAYS: 3 });
  });

  it("finds the sample company's Meta token expiring in 9 days (warning) and nothing else of its 12 credentials", async () => {
    const result = await runSysbotJob(db, credentialExpiry, { scheduledFor: loadedAt });
    expect(result.detail).toMatchObject({ checked: 12, expiring: ['meta warning'] });
    const raised = await sql`select id, severity::text, payload from bot_signals where signal_type = 'credential_expiring'`;
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ severity: 'warning', payload: { connector: 'meta', days_left: 9, probe_status: 200 } });
    const [post] = await sql`select text from channel_messages where bot = 'sysbot' and text like '%Credentials: 1 to renew%'`;
    expect(post?.['text']).toMatch(/Meta system-user token \(ads \+ organic\) \[meta\]: expires in 9 days \(\d{4}-\d{2}-\d{2}\)/);
    const answer = await answerOperator(replyTo(String(raised[0]?.['id'])), sysbotContext(db));
    expect(answer).toMatch(/^Meta system-user token .* expires in 9 days .* To renew: Business Settings → System users → Generate new token/);
    // The same morning again: no second signal, no repost.
    const again = await runSysbotJob(db, credentialExpiry, { scheduledFor: new Date(loadedAt.getTime() + 1000) });
    expect(again.outcome).toContain('unchanged');
    expect(await sql`select 1 from bot_signals where signal_type = 'credential_expiring'`).toHaveLength(1);
  });

  it('a tick on a simulated clock 8 days ahead (bench day) still counts days left from the real clock', async () => {
    const result = await runSysbotJob(db, credentialExpiry, { scheduledFor: new Date(Date.now() + 8 * DAY_MS), simulatedTick: true });
    expect(result.detail).toMatchObject({ expiring: ['meta warning'] });
  });

  it('2 days left or a refused probe is an alert; a company with every credential far from expiry has none', async () => {
    const other = await freshDatabase();
    const otherDb = createPostgresDb({ url: other.url, poolMax: 2 });
    const otherSql = postgres(other.url, { max: 1 });
    try {
      const data = readSampleCompanyData();
      const credentials = (data.fleet as { credentials: Array<Record<string, unknown>> }).credentials;
      for (const credential of credentials) if (credential['connector'] === 'meta') credential['days_left'] = 90;
      const now = new Date();
      await loadSampleCompany(otherDb, { data, now });
      expect((await runSysbotJob(otherDb, credentialExpiry, { scheduledFor: now })).outcome).toBe('nothing to report');

      await otherSql`update sample_credentials set expires_at = now() + interval '2 days 1 hour' where connector = 'amazon'`;
      await otherSql`update sample_credentials set probe_status = 401 where connector = 'hubspot'`;
      const broken = await runSysbotJob(otherDb, credentialExpiry, { scheduledFor: new Date(now.getTime() + 1000) });
      expect(broken.detail['expiring']).toEqual(['hubspot alert', 'amazon alert']);
    } finally {
      await otherSql.end();
      await otherDb.close();
      await other.drop();
    }
  });

  it('live: reads the notAfter of a real TLS endpoint (CREDENTIAL_TLS_HOSTS) and warns when it is close', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-'));
    const key = path.join(directory, 'key.pem');
    const certificate = path.join(directory, 'cert.pem');
    // A certificate valid for 5 more days, as a host about to lapse would present.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certificate, '-days', '5', '-subj', '/CN=localhost'], {
      stdio: 'ignore',
    });
    const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(certificate) }, (_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const scheduledFor = new Date(Date.now() - 1);
      const result = await runSysbotJob(db, credentialExpiry, { scheduledFor, connectorsEnv: { CREDENTIAL_TLS_HOSTS: `localhost:${port},localhost:1` } });
      expect(result.detail).toMatchObject({ checked: 2, expiring: ['tls warning'] });
      const [raised] = await sql`select payload from bot_signals where signal_type = 'credential_expiring' and payload->>'connector' = 'tls'`;
      expect(raised?.['payload']).toMatchObject({ credential: `TLS certificate localhost:${port}` });
      const expiresAt = Date.parse(String((raised?.['payload'] as { expires_at: string }).expires_at));
      expect(Math.round((expiresAt - Date.now()) / DAY_MS)).toBe(5);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it("live vendors: Meta's debug_token says the token ends in 2 days (alert), a HubSpot token that is refused (alert); the sample table is not read", async () => {
    const meta = await startFakeMetaGraph({
      accessToken: 'EAAfaketoken',
      expiresAt: 0, // a system-user token that never expires …
      dataAccessExpiresAt: Math.round(Date.now() / 1000) + 2 * 86_400 + 3600, // … but whose data access ends in 2 days
    });
    const hubspot = await startFakeHubSpot({ accessToken: 'pat-na1-right' });
    try {
      const result = await runSysbotJob(db, credentialExpiry, {
        scheduledFor: new Date(Date.now() - 5),
        connectorsEnv: {
          META_ACCESS_TOKEN: 'EAAfaketoken',
          META_AD_ACCOUNT_ID: 'act_1',
          META_API_BASE: meta.url,
          HUBSPOT_ACCESS_TOKEN: 'pat-na1-wrong',
          HUBSPOT_API_BASE: hubspot.url,
        },
      });
      expect(result.detail).toMatchObject({ checked: 2, expiring: ['hubspot alert', 'meta alert'] });
      expect(meta.requests.some((request) => /^\/v\d+\.\d+\/debug_token$/.test(request))).toBe(true);
      const raised = await sql`select payload from bot_signals where signal_type = 'credential_expiring' and payload->>'credential' like '%(%_TOKEN)'`;
      expect(raised.map((row) => [row['payload'].connector, row['payload'].days_left, row['payload'].probe_status]).sort()).toEqual([
        ['hubspot', null, 401],
        ['meta', 3, 200],
      ]);
    } finally {
      await meta.close();
      await hubspot.close();
    }
  });
});
