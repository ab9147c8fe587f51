import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { freePort } from '../test-postgres.js';

/** A message a bot sent (or edited) as the emulator stores it. */
export interface EmulatedBotMessage {
  messageId: number;
  chatId: string;
  text: string;
  replyToMessageId: number | null;
  inlineKeyboard: Array<Array<{ text: string; callback_data?: string }>> | null;
  /** Epoch ms when the emulator received it. */
  receivedAt: number;
}

/** A bot's answerCallbackQuery as the emulator received it. */
export interface EmulatedCallbackAnswer {
  callbackQueryId: string;
  /** The notice shown to the person who tapped; null when the bot answered without text. */
  text: string | null;
}

/**
 * A Bot API failure the emulator answers instead of the call, as Telegram does in an outage
 * (500), under flood control (429 with retry_after) or refusing a message (400).
 */
export interface EmulatedTelegramFault {
  /** The Bot API method, e.g. "sendMessage". */
  method: string;
  /** The error_code (and HTTP status) of the answer. */
  status: number;
  description?: string;
  retryAfterSeconds?: number;
  /** Only calls whose text matches fail; default every call of the method. */
  textMatches?: RegExp;
  /** How many calls fail before the fault is spent; default until clearFaults(). */
  times?: number;
  /** Do not answer at all (the call hangs until clearFaults() or the client gives up); status is then ignored. */
  hang?: boolean;
}

/** The `telegram-test-api` emulator behind a thin front that speaks real Bot API getUpdates. */
export interface TelegramEmulator {
  /** Point TELEGRAM_API_ROOT here. */
  apiRoot: string;
  token: string;
  /** The operator (or a stranger) writes to the bot; returns the update_id and message_id. */
  sendText(chatId: number, text: string, options?: { replyToMessageId?: number; userId?: number }): Promise<{ updateId: number; messageId: number }>;
  /** The operator presses an inline button under a bot message; `callbackQueryId` finds its answer. */
  pressButton(
    chatId: number,
    messageId: number,
    data: string,
    options?: { userId?: number; firstName?: string; username?: string },
  ): Promise<{ updateId: number; callbackQueryId: string }>;
  /** answerCallbackQuery calls the bot made, oldest first (the notice Telegram shows on a tap). */
  callbackAnswers(): EmulatedCallbackAnswer[];
  /** Telegram redelivers an update (as after a crash before the offset was confirmed). */
  redeliver(updateId: number): void;
  /** Everything bots sent, optionally for one chat, oldest first (edits are applied in place). */
  botMessages(chatId?: number | string): EmulatedBotMessage[];
  /** Called for every sendMessage the emulator stores. */
  onBotMessage(listener: (message: EmulatedBotMessage) => void): () => void;
  /** Updates handed out by getUpdates, in order (for asserting de-duplication). */
  deliveredUpdateIds: number[];
  /** Answer matching calls with an error from now on (see EmulatedTelegramFault). */
  fail(fault: EmulatedTelegramFault): void;
  /** Telegram is healthy again: drop every injected fault. */
  clearFaults(): void;
  /** Calls answered with an injected fault (or refused as too long, or held by a hang), oldest first. */
  failedCalls(): Array<{ method: string; status: number; text: string | null }>;
  /** Updates waiting for the bot to fetch them (getWebhookInfo's pending_update_count). */
  pendingUpdateCount(): number;
  /** getUpdates calls answered (with or without updates) since the start. */
  answeredPolls(): number;
  close(): Promise<void>;
}

interface StoredUpdate {
  updateId: number;
  messageId: number;
  botToken: string;
  time: number;
  isRead: boolean;
  message?: Record<string, unknown>;
  callbackQuery?: Record<string, unknown>;
  callbackId?: number;
}

interface EmulatorServer {
  config: { apiURL: string };
  storage: { userMessages: StoredUpdate[]; botMessages: Array<{ messageId: number; time: number; botToken: string; message: Record<string, unknown> }> };
  start(): Promise<void>;
  stop(): Promise<boolean>;
  addUserMessage(message: Record<string, unknown>): Promise<void>;
  addUserCallback(callback: Record<string, unknown>): Promise<void>;
  on(event: string, listener: () => void): void;
  off(event: string, listener: () => void): void;
}

/**
 * Start the emulator. The upstream package answers getUpdates at once and ignores `offset`, so
 * grammY would spin; the front implements the real contract (updates stay until confirmed by
 * offset, long poll up to `timeout`) and proxies every other method to the emulator unchanged.
 */
