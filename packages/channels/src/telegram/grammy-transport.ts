import http from 'node:http';
import readline from 'node:readline';
import { ChannelLiveness, type Logger, type SchedulerClock } from '@jbot/core';
import type { TelegramConfig } from './telegram-config.js';
import { PollingWatchdog } from './polling-watchdog.js';
import { clipText, TELEGRAM_MAX_TEXT } from './fit-message.js';
import { toTelegramSendError } from './telegram-send-error.js';
import type {
  InboundTelegramCallback,
  InboundTelegramMessage,
  TelegramButton,
  TelegramInboundHandler,
  TelegramSendOptions,
  TelegramTransport,
} from './telegram-transport.js';

/**
 * The Telegram transport on grammY. grammY and its auto-retry plugin are imported here, on
 * demand, so only the process that starts Telegram (jbot) ever loads them. Only the
 * allow-listed operator chats are served: an update from any other chat is logged at warn and
 * dropped before any handler, so it is never stored, routed or shown to an LLM.
 */
export async function createGrammyTransport(
  config: TelegramConfig & { token: string },
  log: Logger,
  options: { clock?: SchedulerClock } = {},
): Promise<TelegramTransport> {
  const { Bot, webhookCallback } = await import('grammy');
  const { autoRetry } = await import('@grammyjs/auto-retry');
  const bot = new Bot(config.token, { client: { ...(config.apiRoot === undefined ? {} : { apiRoot: config.apiRoot }), timeoutSeconds: 60 } });
  // sendMessage is never retried here: the dispatcher owns it (durable in the outbox, waits any
  // retry_after, backs off for hours). Edits and callback answers get a few quick retries.
  const quickRetry = autoRetry({ maxRetryAttempts: config.maxRetries, maxDelaySeconds: 60 });
  bot.api.config.use((previous, method, payload, signal) =>
    method === 'sendMessage' ? previous(method, payload, signal) : quickRetry(previous, method, payload, signal),
  );
  const clock: SchedulerClock = options.clock ?? {
    now: Date.now,
    setTimer: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
  const liveness = new ChannelLiveness('telegram', () => clock.now());
  const stallMs = config.pollStallMs ?? 90_000;
  // A restart aborts every getUpdates in flight through this controller, grammY's own stop()
  // confirmation call included (it has no signal of its own and would wait out a hung server).
  let pollAbort = new AbortController();
  let handling = 0;
  // Registered last, so it sees each call's final outcome after the retries above.
  bot.api.config.use(async (previous, method, payload, signal) => {
    if (method !== 'getUpdates') {
      const result = await previous(method, payload, signal);
      if (method === 'sendMessage' && result.ok) liveness.sent();
      return result;
    }
    const abort = pollAbort;
    // grammY types its signal with the abort-controller shim; at run time it is Node's own.
    const combined = signal === undefined ? abort.signal : AbortSignal.any([signal as unknown as AbortSignal, abort.signal]);
    try {
      const result = await previous(method, payload, combined as unknown as typeof signal);
      if (result.ok) liveness.answered();
      else liveness.failed(`getUpdates ${result.error_code}: ${result.description}`);
      return result;
    } catch (error) {
      if (!combined.aborted) liveness.failed(`getUpdates: ${String(error)}`);
      throw error;
    }
  });
  const operatorChats = new Set(config.operatorChatIds);
  const telegramLog = log.child({ channel: 'telegram' });
  let webhookServer: http.Server | undefined;
  let polling: Promise<void> | undefined;

  // An explicit empty keyboard removes the buttons on an edit (after a decision); undefined leaves the markup out.
  const keyboard = (rows: TelegramButton[][] | undefined) => (rows === undefined ? {} : { reply_markup: { inline_keyboard: rows } });

  let registered = false;
  // Registered once: a copy that takes the inbox lease again only restarts receiving.
  const registerHandlers = (handler: TelegramInboundHandler) => {
    // Every update counts as received (a stranger's too: Telegram is delivering); while one is
    // handled grammY does not poll, which the watchdog must not take for a stall.
    bot.use(async (_context, next) => {
      liveness.received();
      handling += 1;
      try {
        await next();
      } finally {
        handling -= 1;
      }
    });
    bot.use(async (context, next) => {
      const chatId = context.chat?.id ?? context.callbackQuery?.message?.chat.id;
      if (chatId === undefined || !operatorChats.has(String(chatId))) {
        telegramLog.warn(
          { chatId, updateId: context.update.update_id, fromId: context.from?.id },
          'ignored an update from a chat that is not an operator chat (TELEGRAM_OPERATOR_CHAT_IDS)',
        );
        return;
      }
      await next();
    });
    bot.on('message:text', async (context) => {
      const message: InboundTelegramMessage = {
        updateId: context.update.update_id,
        chatId: String(context.chat.id),
        senderId: String(context.from?.id ?? context.chat.id),
        messageId: context.message.message_id,
        text: context.message.text,
        replyToMessageId: context.message.reply_to_message?.message_id ?? null,
      };
      await handler.onMessage(message);
    });
    bot.on('callback_query:data', async (context) => {
      const callback: InboundTelegramCallback = {
        updateId: context.update.update_id,
        callbackQueryId: context.callbackQuery.id,
        chatId: String(context.chat?.id ?? context.callbackQuery.message?.chat.id),
        senderId: String(context.from.id),
        senderName: context.from.username === undefined ? context.from.first_name : `@${context.from.username}`,
        messageId: context.callbackQuery.message?.message_id ?? null,
        data: context.callbackQuery.data,
      };
      const notice = await handler.onCallback?.(callback);
      await context
        .answerCallbackQuery(notice === undefined || notice === '' ? {} : { text: notice })
        .catch((error: unknown) => telegramLog.warn({ err: error }, 'could not answer a callback query'));
    });
    // A failing update is logged loudly and polling goes on (grammY would otherwise stop).
    bot.catch((error) => telegramLog.error({ err: error.error, updateId: error.ctx.update.update_id }, 'handling a Telegram update failed'));
  };

  // Long polling, or the webhook server and its registration with Telegram.
  const receive = async () => {
    if (config.mode === 'webhook' && config.webhook !== undefined) {
      const { url, secret, port } = config.webhook;
      await bot.init();
      const callback = webhookCallback(bot, 'http', { secretToken: secret });
      webhookServer = http.createServer((request, response) => {
        if (request.method !== 'POST') {
          response.writeHead(405).end();
          return;
        }
        callback(request, response).catch((error: unknown) => {
          telegramLog.warn({ err: error }, 'webhook request rejected');
          if (!response.headersSent) response.writeHead(500).end();
        });
      });
      await new Promise<void>((resolve) => webhookServer?.listen(port, resolve));
      await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: ['message', 'callback_query'] });
      telegramLog.info({ url, port }, 'Telegram webhook set');
      // Webhook deliveries have no poller to watch; received/sent and getWebhookInfo still show.
      liveness.starting();
      watchdog.start();
      return;
    }
    await bot.init();
    liveness.starting();
    startPolling();
    watchdog.start();
  };
  const startPolling = () => {
    polling = bot
      .start({
        allowed_updates: ['message', 'callback_query'],
        onStart: () => telegramLog.info({ username: bot.botInfo.username }, 'Telegram long polling started'),
      })
      .catch((error: unknown) => {
        liveness.failed(`long polling stopped: ${String(error)}`);
        telegramLog.error({ err: error }, 'Telegram long polling stopped with an error; the watchdog restarts it');
      });
  };
  const stopPolling = async () => {
    const abort = pollAbort;
    const stopping = bot.isRunning() ? bot.stop() : Promise.resolve();
    abort.abort();
    await stopping.catch((error: unknown) => telegramLog.debug({ err: error }, 'confirming the update offset on stop failed; updates are de-duplicated by id'));
    await polling;
    pollAbort = new AbortController();
  };
  const watchdog = new PollingWatchdog(
    liveness,
    {
      isPolling: () => bot.isRunning(),
      isBusy: () => handling > 0,
      async restart() {
        await stopPolling();
        startPolling();
      },
      async webhookInfo() {
        const info = await bot.api.getWebhookInfo();
        return { pendingUpdates: info.pending_update_count, lastErrorDate: info.last_error_date ?? null };
      },
      async getMe() {
        await bot.api.getMe();
      },
    },
    clock,
    { checkMs: Math.round(stallMs / 3), stallMs, downAfterRestarts: config.pollRestartsBeforeDown ?? 2, polling: config.mode !== 'webhook' },
    telegramLog,
  );

  return {
    channel: 'telegram',
    async send(chatId: string, text: string, options: TelegramSendOptions = {}) {
      const sent = await bot.api
        .sendMessage(chatId, clipText(text, TELEGRAM_MAX_TEXT), {
          link_preview_options: { is_disabled: true },
          ...(options.replyToMessageId === undefined ? {} : { reply_parameters: { message_id: options.replyToMessageId, allow_sending_without_reply: true } }),
          ...keyboard(options.inlineKeyboard),
        })
        .catch((error: unknown) => {
          throw toTelegramSendError(error);
        });
      return { messageId: sent.message_id };
    },
    async edit(chatId, messageId, text, inlineKeyboard) {
      await bot.api.editMessageText(chatId, messageId, clipText(text, TELEGRAM_MAX_TEXT), {
        link_preview_options: { is_disabled: true },
        ...keyboard(inlineKeyboard),
      });
    },
    async start(handler: TelegramInboundHandler) {
      if (!registered) registerHandlers(handler);
      registered = true;
      await receive();
    },
    async stop() {
      if (webhookServer !== undefined) {
        const server = webhookServer;
        webhookServer = undefined;
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
      }
      await watchdog.stop();
      liveness.stopped();
      await stopPolling();
    },
    health: () => liveness.snapshot(),
    settled: () => watchdog.settled(),
  };
}

