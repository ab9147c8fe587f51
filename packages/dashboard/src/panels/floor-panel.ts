import { html } from 'hono/html';
import { badge, timeCell } from '../html-format.js';
import { botSelect } from './bot-select.js';
import { botFilter, type Panel } from './panel.js';

interface PostRow {
  [column: string]: unknown;
  message_id: string;
  channel: string;
  target: string;
  bot: string;
  text: string;
  status: string;
  created_at: string;
}

/** The work floor: every bot's channel posts, newest first, filterable by bot. */
export const floorPanel: Panel = {
  id: 'floor',
  title: 'Work floor',
  topics: ['posts'],
  filters: (context) => botSelect('floor', context),
  async body(context) {
    const rows = await context.db.rpc<PostRow>('list_channel_messages', { p_bot: botFilter(context.query), p_limit: 40 });
    if (rows.length === 0) return html`<p class="empty">No posts yet.</p>`;
    return html`<ol class="posts">
      ${rows.map(
        (row) =>
          html`<li class="post" data-id="${row.message_id}" data-bot="${row.bot}">
            <div class="meta">
              ${timeCell(row.created_at)} <strong>${row.bot}</strong> → ${row.channel} ${row.target} ${row.status === 'sent' ? '' : badge(row.status)}
            </div>
            <div class="text">${row.text}</div>
          </li>`,
      )}
    </ol>`;
  },
};
