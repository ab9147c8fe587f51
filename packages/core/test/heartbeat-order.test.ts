import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, readFleetHeartbeats, startHeartbeat, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';

// A bot that stops while an interval beat ('stopping') is still on the wire must end 'stopped':
// seen in a full run as one bot left 'stopping' after a clean Ctrl-C. The brain is real; the
// slow network is a delay on that one beat.
describe('heartbeats are written in order', () => {
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

  it("a slow 'stopping' beat does not land after the final 'stopped'", async () => {
    const slow: Db = {
      ...db,
      rpc: async (name, args) => {
        if (name === 'beat_heartbeat' && (args as { p_status?: string }).p_status === 'stopping') await new Promise((resolve) => setTimeout(resolve, 300));
        return db.rpc(name, args);
      },
    } as Db;
    const heartbeat = await startHeartbeat({ db: slow, bot: 'socialbot', host: 'h1', version: 'test', intervalMs: 60_000, log: pino({ level: 'silent' }) });
    const stopping = heartbeat.beat('stopping');
    await heartbeat.stop('stopped');
    await stopping;
    const [row] = (await readFleetHeartbeats(db)).filter((beat) => beat.bot === 'socialbot');
    expect(row?.status).toBe('stopped');
  });
});
