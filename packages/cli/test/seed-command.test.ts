import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const io = { out: (line: string) => lines.push(line), error: (line: string) => lines.push(`error: ${line}`), env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent' } };
    expect(await seedCommand.run([], io)).toBe(0);
    expect(lines.at(-1)).toMatch(/^sample company loaded: 62 deals, 155 orders, 8 inbound shipments, 12 ad campaigns/);
    expect(await seedCommand.run([], io)).toBe(0);
    expect(lines.at(-1)).toMatch(/already loaded/);
    expect(await seedCommand.run(['--reset', '--json'], io)).toBe(0);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ loaded: true, deals: 62 });
  });
});
