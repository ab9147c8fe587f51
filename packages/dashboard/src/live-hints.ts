import type { Db, Listener, Logger } from '@jbot/core';

/** What changed, as the page needs to know it: the panel topic and the row. */
export interface LiveHint {
  topic: 'signals' | 'approvals' | 'posts' | 'runs' | 'costs' | 'inbox' | 'health';
  id: string;
}

/** The topics a page can listen for; one SSE event name each. */
export const HINT_TOPICS: readonly LiveHint['topic'][] = ['signals', 'approvals', 'posts', 'runs', 'costs', 'inbox', 'health'];

// The brain's NOTIFY channels: bot_signals and approvals existed before the dashboard; every other
// hint comes on fleet_changes (migration 20261202150000_dashboard.sql).
const CHANNELS = ['fleet_changes', 'bot_signals', 'approvals'] as const;

function hintFrom(channel: (typeof CHANNELS)[number], payload: string): LiveHint | undefined {
  try {
    const parsed = JSON.parse(payload) as { topic?: unknown; id?: unknown };
    const id = typeof parsed.id === 'string' ? parsed.id : '';
    if (channel === 'bot_signals') return { topic: 'signals', id };
    if (channel === 'approvals') return { topic: 'approvals', id };
    const topic = HINT_TOPICS.find((candidate) => candidate === parsed.topic);
    return topic === undefined ? undefined : { topic, id };
  } catch {
    return undefined;
  }
}

/**
 * One LISTEN connection for every open page: NOTIFYs become hints fanned out to the pages' SSE
 * streams. Hints only say "refetch"; they carry no data, so a lost one costs a poll interval and a
 * duplicate costs one refetch. The Supabase transport cannot listen: then pages live on the poll.
 */
export class LiveHints {
  private readonly subscribers = new Set<(hint: LiveHint) => void>();
  private listeners: Listener[] = [];
  /** False when the transport cannot listen (the page says "polling"). */
  listening = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  /** Open the LISTENs; postgres.js keeps one connection for all of them and re-listens after a drop. */
  async start(): Promise<void> {
    for (const channel of CHANNELS) {
      const listener = await this.db.listen(channel, (payload) => {
        const hint = hintFrom(channel, payload);
        if (hint !== undefined) this.publish(hint);
      });
      if (listener === null) {
        this.log.info('the brain transport cannot LISTEN: pages refresh on their poll only');
        return;
      }
      this.listeners.push(listener);
    }
    this.listening = true;
  }

  /** Hand a hint to every subscriber; one failing page never stops the others. */
  publish(hint: LiveHint): void {
    for (const subscriber of this.subscribers) {
      try {
        subscriber(hint);
      } catch (error) {
        this.log.warn({ err: error }, 'a live-update subscriber failed');
      }
    }
  }

  /** Receive every hint until the returned function is called. */
  subscribe(onHint: (hint: LiveHint) => void): () => void {
    this.subscribers.add(onHint);
    return () => this.subscribers.delete(onHint);
  }

  /** How many pages are listening now. */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Stop listening. */
  async stop(): Promise<void> {
    const listeners = this.listeners;
    this.listeners = [];
    this.subscribers.clear();
    await Promise.all(listeners.map((listener) => listener.close().catch(() => {})));
  }
}
