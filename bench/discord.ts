import { z } from 'zod';
// Approval click → executor start, through the testkit's fake Discord: the click goes out on the
// gateway (INTERACTION_CREATE), discord.js in the owning bot acknowledges it (deferUpdate over
// REST), decide_approval writes the decision, NOTIFY wakes the bot's approval worker, which
// edits the message ("approved by …"), claims the execution and starts the executor. Clicks are
// sequential so each figure is one click's latency, not queueing. Real embedded Postgres.
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createPostgresDb, defineAction, defineBot, startBot, type BotContext } from '@jbot/core';
// The root package does not depend on @jbot/channels; benches reach workspace sources by path (as bench/escalation.ts does).
import { createChannel } from '../packages/channels/src/index.js';
import { createTestDatabase, startFakeDiscord, startTestPostgres, waitFor } from '@jbot/testkit';
import { percentiles } from './_percentiles.js';

const CHANNEL_ID = '100000000000000001';
const APPROVER = '200000000000000001';

export default async function run(argv: string[] = []): Promise<Record<string, unknown>> {
  const clicks = Number(argv[0] ?? 200);
  const postgresServer = await startTestPostgres();
  const database = await createTestDatabase(postgresServer.port);
  const db = createPostgresDb({ url: database.url, poolMax: 8 });
  const discord = await startFakeDiscord();
  const started = new Map<string, number>();
  const contexts: BotContext[] = [];
  const log = pino({ level: 'silent' });
  const rssBefore = process.memoryUsage().rss;
  const channel = await createChannel({
    db,
    bot: 'salesbot',
    log,
    env: { DISCORD_TOKEN: discord.token, DISCORD_API_BASE: discord.apiBase, DISCORD_CHANNEL_SALESBOT: CHANNEL_ID, DISCORD_APPROVER_USER_IDS: APPROVER },
  });
  const bot = await startBot(
    defineBot({
      name: 'salesbot',
      purpose: 'bench',
      actions: [
        defineAction({ name: 'send_followups', draft: z.unknown(), execute: (_draft, _context, approval) => void started.set(approval.id, performance.now()) }),
      ],
      onStart: (context) => void contexts.push(context),
    }),
    {
      db,
      log,
      channel,
      // A long poll: the figures are NOTIFY-driven, as in production.
      approvals: { pollMs: 30_000 },
      config: {
        hostId: 'bench',
        signals: { pollMs: 1000, leaseMs: 30_000, maxAttempts: 5, concurrency: 8 },
        heartbeatIntervalMs: 10_000,
        shutdownGraceMs: 2000,
        timeZone: 'UTC',
      },
    },
  );
  const rssConnected = process.memoryUsage().rss;
  const context = contexts[0];
  if (context === undefined) throw new Error('salesbot did not start');
  // One click: request (POST), click, wait for the executor to start; returns the latencies.
  const click = async (n: number) => {
    const { approval } = await context.approvals.request({
      action: 'send_followups',
      title: `Follow-up #${n}`,
      draft: { to: `buyer${n}@example.com`, body: 'Checking in on the spring order.' },
    });
    const [row] = await db.rpc<{ external_message_id: string }>('approval_messages', { p_approval_id: approval.id });
    const clickedAt = performance.now();
    const interactionId = discord.click({
      messageId: row?.external_message_id ?? '',
      customId: `approval:salesbot:${approval.id}:approve`,
      userId: APPROVER,
      username: 'ana',
    });
    await waitFor(() => started.has(approval.id), { timeoutMs: 10_000, intervalMs: 1, what: `executor start for ${approval.id}` });
    return { start: (started.get(approval.id) ?? Number.NaN) - clickedAt, ack: (discord.response(interactionId)?.acknowledgedAt ?? Number.NaN) - clickedAt };
  };
  try {
    // Warm-up: connections, prepared statements, discord.js's REST keep-alive.
    for (let n = 0; n < 20; n += 1) await click(n);
    // Paced like people: each click costs ~5 REST calls (post, callback, edits), and discord.js
    // holds the bot to Discord's global 50 requests/s, so 150 ms apart keeps each click alone.
    const paced = [];
    for (let n = 0; n < clicks; n += 1) {
      paced.push(await click(100 + n));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    // Back to back: past 50 requests/s discord.js queues requests (rate limits left to it).
    const burst = [];
    for (let n = 0; n < 100; n += 1) burst.push(await click(10_000 + n));
    return {
      clicks,
      clickToExecutorStartMs: percentiles(paced.map((figure) => figure.start)),
      clickToAcknowledgedMs: percentiles(paced.map((figure) => figure.ack)),
      backToBackClickToExecutorStartMs: percentiles(burst.map((figure) => figure.start)),
      rssBeforeDiscordMb: Math.round(rssBefore / 1e6),
      rssDiscordConnectedMb: Math.round(rssConnected / 1e6),
    };
  } finally {
    await bot.stop();
    await discord.close();
    await db.close();
    await database.drop();
    await postgresServer.stop();
  }
}
