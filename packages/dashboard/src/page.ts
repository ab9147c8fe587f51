import { html } from 'hono/html';
import type { Html } from './html-format.js';
import { HINT_TOPICS } from './live-hints.js';
import type { Panel, PanelContext } from './panels/panel.js';

/** The body of one panel with its refresh wiring: a hint on its topics, the poll backstop, or a resume from pause. */
export async function panelSection(panel: Panel, context: PanelContext): Promise<Html> {
  const live = '[fleetLive(this)]';
  const triggers = [...panel.topics.map((topic) => `sse:${topic}${live}`), `every ${context.config.pollMs}ms${live}`, 'fleet:refresh'].join(', ');
  const [filters, body] = await Promise.all([panel.filters?.(context), panel.body(context)]);
  return html`<section class="panel" id="panel-${panel.id}" data-panel="${panel.id}">
    <header>
      <h2>${panel.title}</h2>
      ${filters ?? ''}
    </header>
    <div
      class="panel-body"
      id="${panel.id}-body"
      hx-get="/panels/${panel.id}"
      hx-trigger="${triggers}"
      hx-include="#${panel.id}-filters"
      hx-sync="this:queue last"
      hx-swap="innerHTML"
    >
      ${body}
    </div>
  </section>`;
}

/** The whole page: every panel rendered on the server, then kept fresh by htmx over one SSE stream. */
export async function dashboardPage(panels: readonly Panel[], context: PanelContext, state: { listening: boolean; brain: string }): Promise<Html> {
  const sections = await Promise.all(panels.map((panel) => panelSection(panel, context)));
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>JBOT Fleet</title>
        <link rel="stylesheet" href="/assets/uPlot.min.css" />
        <link rel="stylesheet" href="/assets/dashboard.css" />
        <script defer src="/assets/htmx.min.js"></script>
        <script defer src="/assets/sse.js"></script>
        <script defer src="/assets/uPlot.iife.min.js"></script>
        <script defer src="/assets/dashboard.js"></script>
      </head>
      <body hx-ext="sse" sse-connect="/events" data-topics="${HINT_TOPICS.join(' ')}" data-read-only="${String(context.config.readOnly)}">
        <header class="top">
          <h1>JBOT Fleet</h1>
          <span class="live" id="live-state" data-listening="${String(state.listening)}"
            >${state.listening ? 'live' : `polling every ${context.config.pollMs / 1000} s`} · brain: ${state.brain}</span
          >
          <button type="button" id="pause" aria-pressed="false">Pause</button>
          <span id="new-count" hidden>0 new</span>
          ${context.config.readOnly ? html`<span class="badge status-read_only">read-only</span>` : ''}
        </header>
        <div id="notice" role="status"></div>
        <main>${sections}</main>
      </body>
    </html>`;
}
