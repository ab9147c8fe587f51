import { html } from 'hono/html';
import { badge, shortId, timeCell } from '../html-format.js';
import type { Panel } from './panel.js';

interface InboxRow {
  [column: string]: unknown;
  signal_id: string;
  source_bot: string;
  signal_type: string;
  severity: string;
  line: string;
  state: string;
  created_at: string;
  replies: { id: string; text: string; sender: string; channel: string; status: string; routed_to: string | null; at: string }[];
}

interface OperatorMessageRow {
  [column: string]: unknown;
  operator_message_id: string;
  channel: string;
  sender_id: string;
  text: string;
  reply_to_signal_id: string | null;
  routed_to: string | null;
  status: string;
  created_at: string;
}

/** The operator's inbox: escalations with their state (sent, held, briefed, answered) and the replies; a reply typed here lands like `fleet reply`. */
export const inboxPanel: Panel = {
  id: 'inbox',
  title: "Operator's inbox",
  topics: ['inbox'],
  async body(context) {
    const [escalations, messages] = await Promise.all([
      context.db.rpc<InboxRow>('dashboard_inbox', { p_limit: 30 }),
      context.db.rpc<OperatorMessageRow>('list_operator_messages', { p_limit: 20 }),
    ]);
    const unlinked = messages.filter((message) => message.reply_to_signal_id === null);
    if (escalations.length === 0 && unlinked.length === 0) return html`<p class="empty">Nothing has been escalated to the operator yet.</p>`;
    return html`<ol class="inbox">
        ${escalations.map(
          (row) =>
            html`<li class="escalation severity-${row.severity}" data-id="${row.signal_id}" data-state="${row.state}">
              <div class="meta">
                ${timeCell(row.created_at)} ${badge(row.state)} <strong>${row.source_bot}</strong> ${row.signal_type} <code>${shortId(row.signal_id)}</code>
              </div>
              <div class="line">${row.line}</div>
              ${row.replies.map(
                (reply) =>
                  html`<div class="reply" data-id="${reply.id}">
                    ↳ ${timeCell(reply.at)} <em>${reply.sender}</em> (${reply.channel}): <span class="text">${reply.text}</span> ${badge(reply.status)}
                  </div>`,
              )}
              ${
                context.config.readOnly
                  ? ''
                  : html`<form
                      class="reply-form"
                      method="post"
                      action="/actions/reply"
                      hx-post="/actions/reply"
                      hx-target="#notice"
                      hx-swap="outerHTML"
                      hx-on::after-request="if (event.detail.successful) this.reset()"
                    >
                      <input type="hidden" name="signal_id" value="${row.signal_id}" />
                      <input type="text" name="text" required maxlength="4000" placeholder="reply to ${row.source_bot}…" aria-label="reply" />
                      <button type="submit">Reply</button>
                    </form>`
              }
            </li>`,
        )}
      </ol>
      ${
        unlinked.length === 0
          ? ''
          : html`<h3>Other messages from the operator</h3>
              <ol class="operator-messages">
                ${unlinked.map(
                  (message) =>
                    html`<li data-id="${message.operator_message_id}">
                      ${timeCell(message.created_at)} <em>${message.sender_id}</em> (${message.channel}):
                      <span class="text">${message.text}</span> ${badge(message.status)}
                    </li>`,
                )}
              </ol>`
      }`;
  },
};
