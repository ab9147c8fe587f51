import { html } from 'hono/html';
import { badge, shortId, timeCell } from '../html-format.js';
import { botSelect } from './bot-select.js';
import { botFilter, type Panel } from './panel.js';

interface SignalRow {
  [column: string]: unknown;
  signal_id: string;
  source_bot: string;
  signal_type: string;
  severity: string;
  payload: unknown;
  repeat_count: number;
  created_at: string;
  receipts: { consumer: string; status: string; attempts: number; error: string | null }[];
}

/** Signals, newest first, each with its delivery per consumer (pending, processing, handled, dead). */
export const signalsPanel: Panel = {
  id: 'signals',
  title: 'Signals',
  topics: ['signals'],
  filters: (context) => botSelect('signals', context),
  async body(context) {
    const rows = await context.db.rpc<SignalRow>('list_signals', { p_limit: 50, p_source_bot: botFilter(context.query) });
    if (rows.length === 0) return html`<p class="empty">No signals yet.</p>`;
    return html`<table>
      <thead>
        <tr>
          <th>when</th>
          <th>bot</th>
          <th>type</th>
          <th>severity</th>
          <th>payload</th>
          <th>deliveries</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) =>
            html`<tr class="signal severity-${row.severity}" data-id="${row.signal_id}" data-bot="${row.source_bot}">
              <td>${timeCell(row.created_at)} <code title="${row.signal_id}">${shortId(row.signal_id)}</code></td>
              <td>${row.source_bot}</td>
              <td>${row.signal_type}${row.repeat_count > 1 ? html` <span class="muted">×${row.repeat_count}</span>` : ''}</td>
              <td>${badge(row.severity)}</td>
              <td><code class="payload">${JSON.stringify(row.payload)}</code></td>
              <td class="deliveries">
                ${
                  row.receipts.length === 0
                    ? html`<span class="muted">no consumer</span>`
                    : row.receipts.map(
                        (receipt) =>
                          html`<span
                            class="delivery"
                            data-consumer="${receipt.consumer}"
                            data-status="${receipt.status}"
                            title="${receipt.error ?? `${receipt.attempts} attempt(s)`}"
                            >${receipt.consumer} ${badge(receipt.status)}</span
                          > `,
                      )
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  },
};
