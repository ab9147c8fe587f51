import { WakeLoop, type Db, type Logger } from '@jbot/core';
import { renderMessage, type MessageBody, type MessageItem } from './compose-message.js';
import { clipText, groupToFit, TELEGRAM_MAX_TEXT } from './fit-message.js';
import { toTelegramSendError, type TelegramSendError } from './telegram-send-error.js';
import type { TelegramButton, TelegramTransport } from './telegram-transport.js';

/** A claimed outbox row (claim_telegram_outbox). */
interface OutboxRow {
  [column: string]: unknown;
  outbox_id: number;
  chat_id: string;
  bot: string;
  text: string;
  body: { kind?: string; items?: MessageItem[]; buttons?: TelegramButton[][] } & Record<string, unknown>;
  signal_id: string | null;
  approval_id: string | null;
  reply_to_external_message_id: string | null;
  attempts: number;
  repeat_count: number;
  severity: string | null;
}

/** Tuning for the dispatcher. */
export interface TelegramDispatcherOptions {
  db: Db;
  transport: TelegramTransport;
  log: Logger;
  /** Per-chat spacing; messages queued inside it are batched into the next one. */
  minIntervalMs?: number;
  /** Backstop poll when no wake-up arrives. */
  pollMs?: number;
  /** How often sent lines are checked for repeats to re-count. */
  recountMs?: number;
  /** LISTEN for outbox inserts from other processes (postgres transport). */
  listen?: boolean;
  /** First retry delay after a failed send; it doubles per attempt up to backoffMaxMs. A line is never dropped. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A line still undelivered this long after it was queued is raised once (onUndelivered and the log). */
  undeliveredAlertMs?: number;
  /** Told once about each line Telegram has not taken for undeliveredAlertMs (jbot raises it on the work floor). */
  onUndelivered?: (lines: UndeliveredLine[]) => Promise<void>;
  /** The clock "due" is judged by (tests inject one to run hours of outage); default the database's. */
  clock?: () => Date;
  /**
   * The only chats a line may go to (the configured operator chats). A queued line for any other
   * chat — whatever a signal payload or a bot asked for — is refused (status failed, with the
   * reason) and never sent. Unset: no restriction (tests of the dispatcher alone).
   */
  operatorChatIds?: readonly string[];
}

/** A line Telegram has not taken for a while; it stays queued and keeps being retried. */
export interface UndeliveredLine {
  outboxId: number;
  chatId: string;
  bot: string;
  text: string;
  signalId: string | null;
  approvalId: string | null;
  attempts: number;
  /** The last send error. */
  error: string | null;
  queuedAt: string;
}

/**
 * Sends the Telegram outbox. Each drain claims, per chat, everything due whose chat pacing allows
 * a send, and sends it as ONE message: a single line as it is, several as a numbered batch, so a
 * burst meets Telegram's per-chat limit without dropping anything. Every sent message lands in
 * channel_messages with the items it carries, which is how a reply finds its signal. A line is
 * never given up: a failed send is re-queued (Telegram's retry_after, else a capped backoff) for
 * as long as it takes, and one still undelivered after undeliveredAlertMs is raised once.
 */
export class TelegramDispatcher {
  private readonly options: Required<Omit<TelegramDispatcherOptions, 'listen' | 'onUndelivered' | 'clock' | 'operatorChatIds'>> &
    Pick<TelegramDispatcherOptions, 'onUndelivered' | 'clock' | 'operatorChatIds'> & { listen: boolean };
  private readonly loop: WakeLoop;
  // Re-counting has its own loop so a slow edit round never overlaps the next one.
  private readonly recountLoop: WakeLoop;

  constructor(options: TelegramDispatcherOptions) {
    this.options = {
      minIntervalMs: 1000,
      pollMs: 1000,
      recountMs: 1000,
      listen: options.db.transport === 'postgres',
      backoffBaseMs: 2000,
      backoffMaxMs: 300_000,
      undeliveredAlertMs: 600_000,
      ...options,
    };
    const { db, log } = this.options;
    this.loop = new WakeLoop({
      pass: () => this.drain(),
      pollMs: this.options.pollMs,
      log,
      failureMessage: 'Telegram outbox drain failed; the poll backstop will retry',
      listen: this.options.listen ? { db, channel: 'telegram_outbox' } : undefined,
    });
    this.recountLoop = new WakeLoop({
      pass: async () => void (await this.recount()),
      pollMs: this.options.recountMs,
      log,
      failureMessage: 're-counting repeated Telegram lines failed; will retry',
    });
  }

