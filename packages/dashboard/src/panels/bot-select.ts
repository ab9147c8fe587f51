import { html } from 'hono/html';
import type { Html } from '../html-format.js';
import type { PanelContext } from './panel.js';

/** The bots that ever sent a heartbeat, for a filter's choices. */
export async function knownBots(context: PanelContext): Promise<string[]> {
  const rows = await context.db.rpc<{ bot: string }>('fleet_heartbeats');
  return [...new Set(rows.map((row) => row.bot))].sort();
}

/** A bot filter: a <select name="bot"> in a form that refetches the panel body on change. */
export async function botSelect(panelId: string, context: PanelContext): Promise<Html> {
  const bots = await knownBots(context);
  const chosen = context.query.get('bot') ?? '';
  return html`<form id="${panelId}-filters" class="filters" hx-get="/panels/${panelId}" hx-target="#${panelId}-body" hx-trigger="change">
    <label
      >bot
      <select name="bot" data-filter="bot">
        <option value="">every bot</option>
        ${bots.map((bot) => html`<option value="${bot}" ${bot === chosen ? 'selected' : ''}>${bot}</option>`)}
      </select></label
    >
  </form>`;
}
