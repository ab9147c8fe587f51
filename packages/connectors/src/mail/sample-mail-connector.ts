import type { Db } from '@jbot/core';
import { rpcOne } from '@jbot/core';
import { instant, jsonArray } from '../sample/row-values.js';
import type { MailConnector, MailHeader } from './mail-connector.js';

/** The operator's sample inbox (sample_inbox_messages) and outbox (sample_sent_mail). */
export function createSampleMailConnector(db: Db): MailConnector {
  return {
    source: 'sample',
    defaultExecList: ['exec-team@harborandpine.com'],
    async vipDomains() {
      const [row] = await db.rpc('sample_mailbox_info');
      return row === undefined ? [] : jsonArray<string>(row['vip_domains']).map((domain) => domain.toLowerCase());
    },
    async listNew(cursor, options) {
      const rows = await db.rpc('sample_mail_list_new', {
        p_after_history_id: cursor === null ? null : Number(cursor),
        p_initial_hours: options.initialHours,
      });
      const messages = rows.map((row): MailHeader => ({
        id: String(row['message_id']),
        threadId: String(row['thread_id']),
        fromEmail: String(row['from_email']).toLowerCase(),
        fromName: String(row['from_name']),
        to: jsonArray<string>(row['to_addresses']),
        subject: String(row['subject']),
        snippet: String(row['snippet']),
        receivedAt: instant(row['received_at']) ?? '',
        labels: jsonArray<string>(row['labels']),
        bulk: row['list_unsubscribe'] === true,
      }));
      const latest = await rpcOne<{ history_id: number | string }>(db, 'sample_mail_history_id');
      return { messages, cursor: String(latest.history_id) };
    },
    async send(input) {
      const row = await rpcOne<{ message_id: string; sent: boolean }>(db, 'sample_mail_send', {
        p_idempotency_key: input.idempotencyKey,
        p_to: input.to,
        p_subject: input.subject,
        p_body: input.body,
        p_attachments: input.attachments ?? [],
      });
      return { messageId: String(row.message_id), sent: row.sent === true };
    },
  };
}
