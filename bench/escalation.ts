// Escalation latency: an alert emitted by a bot → jbot routes it → grammY sendMessage received by
// the telegram-test-api emulator. Alerts are spread over 20 operator chats so Telegram's per-chat
// limit (1 msg/s, met by batching) does not apply; a second phase bursts one chat to show the
// batching: every line delivered, in few messages. Real embedded Postgres, one process.
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { catalogSignalTypes, createPostgresDb, createSignalEmitter, SignalRegistry, startBot } from '@jbot/core';
import { createTestDatabase, startTelegramEmulator, startTestPostgres, waitFor } from '@jbot/testkit';
import { createJbot } from '../bots/jbot/src/index.js';
import { percentiles } from './_percentiles.js';

const CHATS = 20;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export default async function run(argv: string[] = []): Promise<Record<string, unknown>> {
  const alerts = Number(argv[0] ?? 240);
  const burst = Number(argv[1] ?? 30);
  const postgresServer = await startTestPostgres();
  const database = await createTestDatabase(postgresServer.port);
  const db = createPostgresDb({ url: database.url, poolMax: 8 });
  const emulator = await startTelegramEmulator();
  const chats = Array.from({ length: CHATS }, (_, index) => String(5000 + index));
  const bots = chats.map((_, index) => `benchbot${String(index).padStart(2, '0')}`);
  const received = new Map<string, number>();
  const messagesPerChat = new Map<string, number>();
  emulator.onBotMessage((message) => {
    messagesPerChat.set(message.chatId, (messagesPerChat.get(message.chatId) ?? 0) + 1);
    for (const match of message.text.matchAll(/Shipment (\S+) is/g))
      if (match[1] !== undefined && !received.has(match[1])) received.set(match[1], performance.now());
  });
  const jbot = await startBot(
    createJbot({
      env: {
        TELEGRAM_BOT_TOKEN: emulator.token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        TELEGRAM_OPERATOR_CHAT_IDS: chats.join(','),
        TELEGRAM_ROUTES: bots.map((bot, index) => `${bot}=${chats[index]}`).join(','),
        FLEET_TZ: 'UTC',
      },
    }),
    {
      db,
      log: pino({ level: 'silent' }),
      config: {
        hostId: 'bench',
        signals: { pollMs: 1000, leaseMs: 30_000, maxAttempts: 5, concurrency: 8 },
        heartbeatIntervalMs: 10_000,
        shutdownGraceMs: 2000,
        timeZone: 'UTC',
      },
    },
  );
  const registry = new SignalRegistry(catalogSignalTypes);
  const emitters = bots.map((bot) => createSignalEmitter({ db, registry, bot }));
  try {
    // Warm-up: one alert per chat (connections, prepared statements, grammY's keep-alive).
    for (let index = 0; index < CHATS; index += 1) await emitters[index]!.emit('freight_delay', { shipment_id: `WARM${index}`, delay_days: 3 });
    await waitFor(() => [...received.keys()].filter((key) => key.startsWith('WARM')).length === CHATS, { timeoutMs: 30_000, what: 'warm-up lines' });
    await sleep(1100);

    // Phase 1: round-robin over the chats every 60 ms → each chat sees one alert per 1.2 s.
    const emittedAt = new Map<string, number>();
    for (let n = 0; n < alerts; n += 1) {
      const id = `SH${String(n).padStart(6, '0')}`;
      emittedAt.set(id, performance.now());
      await emitters[n % CHATS]!.emit('freight_delay', { shipment_id: id, delay_days: 1 + (n % 30) });
      await sleep(60);
    }
    await waitFor(() => [...emittedAt.keys()].every((id) => received.has(id)), { timeoutMs: 60_000, what: 'every alert line' });
    const latencies = [...emittedAt.entries()].map(([id, start]) => (received.get(id) ?? Number.NaN) - start);

    // Phase 2: a burst into one chat: the per-chat limit applies, so lines are batched, never dropped.
    await sleep(1100);
    const burstChat = chats[0]!;
    const before = messagesPerChat.get(burstChat) ?? 0;
    const burstStart = performance.now();
    const burstIds = Array.from({ length: burst }, (_, n) => `BURST${n}`);
    await Promise.all(burstIds.map((id) => emitters[0]!.emit('freight_delay', { shipment_id: id, delay_days: 5 })));
    await waitFor(() => burstIds.every((id) => received.has(id)), { timeoutMs: 60_000, what: 'every burst line' });
    const burstLast = Math.max(...burstIds.map((id) => received.get(id) ?? 0)) - burstStart;

    return {
      alerts,
      chats: CHATS,
      emitToSendMessage: percentiles(latencies),
      targetP99Ms: 500,
      burst: {
        lines: burst,
        delivered: burstIds.filter((id) => received.has(id)).length,
        telegramMessages: (messagesPerChat.get(burstChat) ?? 0) - before,
        lastLineMs: Math.round(burstLast),
      },
    };
  } finally {
    await jbot.stop();
    await emulator.close();
    await db.close();
    await database.drop();
    await postgresServer.stop();
  }
}
