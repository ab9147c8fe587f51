import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { catalogSignalTypes, createPostgresDb, SignalRegistry, startBot, type Db, type RunningBot } from '@jbot/core';
import {
  freshDatabase,
  startTcpForwarder,
  startTelegramEmulator,
  waitFor,
  type TcpForwarder,
  type TelegramEmulator,
  type TestDatabase,
  testBotConfig,
} from '@jbot/testkit';
import { createJbot } from '../src/index.js';

const silent = pino({ level: 'silent' });
const OPERATOR = 1001;

// Every alert travels through the brain's outbox, so while the brain is down nobody is told.
// jbot tells the operator itself, straight through Telegram, once per outage, and edits that
// same line when the brain answers again. The outage is real: jbot's database link is cut.
describe('jbot tells the operator when the brain is unreachable', () => {
  let database: TestDatabase;
  let forwarder: TcpForwarder;
  let db: Db;
  let emulator: TelegramEmulator;
  let running: RunningBot | undefined;

  beforeAll(async () => {
    database = await freshDatabase();
    const upstream = new URL(database.url);
    forwarder = await startTcpForwarder({ host: upstream.hostname, port: Number(upstream.port) });
    db = createPostgresDb({ url: forwarder.urlFor(database.url), poolMax: 4 });
    emulator = await startTelegramEmulator();
    const jbot = createJbot({
      env: {
        TELEGRAM_BOT_TOKEN: emulator.token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        TELEGRAM_OPERATOR_CHAT_IDS: String(OPERATOR),
        FLEET_TZ: 'UTC',
        JBOT_BRAIN_OUTAGE_ALERT_SECONDS: '2',
        JBOT_BRAIN_PROBE_MS: '200',
      },
    });
    running = await startBot(jbot, {
      db,
      config: testBotConfig(),
      log: silent,
      registry: new SignalRegistry(catalogSignalTypes),
      fleet: [{ name: 'jbot', channel: '#jbot', purpose: '' }],
    });
  });
  afterAll(async () => {
    await forwarder.restore();
    await running?.stop();
    await emulator?.close();
    await db?.close();
    await forwarder?.close();
    await database?.drop();
  });

  const brainLines = () => emulator.botMessages(OPERATOR).filter((message) => /the brain/.test(message.text));

  it('one line after the alert delay, none while the brain answers, and the same line updated on its return', async () => {
    expect(brainLines()).toEqual([]);
    // Open every pooled connection first: a connection cut while postgres.js fetches its array
    // types raises an unhandled rejection inside the driver (porsager/postgres#1192), which a
    // bot process logs but a test run reports.
    await Promise.all(Array.from({ length: 4 }, () => db.rpc('db_now')));
    await forwarder.cut();
    const [notice] = await waitFor(() => (brainLines().length > 0 ? brainLines() : undefined), { what: 'the outage notice', timeoutMs: 20_000 });
    expect(notice?.text).toMatch(/^⚠️ jbot: the brain \(database\) has been unreachable since \d\d:\d\d:\d\d UTC\. Bots cannot post/);
    // Many more probes fail while the brain stays away; the operator still has one line.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(brainLines()).toHaveLength(1);

    await forwarder.restore();
    await waitFor(() => brainLines()[0]?.text.startsWith('jbot: the brain was unreachable from'), { what: 'the notice to be updated', timeoutMs: 20_000 });
    expect(brainLines()).toHaveLength(1);
    expect(brainLines()[0]?.text).toMatch(/for \d+ s; back at \d\d:\d\d:\d\d UTC\. Alerts raised meanwhile follow now\.$/);
  });
});
