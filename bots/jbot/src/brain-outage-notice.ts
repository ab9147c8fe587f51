import { isTransientBrainError, type Db, type Logger } from '@jbot/core';
import type { TelegramTransport } from '@jbot/channels';

/** How the watch behaves (jbot's settings; tests shorten the times). */
export interface BrainOutageNoticeOptions {
  db: Db;
  transport: TelegramTransport;
  /** The operator's own chat: the first of TELEGRAM_OPERATOR_CHAT_IDS (the console's locally). */
  chatId: string;
  log: Logger;
  /** Whether this copy of jbot carries operator traffic (the inbox lease holder); only it tells. */
  isHolder: () => boolean;
  /** Tell the operator once the brain has been unreachable this long. */
  alertAfterMs: number;
  /** How often the brain is probed. */
  probeMs: number;
  /** A probe that has not answered in this long counts as a failure. */
  probeTimeoutMs?: number;
}

/** The running watch. */
export interface BrainOutageNotice {
  stop(): void;
}

const clock = (date: Date) => date.toISOString().slice(11, 19) + ' UTC';

/**
 * Tell the operator, directly on Telegram, when the brain has been unreachable for a while.
 * Every other alert travels through the brain's outbox, so while the brain is down nobody
 * would be told. One line per outage, sent straight through the transport; when the brain
 * answers again the same line is edited to say for how long it was down (still one line).
 * Only the copy that held the inbox lease before the outage tells, so two jbots send one line.
 */
export function watchBrainReachability(options: BrainOutageNoticeOptions): BrainOutageNotice {
  const { db, transport, chatId, log } = options;
  const probeTimeoutMs = options.probeTimeoutMs ?? 5000;
  let downSince: Date | null = null;
  let lastError = '';
  let notice: { messageId: number } | null = null;
  let heldBeforeOutage = options.isHolder();
  let busy = false;
  let stopped = false;

  const probe = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        db.rpc('db_now'),
        new Promise(
          (_, reject) =>
            (timer = setTimeout(() => reject(Object.assign(new Error(`no answer in ${probeTimeoutMs} ms`), { code: 'ETIMEDOUT' })), probeTimeoutMs)),
        ),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  const tick = async (): Promise<void> => {
    if (busy || stopped) return;
    busy = true;
    // A probe that times out fails seconds after it began: the outage began no later than that.
    const startedAt = new Date();
    try {
      await probe();
      if (downSince !== null) await recovered(downSince);
      downSince = null;
      heldBeforeOutage = options.isHolder();
    } catch (error) {
      // A query error (a bug, a missing function) is not an outage; only unreachability counts.
      if (!isTransientBrainError(error)) return;
      lastError = (error as Error).message;
      downSince ??= startedAt;
      const downMs = Date.now() - downSince.getTime();
      if (notice === null && heldBeforeOutage && downMs >= options.alertAfterMs) await tell(downSince);
    } finally {
      busy = false;
    }
  };

  const tell = async (since: Date): Promise<void> => {
    const text = `⚠️ jbot: the brain (database) has been unreachable since ${clock(since)}. Bots cannot post, raise or execute anything until it is back; nothing is lost, work resumes then. (${lastError.slice(0, 160)})`;
    try {
      notice = await transport.send(chatId, text);
      log.warn({ since: since.toISOString() }, 'the brain is unreachable; told the operator directly on Telegram');
    } catch (error) {
      // Telegram is unreachable too (the host lost its network): try again on the next probe.
      log.warn({ err: error }, 'the brain is unreachable and Telegram did not take the notice either; retrying');
    }
  };

  const recovered = async (since: Date): Promise<void> => {
    const seconds = Math.round((Date.now() - since.getTime()) / 1000);
    log.info({ downSeconds: seconds }, 'the brain answers again');
    if (notice === null) return;
    const sent = notice;
    notice = null;
    const text = `jbot: the brain was unreachable from ${clock(since)} for ${seconds} s; back at ${clock(new Date())}. Alerts raised meanwhile follow now.`;
    await transport.edit(chatId, sent.messageId, text).catch((error: unknown) => log.warn({ err: error }, 'could not update the brain outage notice'));
  };

  const interval = setInterval(() => void tick(), options.probeMs);
  interval.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(interval);
    },
  };
}
