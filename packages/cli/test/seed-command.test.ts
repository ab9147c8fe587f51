import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { seedCommand } from '../src/commands/seed.js';

describe('fleet seed', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('loads the sample company once, keeps it on a second run, reloads on --reset', async () => {
    const lines: string[] = [];
    const io = {
      out: (line: string) => lines.push(line),
      error: (line: string) => lines.push(`error: ${line}`),
      env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
    };
    expect(await seedCommand.run([], io)).toBe(0);
    expect(lines.at(-1)).toMatch(/^sample company loaded: 62 deals, 160 orders, 8 inbound shipments, 12 ad campaigns/);
    expect(await seedCommand.run([], io)).toBe(0);
    expect(lines.at(-1)).toMatch(/already loaded/);
    expect(await seedCommand.run(['--reset', '--json'], io)).toBe(0);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ loaded: true, deals: 62 });
  });

  it("--reset on a brain that is not the local one reloads the sample company but keeps the fleet's signals", async () => {
    const sql = postgres(database.url, { max: 1 });
    try {
      await sql`insert into bot_signals (source_bot, signal_type, severity) values ('opsbot', 'freight_delay', 'alert')`;
      const lines: string[] = [];
      const io = {
        out: (line: string) => lines.push(line),
        error: (line: string) => lines.push(`error: ${line}`),
        env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
      };
      expect(await seedCommand.run(['--reset'], io)).toBe(0);
      expect(lines.at(-1)).toBe(
        "kept the fleet's signals, approvals and messages: this is not the local brain (set FLEET_SAMPLE_DATA=true if it is a demo database)",
      );
      expect(await sql`select 1 from bot_signals`).toHaveLength(1);
      expect(await seedCommand.run(['--reset'], { ...io, env: { ...io.env, FLEET_SAMPLE_DATA: 'true' } })).toBe(0);
      expect(lines.at(-1)).toMatch(/^forgot the fleet's work on the old copy: 1 signal, 0 approvals, 0 messages/);
      expect(await sql`select 1 from bot_signals`).toHaveLength(0);
    } finally {
      await sql.end();
    }
  });
});
