import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** A fragment of HTML; text interpolated into `html` templates is escaped, fragments are not. */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** "12 s", "4 min", "3 h", "2 d" for an age in seconds. */
export function formatAge(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

/** An ISO time as "2026-12-01 14:05:09 UTC", in a <time> element with the exact value. */
export function timeCell(iso: string | null | undefined): Html {
  if (iso === null || iso === undefined) return html`<span class="muted">—</span>`;
  return html`<time datetime="${iso}">${iso.slice(0, 19).replace('T', ' ')}</time>`;
}

/** Dollars with four decimals, as `fleet costs` prints them. */
export function dollars(value: number): string {
  return `$${value.toFixed(4)}`;
}

/** A status word as a coloured label; the class is the status itself (only [a-z_] reach it). */
export function badge(status: string): Html {
  return html`<span class="badge status-${status.replace(/[^a-z_]/g, '')}">${status.replace(/_/g, ' ')}</span>`;
}

/** The first eight characters of an id, as the CLI prints it. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/**
 * JSON for a <script type="application/json"> block: `<` is escaped so text inside it (a deal
 * note holding "</script>") cannot end the block.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
