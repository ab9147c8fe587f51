import { html } from 'hono/html';
import { listApprovals, statusLine, type Approval } from '@jbot/core';
import { badge, shortId, timeCell, type Html } from '../html-format.js';
import type { Panel, PanelContext } from './panel.js';

/** One approval as an <article>: the draft in full, where it stands, and (while it can be decided) Approve / Reject. */
export function approvalArticle(approval: Approval, context: Pick<PanelContext, 'config'>, notice?: string): Html {
  const expired = approval.status === 'expired' || (approval.status === 'pending' && Date.parse(approval.expiresAt) <= Date.now());
  const decidable = approval.status === 'pending' && !expired && !context.config.readOnly;
  const shown = expired && approval.status === 'pending' ? 'expired' : approval.status;
  return html`<article class="approval" id="approval-${approval.id}" data-id="${approval.id}" data-status="${shown}">
    <header>
      ${badge(shown)} <strong>${approval.bot}</strong> asks: <span class="title">${approval.title}</span>
      <code title="${approval.id}">${shortId(approval.id)}</code>
    </header>
    <pre class="draft">${JSON.stringify(approval.draft, null, 2)}</pre>
    <p class="status-line">
      ${approval.status === 'pending' ? (expired ? `expired at ${approval.expiresAt}; nothing will be done` : `expires ${approval.expiresAt}`) : statusLine(approval)}
    </p>
    <p class="requested muted">requested ${timeCell(approval.requestedAt)} · ${approval.action}</p>
    ${notice === undefined ? '' : html`<p class="notice" role="status">${notice}</p>`}
    ${
      decidable
        ? html`<div class="decide">
            <form
              method="post"
              action="/actions/approvals/${approval.id}/approve"
              hx-post="/actions/approvals/${approval.id}/approve"
              hx-target="#approval-${approval.id}"
              hx-swap="outerHTML"
            >
              <button type="submit" class="approve" data-action="approve">Approve</button>
            </form>
            <form
              method="post"
              action="/actions/approvals/${approval.id}/reject"
              hx-post="/actions/approvals/${approval.id}/reject"
              hx-target="#approval-${approval.id}"
              hx-swap="outerHTML"
            >
              <button type="submit" class="reject" data-action="reject">Reject</button>
            </form>
          </div>`
        : ''
    }
  </article>`;
}

/** Approvals: pending first (oldest waiting on top), then the latest decided ones. */
export const approvalsPanel: Panel = {
  id: 'approvals',
  title: 'Approvals',
  topics: ['approvals'],
  async body(context) {
    const [pending, recent] = await Promise.all([listApprovals(context.db, { status: 'pending', limit: 50 }), listApprovals(context.db, { limit: 30 })]);
    const decided = recent.filter((approval) => approval.status !== 'pending').slice(0, 15);
    if (pending.length === 0 && decided.length === 0) return html`<p class="empty">No approvals yet.</p>`;
    return html`<p class="counts">${pending.length} pending</p>
      ${[...pending].reverse().map((approval) => approvalArticle(approval, context))} ${decided.length === 0 ? '' : html`<h3>Decided</h3>`}
      ${decided.map((approval) => approvalArticle(approval, context))}`;
  },
};
