import { getApproval, WakeLoop, type Db, type Logger } from '@jbot/core';
import type { TelegramTransport } from '@jbot/channels';
import { renderDecidedMessage } from './decided-approval-message.js';

/** The running refresher. */
export interface ApprovalLineRefresher {
  stop(): Promise<void>;
}

/**
 * Keep the operator's Telegram approval lines true to the brain: when an approval is decided
 * anywhere else (Discord, `fleet approve`, the dashboard), expires, or finishes executing, its
 * line is edited to say so and loses the buttons that no longer decide anything. Woken by the
 * brain's NOTIFY on approvals, with a poll behind it; only the copy holding the inbox lease edits.
 */
export async function startApprovalLineRefresher(options: {
  db: Db;
  transport: TelegramTransport;
  log: Logger;
  isHolder: () => boolean;
  pollMs?: number;
}): Promise<ApprovalLineRefresher> {
  const { db, transport, log } = options;
  const loop = new WakeLoop({
    pollMs: options.pollMs ?? 2000,
    log,
    failureMessage: 'refreshing Telegram approval lines failed; will retry',
    listen: db.transport === 'postgres' ? { db, channel: 'approvals' } : undefined,
    pass: async () => {
      if (!options.isHolder()) return;
      const rows = await db.rpc<{ chat_id: string; external_message_id: string; approval_id: string; status: string }>(
        'telegram_approval_lines_to_refresh',
        {},
      );
      for (const row of rows) {
        const approval = await getApproval(db, row.approval_id);
        if (approval === null || !/^\d+$/.test(row.external_message_id)) continue;
        const messageId = Number(row.external_message_id);
        const rendering = await renderDecidedMessage(db, { chatId: row.chat_id, messageId, approval, decidedHere: null });
        try {
          await transport.edit(row.chat_id, messageId, rendering.text, rendering.buttons);
        } catch (error) {
          // Already showing it (a tap edited it first) is done; anything else is retried next pass.
          if (!String(error).includes('message is not modified')) throw error;
        }
        await db.rpc('mark_telegram_approval_line', { p_chat_id: row.chat_id, p_external_message_id: row.external_message_id, p_status: approval.status });
      }
    },
  });
  await loop.start();
  return { stop: async () => void (await loop.stop(5000)) };
}