  /** Send what is due now, then on NOTIFY and on the poll; re-count repeated lines on their own period. */
  async start(): Promise<void> {
    await this.loop.start();
    await this.recountLoop.start();
  }

  /** Look for due lines now (coalesces concurrent wake-ups). */
  wake(): void {
    this.loop.wake();
  }

  private async drain(): Promise<void> {
    const { db, minIntervalMs } = this.options;
    for (;;) {
      const rows = await db.rpc<OutboxRow>('claim_telegram_outbox', { p_min_interval_ms: minIntervalMs, ...this.clockArgument() });
      if (rows.length === 0) break;
      const byChat = new Map<string, OutboxRow[]>();
      for (const row of await this.refuseForeignChats(rows)) {
        const list = byChat.get(row.chat_id) ?? [];
        list.push(row);
        byChat.set(row.chat_id, list);
      }
      await Promise.all([...byChat.entries()].map(([chatId, chatRows]) => this.sendBatch(chatId, chatRows)));
    }
    await this.raiseUndelivered();
    await this.scheduleNextDue();
  }

  /** Refuse (once, visibly) claimed lines for chats that are not operator chats; return the rest in queue order. */
  private async refuseForeignChats(rows: OutboxRow[]): Promise<OutboxRow[]> {
    const sorted = [...rows].sort((left, right) => Number(left.outbox_id) - Number(right.outbox_id));
    const allowed = this.options.operatorChatIds;
    if (allowed === undefined) return sorted;
    const foreign = sorted.filter((row) => !allowed.includes(row.chat_id));
    if (foreign.length === 0) return sorted;
    const ids = foreign.map((row) => Number(row.outbox_id));
    await this.options.db.rpc('refuse_telegram_outbox', {
      p_outbox_ids: ids,
      p_error: 'not an operator chat (TELEGRAM_OPERATOR_CHAT_IDS); jbot sends only to operator chats',
    });
    this.options.log.warn(
      { outboxIds: ids, chatIds: [...new Set(foreign.map((row) => row.chat_id))], bots: [...new Set(foreign.map((row) => row.bot))] },
      'refused Telegram lines queued for a chat that is not an operator chat; nothing was sent',
    );
    return sorted.filter((row) => allowed.includes(row.chat_id));
  }

  /** Sleep until the first paced chat may send again, so a batch goes out right on time. */
  private async scheduleNextDue(): Promise<void> {
    const [row] = await this.options.db.rpc<{ next_at: string | null }>('next_telegram_send_at', {});
    if (row?.next_at === null || row?.next_at === undefined) return;
    const delay = Math.max(5, new Date(row.next_at).getTime() - Date.now());
    if (delay > this.options.pollMs) return;
    this.loop.wakeIn(delay);
  }

  /**
   * Send a chat's claimed rows: as few messages as fit Telegram's 4,096 characters (long lines are
   * clipped, a batch too long is split). A refused batch (400) is sent again row by row, so one bad
   * line cannot sink the others; a 429 makes the chat's rest wait Telegram's retry_after.
   */
  private async sendBatch(chatId: string, rows: OutboxRow[]): Promise<void> {
    const groups = groupToFit(rows, (group) => renderMessage(composeBody(group)), TELEGRAM_MAX_TEXT);
    for (const [index, group] of groups.entries()) {
      const failure = await this.sendGroup(chatId, group);
      if (failure?.kind === 'rate_limited') {
        await this.retry(groups.slice(index + 1).flat(), failure);
        return;
      }
    }
  }

