import type { Db, Listener, Logger } from '@jbot/core';
import { renderMessage, type MessageBody, type MessageItem } from './compose-message.js';
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
  maxAttempts?: number;
}

/**
 * Sends the Telegram outbox. Each drain claims, per chat, everything due whose chat pacing allows
 * a send, and sends it as ONE message: a single line as it is, several as a numbered batch, so a
 * burst meets Telegram's per-chat limit without dropping anything. Every sent message lands in
 * channel_messages with the items it carries, which is how a reply finds its signal.
 */
export class TelegramDispatcher {
  private readonly options: Required<Omit<TelegramDispatcherOptions, 'listen'>> & { listen: boolean };
  private listener: Listener | null = null;
  private pollTimer: NodeJS.Timeout | undefined;
  private recountTimer: NodeJS.Timeout | undefined;
  private dueTimer: NodeJS.Timeout | undefined;
  private draining = false;
  private again = false;
  private stopping = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(options: TelegramDispatcherOptions) {
    this.options = { minIntervalMs: 1000, pollMs: 1000, recountMs: 1000, listen: options.db.transport === 'postgres', maxAttempts: 10, ...options };
  }

  async start(): Promise<void> {
    if (this.options.listen) this.listener = await this.options.db.listen('telegram_outbox', () => this.wake());
    this.pollTimer = setInterval(() => this.wake(), this.options.pollMs);
    this.recountTimer = setInterval(() => {
      this.recount().catch((error: unknown) => this.options.log.error({ err: error }, 're-counting repeated Telegram lines failed; will retry'));
    }, this.options.recountMs);
    this.wake();
  }

  /** Look for due lines now (coalesces concurrent wake-ups). */
  wake(): void {
    if (this.stopping) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = true;
    this.idle = this.drain()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'Telegram outbox drain failed; the poll backstop will retry'))
      .finally(() => {
        this.draining = false;
        if (this.again && !this.stopping) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    const { db, minIntervalMs } = this.options;
    for (;;) {
      this.again = false;
      const rows = await db.rpc<OutboxRow>('claim_telegram_outbox', { p_min_interval_ms: minIntervalMs });
      if (rows.length === 0) break;
      const byChat = new Map<string, OutboxRow[]>();
      for (const row of rows.sort((left, right) => Number(left.outbox_id) - Number(right.outbox_id))) {
        const list = byChat.get(row.chat_id) ?? [];
        list.push(row);
        byChat.set(row.chat_id, list);
      }
      await Promise.all([...byChat.entries()].map(([chatId, chatRows]) => this.sendBatch(chatId, chatRows)));
    }
    await this.scheduleNextDue();
  }

  /** Sleep until the first paced chat may send again, so a batch goes out right on time. */
  private async scheduleNextDue(): Promise<void> {
    const [row] = await this.options.db.rpc<{ next_at: string | null }>('next_telegram_send_at', {});
    if (row?.next_at === null || row?.next_at === undefined || this.stopping) return;
    const delay = Math.max(5, new Date(row.next_at).getTime() - Date.now());
    if (delay > this.options.pollMs) return;
    if (this.dueTimer !== undefined) clearTimeout(this.dueTimer);
    this.dueTimer = setTimeout(() => this.wake(), delay);
  }

  private async sendBatch(chatId: string, rows: OutboxRow[]): Promise<void> {
    const { db, transport, log } = this.options;
    const body = composeBody(rows);
    const text = renderMessage(body);
    const single = rows.length === 1 ? rows[0] : undefined;
    const replyTo = single?.reply_to_external_message_id;
    const ids = rows.map((row) => Number(row.outbox_id));
    try {
      const sent = await transport.send(chatId, text, {
        ...(replyTo === null || replyTo === undefined || !/^\d+$/.test(replyTo) ? {} : { replyToMessageId: Number(replyTo) }),
        ...(body.buttons === undefined ? {} : { inlineKeyboard: body.buttons }),
        ...(body.items.length > 0 ? { answerable: true } : {}),
      });
      const onlyItem = body.items.length === 1 ? body.items[0] : undefined;
      await db.rpc('record_telegram_send', {
        p_outbox_ids: ids,
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
    } catch (error) {
      log.warn({ err: error, chatId, outboxIds: ids }, 'Telegram send failed; the lines are re-queued with backoff');
      const failed = await db.rpc<{ outbox_id: number; status: string }>('fail_telegram_outbox', { p_outbox_ids: ids, p_error: String(error), p_max_attempts: this.options.maxAttempts });
      for (const row of failed) if (row.status === 'failed') log.error({ chatId, outboxId: row.outbox_id, error: String(error) }, 'Telegram line failed for good after its last attempt');
    }
  }

  /** Edit sent lines whose signal repeated since: ten same-key warnings stay one line, "(×10)". */
  async recount(): Promise<number> {
    const { db, transport } = this.options;
    const since = new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString();
    const rows = await db.rpc<{ channel_message_id: string; chat_id: string; external_message_id: string; body: MessageBody; counts: Record<string, number> }>('telegram_lines_to_recount', { p_since: since });
    for (const row of rows) {
      const body: MessageBody = { ...row.body, items: row.body.items.map((item) => ({ ...item, count: item.signal_id === null ? item.count : (row.counts[item.signal_id] ?? item.count) })) };
      const text = renderMessage(body);
      if (transport.channel === 'telegram') await transport.edit(row.chat_id, Number(row.external_message_id), text, body.buttons);
      await db.rpc('mark_channel_message_edited', { p_message_id: row.channel_message_id, p_text: text, p_body: body });
    }
    return rows.length;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.pollTimer);
    clearInterval(this.recountTimer);
    clearTimeout(this.dueTimer);
    await this.listener?.close().catch(() => {});
    await this.idle;
  }
}

/** Build one message from a chat's claimed rows: escalations become items, briefs bring their own. */
export function composeBody(rows: ReadonlyArray<Pick<OutboxRow, 'outbox_id' | 'bot' | 'text' | 'body' | 'signal_id' | 'approval_id' | 'repeat_count' | 'severity'>>): MessageBody {
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
      const n = addItem({ signal_id: row.signal_id, approval_id: row.approval_id, bot: row.bot, line: row.text, severity: row.severity, count: Number(row.repeat_count) });
      for (const buttonRow of row.body.buttons ?? []) buttons.push(buttonRow.map((button) => (rows.length > 1 ? { ...button, text: `${n}: ${button.text}` } : button)));
    } else if (Array.isArray(row.body.items)) {
      if (rows.length > 1 && parts.length > 0) parts.push({ text: '' });
      parts.push({ text: row.text });
      for (const item of row.body.items) addItem({ signal_id: item.signal_id, approval_id: item.approval_id ?? null, bot: item.bot, line: item.line, severity: item.severity, count: item.count });
      if (rows.length > 1 && rowKind === 'brief') kind = 'brief';
    } else {
      parts.push({ text: row.text });
    }
  }
  return { kind, parts, items, ...(buttons.length === 0 ? {} : { buttons }), outbox_ids: rows.map((row) => Number(row.outbox_id)) };
}
