import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createPostgresDb, startHeartbeat, type Db } from '@jbot/core';
import { freshDatabase, startTcpForwarder, type TcpForwarder, type TestDatabase } from '@jbot/testkit';

// The clock-skew estimate is the midpoint of a beat's round trip against the database clock. A
// beat that took seconds (the reconnect after a brain outage) puts the midpoint seconds off and
// used to warn "fix NTP" on a host whose clock was fine. Such samples are discarded.
describe('heartbeat clock-skew samples', () => {
  let database: TestDatabase;
  let forwarder: TcpForwarder;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase();
    const upstream = new URL(database.url);
    forwarder = await startTcpForwarder({ host: upstream.hostname, port: Number(upstream.port) });
    db = createPostgresDb({ url: forwarder.urlFor(database.url), poolMax: 1 });
  });
  afterAll(async () => {
    await db.close();
    await forwarder.close();
    await database.drop();
  });

  it('a beat whose query reached the database 12 s late does not count as a 6 s skew; no NTP warning', async () => {
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) });
    const heartbeat = await startHeartbeat({ db, bot: 'opsbot', host: 'vps-1', version: 'test', intervalMs: 3600_000, log });
    const honest = heartbeat.skewMs;
    expect(Math.abs(honest)).toBeLessThan(1000);
    forwarder.hold(12_000, 'upstream');
    await heartbeat.beat();
    forwarder.hold(0);
    expect(heartbeat.skewMs).toBe(honest);
    await heartbeat.beat();
    expect(Math.abs(heartbeat.skewMs)).toBeLessThan(1000);
    await heartbeat.stop();
    expect(warnings.filter((message) => /NTP/.test(message))).toEqual([]);
  });
});