  /** Send one message; on failure re-queue its rows (or split a refused batch). Returns a 429 so the caller stops. */
  private async sendGroup(chatId: string, rows: OutboxRow[]): Promise<TelegramSendError | null> {
    try {
      await this.deliver(chatId, rows);
      return null;
    } catch (error) {
      const failure = toTelegramSendError(error);
      if (failure.kind === 'rejected' && rows.length > 1) {
        this.options.log.warn(
          { err: failure, chatId, outboxIds: rows.map((row) => Number(row.outbox_id)) },
          'Telegram refused a batched message; sending its lines one by one',
        );
        for (const [index, row] of rows.entries()) {
          const single = await this.sendGroup(chatId, [row]);
          if (single?.kind === 'rate_limited') {
            await this.retry(rows.slice(index + 1), single);
            return single;
          }
        }
        return null;
      }
      await this.retry(rows, failure);
      return failure;
    }
  }

  private async deliver(chatId: string, rows: OutboxRow[]): Promise<void> {
    const { db, transport } = this.options;
    const body = composeBody(rows);
    // composeBody clips each line; this guards a brief or note that is long as a whole.
    const text = clipText(renderMessage(body), TELEGRAM_MAX_TEXT);
    const single = rows.length === 1 ? rows[0] : undefined;
    const replyTo = single?.reply_to_external_message_id;
    const sent = await transport.send(chatId, text, {
      ...(replyTo === null || replyTo === undefined || !/^\d+$/.test(replyTo) ? {} : { replyToMessageId: Number(replyTo) }),
      ...(body.buttons === undefined ? {} : { inlineKeyboard: body.buttons }),
      ...(body.items.length > 0 ? { answerable: true } : {}),
    });
    const onlyItem = body.items.length === 1 ? body.items[0] : undefined;
    await db.rpc('record_telegram_send', {
      p_outbox_ids: rows.map((row) => Number(row.outbox_id)),
      p_chat_id: chatId,
      p_bot: single?.bot ?? 'jbot',
      p_text: text,
      p_body: body,
      p_signal_id: onlyItem?.signal_id ?? single?.signal_id ?? null,
      p_approval_id: onlyItem?.approval_id ?? single?.approval_id ?? null,
      // Local lines keep their id too: a line typed in the console replies to one of them.
      p_external_message_id: String(sent.messageId),
      p_channel: transport.channel,
    });
  }

  // Back to the queue, for as long as it takes: Telegram's retry_after when it gave one, else a capped backoff.
  private async retry(rows: OutboxRow[], failure: TelegramSendError): Promise<void> {
    if (rows.length === 0) return;
    const { db, log, backoffBaseMs, backoffMaxMs } = this.options;
    const ids = rows.map((row) => Number(row.outbox_id));
    const retried = await db.rpc<{ outbox_id: number; attempts: number; available_at: string }>('retry_telegram_outbox', {
      p_outbox_ids: ids,
      p_error: failure.message,
      p_retry_after_ms: failure.retryAfterMs,
      p_backoff_base_ms: backoffBaseMs,
      p_backoff_max_ms: backoffMaxMs,
      ...this.clockArgument(),
    });
    log.warn(
      { err: failure, chatId: rows[0]?.chat_id, outboxIds: ids, attempts: retried[0]?.attempts, retryAt: retried[0]?.available_at },
      failure.kind === 'rate_limited'
        ? 'Telegram asked to slow down; the lines wait its retry_after'
        : 'Telegram send failed; the lines are re-queued with backoff',
    );
  }

  /** Raise, once each, lines Telegram has not taken for undeliveredAlertMs: in the log and through onUndelivered. */
  private async raiseUndelivered(): Promise<void> {
    const { db, log, undeliveredAlertMs, onUndelivered } = this.options;
    const rows = await db.rpc<{
      outbox_id: number;
      chat_id: string;
      bot: string;
      text: string;
      signal_id: string | null;
      approval_id: string | null;
      attempts: number;
      error: string | null;
      created_at: string | Date;
    }>('raise_undelivered_telegram_lines', { p_older_than_ms: undeliveredAlertMs, ...this.clockArgument() });
    if (rows.length === 0) return;
    const lines: UndeliveredLine[] = rows.map((row) => ({
      outboxId: Number(row.outbox_id),
      chatId: row.chat_id,
      bot: row.bot,
      text: row.text,
      signalId: row.signal_id,
      approvalId: row.approval_id,
      attempts: Number(row.attempts),
      error: row.error,
      queuedAt: new Date(row.created_at).toISOString(),
    }));
    log.error(
      {
        lines: lines.map((line) => ({
          outboxId: line.outboxId,
          chatId: line.chatId,
          bot: line.bot,
          attempts: line.attempts,
          error: line.error,
          queuedAt: line.queuedAt,
        })),
      },
      `${lines.length} Telegram line(s) undelivered for over ${Math.round(undeliveredAlertMs / 60_000)} min; they stay queued and keep being retried`,
    );
    await onUndelivered?.(lines).catch((error: unknown) =>
      log.error(
        { err: error, outboxIds: lines.map((line) => line.outboxId) },
        'raising undelivered Telegram lines on the work floor failed; they were logged above and stay queued',
      ),
    );
  }