/** Where the local stand-in reads the operator's typed lines (the `pnpm start` terminal). */
export interface LocalOperatorInput {
  /** Lines the operator types; undefined: nobody types here (systemd, a pipe). */
  input?: NodeJS.ReadableStream;
  /** The chat the typed lines come from (jbot's local operator chat). */
  chatId: string;
  /** Who typed them, as stored in operator_messages. */
  senderId: string;
}

/**
 * The local stand-in when no TELEGRAM_BOT_TOKEN is set: lines are logged and recorded as channel
 * 'local'. With an input, the terminal is the operator's Telegram: each typed line is a reply to
 * the latest answerable line sent to the operator's chat (as a person swipes to reply on the
 * phone) and goes to the same inbox handler a Telegram update does.
 */
export function createLocalTelegramTransport(log: Logger, operator?: LocalOperatorInput): TelegramTransport {
  // Ids unique across restarts and copies (the brain keys messages and updates by them), so a
  // reply never resolves to an older run's line and a typed line is never taken for a repeat.
  const seed = Date.now() * 1000 + Math.floor(Math.random() * 1000);
  let nextMessageId = seed;
  let nextUpdateId = seed;
  let latestAnswerable: number | null = null;
  let lines: readline.Interface | undefined;
  return {
    channel: 'local',
    async send(chatId, text, options = {}) {
      const messageId = nextMessageId++;
      log.info({ channel: 'telegram(local)', chatId, messageId }, text);
      if (options.answerable === true && chatId === operator?.chatId) latestAnswerable = messageId;
      return { messageId };
    },
    async edit(chatId, messageId, text) {
      log.info({ channel: 'telegram(local)', chatId, messageId, edited: true }, text);
    },
    async start(handler) {
      if (operator?.input === undefined || lines !== undefined) return;
      const { chatId, senderId } = operator;
      lines = readline.createInterface({ input: operator.input, terminal: false });
      // One line at a time, in order, as Telegram delivers one chat's updates.
      let queue = Promise.resolve();
      lines.on('line', (typed) => {
        const text = typed.trim();
        if (text === '') return;
        const message: InboundTelegramMessage = {
          updateId: nextUpdateId++,
          chatId,
          senderId,
          messageId: nextMessageId++,
          text,
          replyToMessageId: latestAnswerable,
        };
        queue = queue
          .then(() => {
            log.info({ channel: 'telegram(local)', chatId, direction: 'in', replyTo: latestAnswerable }, text);
            return handler.onMessage(message);
          })
          .catch((error: unknown) => log.error({ err: error, text }, "could not handle the operator's typed line"));
      });
    },
    async stop() {
      lines?.close();
      lines = undefined;
    },
  };
}
