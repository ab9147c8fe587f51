import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import type { CommandIo } from '../src/command.js';
import { runFleet } from '../src/run-fleet.js';
import { resolveId } from '../src/resolve-id.js';

// Tables print 8 characters of an id; every command taking an id accepts any unique prefix and
// lists the candidates for an ambiguous one, as git does for short hashes.
describe('short ids', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  const twins = ['abcd1234-0000-4000-8000-000000000001', 'abcd1234-1000-4000-8000-000000000002'];
  const loner = 'fe01ab00-0000-4000-8000-000000000003';

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    sql = postgres(database.url, { max: 1 });
    for (const [index, id] of [...twins, loner].entries()) {
      await sql`insert into bot_signals (id, source_bot, signal_type, severity, payload, created_at) values (${id}, 'salesbot', 'stale_deals', 'warning', '{}', now() - ${`${index} minutes`}::interval)`;
    }
  });
  afterAll(async () => {
    await sql.end();
    await db.close();
    await database.drop();
  });

  it('resolves a unique prefix, with or without the dashes, to the one full id', async () => {
    expect(await resolveId(db, 'signal', 'fe01', 'fleet signals')).toEqual({ id: loner });
    expect(await resolveId(db, 'signal', 'FE01AB00', 'fleet signals')).toEqual({ id: loner });
    expect(await resolveId(db, 'signal', 'abcd1234-1', 'fleet signals')).toEqual({ id: twins[1] });
    expect(await resolveId(db, 'signal', 'abcd12341', 'fleet signals')).toEqual({ id: twins[1] });
    expect(await resolveId(db, 'signal', loner, 'fleet signals')).toEqual({ id: loner });
  });

  it('an ambiguous prefix lists each candidate by the prefix that tells it apart; an unknown one says where to look', async () => {
    expect(await resolveId(db, 'signal', 'abcd1234', 'fleet signals')).toEqual({
      problem: [
        'signal id abcd1234 is ambiguous; it matches:',
        expect.stringMatching(/^ {2}abcd1234-0 {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}salesbot {2}stale_deals \(warning\)$/),
        expect.stringMatching(/^ {2}abcd1234-1 {2}.* {2}salesbot {2}stale_deals \(warning\)$/),
        'give more characters of the id',
      ],
    });
    expect(await resolveId(db, 'signal', '0000aaaa', 'fleet signals')).toEqual({ problem: ['no signal with id 0000aaaa (see `fleet signals`)'] });
  });

  it('fleet approve and fleet reply refuse what cannot be an id before touching anything, and report an ambiguous one', async () => {
    const lines: string[] = [];
    const io: CommandIo = { out: (line) => lines.push(line), error: (line) => lines.push(line), env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent' } };
    expect(await runFleet(['approve', 'not-an-id'], io)).toBe(64);
    expect(lines[0]).toBe('fleet approve: "not-an-id" is not an approval id (the hex id or its first characters, as `fleet approvals --all` prints them)');
    lines.length = 0;
    expect(await runFleet(['reply', 'abc', 'follow up'], io)).toBe(64);
    expect(lines[0]).toBe('fleet reply: "abc" is too short to name a signal: give at least 4 characters of its id');
    lines.length = 0;
    expect(await runFleet(['reply', 'abcd1234', 'follow up'], io)).toBe(1);
    expect(lines[0]).toBe('signal id abcd1234 is ambiguous; it matches:');
  });
});
