import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { fleetRuntime } from '@jbot/fleet';
import { createPostgresDb, createSignalEmitter, defineBot, startBot, type Db, type OperatorInstruction, type RunningBot } from '@jbot/core';
import { freshDatabase, waitFor, type TestDatabase } from '@jbot/testkit';
import { replyCommand } from '../src/commands/reply.js';

describe('fleet reply', () => {
  let database: TestDatabase;
  let db: Db;
  let salesbot: RunningBot;
  const instructions: OperatorInstruction[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 3 });
    salesbot = await startBot(
      defineBot({ name: 'salesbot', purpose: 'test', channel: '#sales-bot', onInstruction: (instruction) => void instructions.push(instruction) }),
      {
        db,
        log: pino({ level: 'silent' }),
        config: {
          hostId: 'test',
          signals: { pollMs: 100, leaseMs: 5000, maxAttempts: 3, concurrency: 4 },
          heartbeatIntervalMs: 10_000,
          shutdownGraceMs: 1000,
          timeZone: 'UTC',
        },
      },
    );
  });
  afterAll(async () => {
    await salesbot.stop();
    await db.close();
    await database.drop();
  });

  it('acts as the operator: the bot that raised the signal gets the instruction, linked to it', async () => {
    const stale = await createSignalEmitter({ db, registry: fleetRuntime(db).registry, bot: 'salesbot' }).emit('stale_deals', {
      deals: [{ deal_id: 'D-1', name: 'Cedar & Co' }],
      threshold_days: 14,
    });
    const lines: string[] = [];
    const io = {
      out: (line: string) => lines.push(line),
      error: (line: string) => lines.push(`error: ${line}`),
      env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
    };
    expect(await replyCommand.run([stale.id, 'Follow up, draft an email', '--json'], io)).toBe(0);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ to: 'salesbot' });
    await waitFor(() => instructions.length === 1, { what: 'salesbot to get the instruction' });
    expect(instructions[0]).toMatchObject({ text: 'Follow up, draft an email', signalId: stale.id, channel: 'local' });
    const sql = postgres(database.url, { max: 1 });
    try {
      await waitFor(async () => (await sql`select 1 from channel_messages where channel = 'local' and target = 'operator' and bot = 'salesbot'`).length === 1, {
        what: 'the local acknowledgement',
      });
      expect((await sql`select reply_to_signal_id::text as signal from operator_messages`)[0]?.['signal']).toBe(stale.id);
    } finally {
      await sql.end();
    }
    expect(await replyCommand.run(['not-a-uuid', 'x'], io)).toBe(64);
  });
});
