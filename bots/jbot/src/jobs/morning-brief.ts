import { defineJob, type Db } from '@jbot/core';
import type { MessageItem } from '@jbot/channels';
import type { JbotConfig } from '../jbot-config.js';

/** At most this many items: the brief is "what needs you now", not a report. */
export const BRIEF_MAX_ITEMS = 5;

interface OpenEscalation {
  [column: string]: unknown;
  signal_id: string;
  source_bot: string;
  severity: string;
  line: string;
  repeat_count: number;
  total: number;
}

/**
 * Queue the brief for each chat: open and held escalations ranked by severity then age, at most
 * five, numbered so each can be answered by replying "<n> <instruction>". Held lines count as
 * shown once briefed. `key` makes a retried run queue the same brief once.
 */
export async function queueMorningBrief(
  db: Db,
  options: { chats: readonly string[]; lookbackHours: number; key: string; now?: Date; greeting?: string },
): Promise<{ items: number; total: number }> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - options.lookbackHours * 3600 * 1000).toISOString();
  const rows = await db.rpc<OpenEscalation>('open_escalations', { p_limit: BRIEF_MAX_ITEMS, p_since: since });
  const total = rows.length === 0 ? 0 : Number(rows[0]?.total ?? rows.length);
  const greeting = options.greeting ?? 'Good morning';
  const items: MessageItem[] = rows.map((row, index) => ({
    n: index + 1,
    signal_id: row.signal_id,
    approval_id: null,
    bot: row.source_bot,
    line: row.line,
    severity: row.severity,
    count: Number(row.repeat_count),
  }));
  const opening =
    rows.length === 0
      ? `${greeting} — nothing needs you now.`
      : `${greeting} — what needs you now (${rows.length}${total > rows.length ? ` of ${total}` : ''}).${rows.length > 1 ? ' Reply with the number first to answer one:' : ' Reply to answer it:'}`;
  // Today's sales flash (sales-flash runs at 07:10) is quoted under the opening; it is not an item.
  const flash = await latestFlashHeadline(db, now);
  const header = flash === null ? opening : `${opening}\n📈 ${flash}`;
  for (const chat of options.chats) {
    await db.rpc('enqueue_telegram_message', {
      p_chat_id: chat,
      p_bot: 'jbot',
      p_text: header,
      p_body: { kind: 'brief', items },
      p_signal_id: items.length === 1 ? items[0]?.signal_id : null,
      p_idempotency_key: `brief:${options.key}:${chat}`,
    });
  }
  if (rows.length > 0) await db.rpc('mark_escalations_briefed', { p_signal_ids: rows.map((row) => row.signal_id) });
  return { items: rows.length, total };
}

/** The headline of the sales flash emitted in the last 18 hours, if any. */
async function latestFlashHeadline(db: Db, now: Date): Promise<string | null> {
  const [flash] = await db.rpc<{ payload: { headline?: unknown } }>('list_signals', {
    p_limit: 1,
    p_signal_type: 'sales_flash',
    p_source_bot: 'jbot',
    p_since: new Date(now.getTime() - 18 * 3600 * 1000).toISOString(),
  });
  return typeof flash?.payload.headline === 'string' ? flash.payload.headline : null;
}

/** The cron job: the brief at TELEGRAM_BRIEF_TIME in FLEET_TZ (the scheduler's default zone). */
export const morningBrief = defineJob<JbotConfig>({
  id: 'morning-brief',
  description: 'What needs the operator now: at most five open items, ranked, each answerable',
  schedule: (config) => `${config.briefTime.minute} ${config.briefTime.hour} * * *`,
  missed: 'once',
  graceMs: 3 * 3600 * 1000,
  async run(context) {
    const { config } = context;
    const result = await queueMorningBrief(context.db, { chats: config.chats, lookbackHours: config.briefLookbackHours, key: context.idempotencyKey });
    context.log.info(result, 'morning brief queued');
    return result;
  },
});