export async function startTelegramEmulator(options: { token?: string; longPollMs?: number } = {}): Promise<TelegramEmulator> {
  const token = options.token ?? '123456:emulator-token';
  const require = createRequire(import.meta.url);
  const TelegramServer = require('telegram-test-api') as new (config: Record<string, unknown>) => EmulatorServer;
  const upstreamPort = await freePort();
  const server = new TelegramServer({ port: upstreamPort, host: '127.0.0.1', storeTimeout: 24 * 3600 });
  await server.start();

  const confirmed = new Map<number, StoredUpdate>();
  const delivered: number[] = [];
  const listeners = new Set<(message: EmulatedBotMessage) => void>();
  const callbackAnswers: EmulatedCallbackAnswer[] = [];
  const faults: Array<EmulatedTelegramFault & { remaining: number }> = [];
  const failedCalls: Array<{ method: string; status: number; text: string | null }> = [];
  let nextUpdateId = 1_000;
  let nextMessageId = 10_000;
  let nextCallbackId = 1;
  let botMessagesSeen = 0;
  let answeredPolls = 0;
  // Requests held by a `hang` fault: released (answered as usual) by clearFaults().
  const held = new Set<() => void>();
  const waiting = new Set<() => void>();
  const wakeWaiting = () => {
    for (const wake of [...waiting]) wake();
  };

  const toBotMessage = (stored: { messageId: number; time: number; message: Record<string, unknown> }): EmulatedBotMessage => {
    const message = stored.message;
    const replyParameters = message['reply_parameters'] as { message_id?: number } | undefined;
    const markup = message['reply_markup'] as { inline_keyboard?: EmulatedBotMessage['inlineKeyboard'] } | undefined;
    return {
      messageId: stored.messageId,
      chatId: String(message['chat_id']),
      text: String(message['text'] ?? ''),
      replyToMessageId: replyParameters?.message_id ?? (message['reply_to_message_id'] as number | undefined) ?? null,
      inlineKeyboard: markup?.inline_keyboard ?? null,
      receivedAt: stored.time,
    };
  };

  const formatUpdate = (update: StoredUpdate): Record<string, unknown> =>
    update.callbackQuery !== undefined
      ? { update_id: update.updateId, callback_query: { id: String(update.callbackId), ...update.callbackQuery } }
      : { update_id: update.updateId, message: { ...update.message, message_id: update.messageId } };

  // Redelivered updates go out once more whatever the offset (a restarted poller's view).
  const redelivered = new Set<number>();
  const pending = (offset: number) =>
    server.storage.userMessages
      .filter((update) => update.botToken === token && (update.updateId >= offset || redelivered.has(update.updateId)))
      .sort((left, right) => left.updateId - right.updateId);

  async function getUpdates(body: Record<string, unknown>): Promise<unknown> {
    const offset = Number(body['offset'] ?? 0);
    // A long poll is held at most longPollMs (default 2 s), so a test on a fast clock sees polls come back quickly.
    const timeoutSeconds = Math.min(Number(body['timeout'] ?? 0), (options.longPollMs ?? 2000) / 1000);
    const limit = Number(body['limit'] ?? 100);
    // Confirm (drop) everything before the offset, as Telegram does.
    for (const update of server.storage.userMessages.filter((candidate) => candidate.botToken === token && candidate.updateId < offset))
      confirmed.set(update.updateId, update);
    server.storage.userMessages = server.storage.userMessages.filter(
      (update) => update.botToken !== token || update.updateId >= offset || redelivered.has(update.updateId),
    );
    let updates = pending(offset);
    if (updates.length === 0 && timeoutSeconds > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          waiting.delete(done);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, timeoutSeconds * 1000);
        waiting.add(done);
      });
      updates = pending(offset);
    }
    const result = updates.slice(0, limit);
    for (const update of result) {
      delivered.push(update.updateId);
      if (redelivered.delete(update.updateId)) {
        confirmed.set(update.updateId, update);
        server.storage.userMessages = server.storage.userMessages.filter((candidate) => candidate !== update);
      }
    }
    return { ok: true, result: result.map(formatUpdate) };
  }

  const front = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      void (async () => {
        try {
          const method = /\/([A-Za-z]+)$/.exec(request.url ?? '')?.[1] ?? '';
          const payload =
            raw.length > 0 && (request.headers['content-type'] ?? '').includes('json') ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
          const sentText = typeof payload['text'] === 'string' ? payload['text'] : null;
          const fault = faults.find(
            (candidate) =>
              candidate.method === method && candidate.remaining > 0 && (candidate.textMatches === undefined || candidate.textMatches.test(sentText ?? '')),
          );
          if (fault?.hang === true) {
            // Telegram (or the network to it) stops answering: hold the call until the fault clears.
            fault.remaining -= 1;
            failedCalls.push({ method, status: 0, text: sentText });
            await new Promise<void>((resolve) => {
              const release = () => {
                held.delete(release);
                resolve();
              };
              held.add(release);
              // The client gave up (a timeout, an abort): nothing to answer.
              response.once('close', release);
            });
            if (response.socket === null || response.socket.destroyed) return;
          }
          if (method === 'getUpdates' && (fault === undefined || fault.hang === true)) {
            const result = await getUpdates(payload);
            answeredPolls += 1;
            response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
            return;
          }
          if (method === 'getWebhookInfo' && fault === undefined) {
            const result = { url: '', has_custom_certificate: false, pending_update_count: pendingCount() };
            response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
            return;
          }
          // Telegram refuses a text over 4,096 characters; the upstream emulator accepts anything.
          const refusal =
            (fault?.hang === true ? undefined : fault) ??
            (/^(sendMessage|editMessageText)$/.test(method) && sentText !== null && sentText.length > 4096
              ? { status: 400, description: 'Bad Request: message is too long', retryAfterSeconds: undefined }
              : undefined);
          if (refusal !== undefined) {
            if (fault !== undefined && fault.hang !== true) fault.remaining -= 1;
            failedCalls.push({ method, status: refusal.status, text: sentText });
            const answer = {
              ok: false,
              error_code: refusal.status,
              description: refusal.description ?? `injected ${refusal.status}`,
              ...(refusal.retryAfterSeconds === undefined ? {} : { parameters: { retry_after: refusal.retryAfterSeconds } }),
            };
            response.writeHead(refusal.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
            return;
          }
          // Upstream answers answerCallbackQuery without keeping it; record it so a test can read the notice.
          if (/\/answerCallbackQuery$/.test(request.url ?? '')) {
            const body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
            callbackAnswers.push({ callbackQueryId: String(body['callback_query_id']), text: typeof body['text'] === 'string' ? body['text'] : null });
          }
          const upstream = await fetch(`${server.config.apiURL}${request.url ?? '/'}`, {
            method: request.method ?? 'POST',
            headers: { 'content-type': request.headers['content-type'] ?? 'application/json' },
            ...(request.method === 'GET' || raw.length === 0 ? {} : { body: raw }),
          });
          const text = await upstream.text();
          response.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
          // Notify listeners of new bot messages after the emulator stored them.
          const stored = server.storage.botMessages;
          for (; botMessagesSeen < stored.length; botMessagesSeen += 1) {
            const message = toBotMessage(stored[botMessagesSeen]!);
            for (const listener of listeners) listener(message);
          }
        } catch (error) {
          response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, description: String(error) }));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const apiRoot = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;

  const pendingCount = () => server.storage.userMessages.filter((update) => update.botToken === token).length;
  const push = (update: StoredUpdate) => {
    server.storage.userMessages.push(update);
    wakeWaiting();
  };

  return {
    apiRoot,
    token,
    deliveredUpdateIds: delivered,
    fail(fault) {
      faults.push({ ...fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults() {
      faults.length = 0;
      for (const release of [...held]) release();
    },
    failedCalls() {
      return [...failedCalls];
    },
    pendingUpdateCount: () => pendingCount(),
    answeredPolls: () => answeredPolls,
    async sendText(chatId, text, messageOptions = {}) {
      const updateId = nextUpdateId++;
      const messageId = nextMessageId++;
      const userId = messageOptions.userId ?? chatId;
      push({
        updateId,
        messageId,
        botToken: token,
        time: Date.now(),
        isRead: false,
        message: {
          date: Math.floor(Date.now() / 1000),
          text,
          from: { id: userId, is_bot: false, first_name: 'Operator', username: `user${userId}` },
          chat: { id: chatId, type: 'private', first_name: 'Operator' },
          ...(messageOptions.replyToMessageId === undefined
            ? {}
            : {
                reply_to_message: {
                  message_id: messageOptions.replyToMessageId,
                  date: Math.floor(Date.now() / 1000),
                  chat: { id: chatId, type: 'private' },
                  from: { id: 666, is_bot: true, first_name: 'jbot' },
                },
              }),
        },
      });
      return { updateId, messageId };
    },
    async pressButton(chatId, messageId, data, buttonOptions = {}) {
      const updateId = nextUpdateId++;
      const userId = buttonOptions.userId ?? chatId;
      const callbackId = nextCallbackId++;
      push({
        updateId,
        messageId: nextMessageId++,
        botToken: token,
        time: Date.now(),
        isRead: false,
        callbackId,
        callbackQuery: {
          from: {
            id: userId,
            is_bot: false,
            first_name: buttonOptions.firstName ?? 'Operator',
            ...(buttonOptions.username === undefined ? {} : { username: buttonOptions.username }),
          },
          chat_instance: String(chatId),
          message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' } },
          data,
        },
      });
      return { updateId, callbackQueryId: String(callbackId) };
    },
    callbackAnswers() {
      return [...callbackAnswers];
    },
    redeliver(updateId) {
      const update = confirmed.get(updateId);
      if (update === undefined) throw new Error(`update ${updateId} was never confirmed; nothing to redeliver`);
      // Telegram resends it under the same update_id; put it back ahead of newer ones.
      confirmed.delete(updateId);
      redelivered.add(updateId);
      push(update);
    },
    botMessages(chatId) {
      return server.storage.botMessages
        .filter((stored) => stored.botToken === token)
        .map(toBotMessage)
        .filter((message) => chatId === undefined || message.chatId === String(chatId));
    },
    onBotMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      wakeWaiting();
      for (const release of [...held]) release();
      const closed = new Promise<void>((resolve) => front.close(() => resolve()));
      front.closeAllConnections();
      await closed;
      await server.stop();
    },
  };
}
