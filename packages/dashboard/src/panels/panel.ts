import type { Db, LlmConfig } from '@jbot/core';
import type { DashboardConfig } from '../dashboard-config.js';
import type { Html } from '../html-format.js';
import type { LiveHint } from '../live-hints.js';

/** What a panel may read: the brain, the dashboard's settings, and the request's filters. */
export interface PanelContext {
  db: Db;
  config: DashboardConfig;
  llm: LlmConfig;
  /** A heartbeat older than this (3 × HEARTBEAT_INTERVAL_MS) makes a running bot stale. */
  staleAfterSeconds: number;
  /** The panel's filter values (?bot=…, ?status=…). */
  query: URLSearchParams;
}

/** One panel of the page: its id (also its URL, /panels/<id>), title, the hints that refresh it, its filters and its body. */
export interface Panel {
  id: string;
  title: string;
  topics: readonly LiveHint['topic'][];
  /** The filter controls shown above the body (outside the part that refreshes, so a choice is kept). */
  filters?: (context: PanelContext) => Html | Promise<Html>;
  body: (context: PanelContext) => Promise<Html>;
}

/** A bot name from a filter, or undefined for "every bot"; anything that is not a plain name is ignored. */
export function botFilter(query: URLSearchParams): string | undefined {
  const bot = query.get('bot') ?? '';
  return /^[a-z][a-z0-9_-]{0,40}$/.test(bot) ? bot : undefined;
}