  private clockArgument(): { p_now?: string } {
    return this.options.clock === undefined ? {} : { p_now: this.options.clock().toISOString() };
  }

  /** Edit sent lines whose signal repeated since: ten same-key warnings stay one line, "(×10)". */
  async recount(): Promise<number> {
    const { db, transport } = this.options;
    const since = new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString();
    const rows = await db.rpc<{ channel_message_id: string; chat_id: string; external_message_id: string; body: MessageBody; counts: Record<string, number> }>(
      'telegram_lines_to_recount',
      { p_since: since },
    );
    for (const row of rows) {
      const body: MessageBody = {
        ...row.body,
        items: row.body.items.map((item) => ({ ...item, count: item.signal_id === null ? item.count : (row.counts[item.signal_id] ?? item.count) })),
      };
      const text = renderMessage(body);
      if (transport.channel === 'telegram') await transport.edit(row.chat_id, Number(row.external_message_id), text, body.buttons);
      await db.rpc('mark_channel_message_edited', { p_message_id: row.channel_message_id, p_text: text, p_body: body });
    }
    return rows.length;
  }

  /** Stop sending; a send in flight gets `graceMs` to finish (its row is re-claimed later if not). */
  async stop(graceMs = 10_000): Promise<void> {
    await Promise.all([this.loop.stop(graceMs), this.recountLoop.stop(graceMs)]);
  }
}

/** Build one message from a chat's claimed rows: escalations become items, briefs bring their own. */
export function composeBody(
  rows: ReadonlyArray<Pick<OutboxRow, 'outbox_id' | 'bot' | 'text' | 'body' | 'signal_id' | 'approval_id' | 'repeat_count' | 'severity'>>,
): MessageBody {
  const items: MessageItem[] = [];
  const parts: MessageBody['parts'] = [];
  const buttons: TelegramButton[][] = [];
  const addItem = (item: Omit<MessageItem, 'n'>) => {
    items.push({ ...item, n: items.length + 1 });
    parts.push({ item: items.length });
    return items.length;
  };
  let kind = rows.length === 1 ? (rows[0]?.body.kind ?? 'note') : 'batch';
  for (const row of rows) {
    const rowKind = row.body.kind ?? 'note';
    if (rowKind === 'escalation' || rowKind === 'approval') {
      const n = addItem({
        signal_id: row.signal_id,
        approval_id: row.approval_id,
        bot: row.bot,
        line: clipText(row.text),
        severity: row.severity,
        count: Number(row.repeat_count),
      });
      for (const buttonRow of row.body.buttons ?? [])
        buttons.push(buttonRow.map((button) => (rows.length > 1 ? { ...button, text: `${n}: ${button.text}` } : button)));
    } else if (Array.isArray(row.body.items)) {
      if (rows.length > 1 && parts.length > 0) parts.push({ text: '' });
      parts.push({ text: clipText(row.text) });
      for (const item of row.body.items)
        addItem({
          signal_id: item.signal_id,
          approval_id: item.approval_id ?? null,
          bot: item.bot,
          line: clipText(item.line),
          severity: item.severity,
          count: item.count,
        });
      if (rows.length > 1 && rowKind === 'brief') kind = 'brief';
    } else {
      parts.push({ text: clipText(row.text) });
    }
  }
  return { kind, parts, items, ...(buttons.length === 0 ? {} : { buttons }), outbox_ids: rows.map((row) => Number(row.outbox_id)) };
}
