import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { staleDeals } from '@jbot/salesbot/signals';
import {
  catalogSignalTypes,
  createPostgresDb,
  createSignalEmitter,
  defineBot,
  SignalRegistry,
  startBot,
  type Db,
  type OperatorInstruction,
  type RunningBot,
} from '@jbot/core';
import { freshDatabase, waitFor, type TestDatabase, testBotConfig } from '@jbot/testkit';
import { createJbot, LOCAL_OPERATOR_CHAT } from '../src/index.js';

// Without a Telegram token the `pnpm start` terminal is the operator's Telegram: what jbot and the
// bots say to the operator is printed there, and a typed line is a reply to the latest line —
// stored, linked and routed by the same inbox as a Telegram update.
describe('the local operator console (no Telegram token)', () => {
  let database: TestDatabase;
  let db: Db;
  let sql: postgres.Sql;
  let jbot: RunningBot;
  let salesbot: RunningBot;
  const typed = new PassThrough();
  const printed: Array<Record<string, unknown>> = [];
  const instructions: OperatorInstruction[] = [];
  // jbot's log is what the supervisor prints; keep every line to read it back.
  const console = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) printed.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  );
  const shown = (predicate: (entry: Record<string, unknown>) => boolean) =>
    printed.filter((entry) => entry['channel'] === 'telegram(local)' && predicate(entry));

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 6 });
    sql = postgres(database.url, { max: 2 });
    // jbot subscribes to every signal type it is given: the fleet's salesbot type here.
    const registry = new SignalRegistry([...catalogSignalTypes, staleDeals]);
    const fleet = [
      { name: 'jbot', channel: '#jbot', purpose: '' },
      { name: 'salesbot', channel: '#sales-bot', purpose: '' },
    ];
    jbot = await startBot(createJbot({ env: { FLEET_TZ: 'UTC' }, operatorInput: typed }), { db, config: testBotConfig(), log: console, registry, fleet });
    salesbot = await startBot(
      defineBot({
        name: 'salesbot',
        purpose: 'test salesbot',
        channel: '#sales-bot',
        onInstruction: (instruction) => {
          instructions.push(instruction);
          return 'drafting 2 follow-up emails for approval';
        },
      }),
      { db, config: testBotConfig(), log: console },
    );
  });
  afterAll(async () => {
    await salesbot?.stop();
    await jbot?.stop();
    await sql?.end();
    await db?.close();
    await database?.drop();
  });

  it('a typed line answers the latest line: routed to the bot that raised it, linked to its signal, and the acknowledgement is printed', async () => {
    const emit = (bot: string) => createSignalEmitter({ db, registry: new SignalRegistry([...catalogSignalTypes, staleDeals]), bot });
    const stale = await emit('salesbot').emit('stale_deals', {
      deals: [
        { deal_id: 'D-7', name: 'Harbor Home — spring order' },
        { deal_id: 'D-9', name: 'Cedar & Co restock' },
      ],
      threshold_days: 14,
    });
    await waitFor(() => shown((entry) => String(entry['msg']).includes('2 wholesale deals stale')).length > 0, { what: 'the stale-deals line printed' });
    // Lines queued together share one numbered message: answer ours by its number, as the console invites.
    const sent = await waitFor(
      async () =>
        (await sql`select body from channel_messages where channel = 'local' and target = ${LOCAL_OPERATOR_CHAT} and body::text like ${`%${stale.id}%`}`)[0],
      { what: 'the line recorded' },
    );
    const items = (sent['body'] as { items: Array<{ n: number; signal_id: string }> }).items;
    const prefix = items.length > 1 ? `${items.find((item) => item.signal_id === stale.id)?.n} ` : '';

    typed.write(`${prefix}follow up on both\n`);
    await waitFor(() => instructions.length === 1, { what: 'salesbot to receive the typed reply' });
    expect(instructions[0]).toMatchObject({ text: 'follow up on both', signalId: stale.id, channel: 'telegram', senderId: expect.stringMatching(/^local:/) });
    expect(shown((entry) => entry['direction'] === 'in')[0]).toMatchObject({ chatId: LOCAL_OPERATOR_CHAT, msg: `${prefix}follow up on both` });
    const [stored] = await sql`select reply_to_signal_id::text, routed_to from operator_messages`;
    expect(stored).toMatchObject({ reply_to_signal_id: stale.id, routed_to: 'salesbot' });
    // The acknowledgement goes back the way a Telegram one does, and so is printed for the operator.
    await waitFor(() => shown((entry) => entry['msg'] === 'salesbot: drafting 2 follow-up emails for approval').length === 1, {
      what: 'the acknowledgement printed',
    });
    expect(instructions).toHaveLength(1);
  });
});
