import type { SSEStreamingApi } from 'hono/streaming';
import type { LiveHint } from './live-hints.js';

/** At most one event per topic per window on one page's stream; the last one is never dropped. */
const WINDOW_MS = 100;
const KEEP_ALIVE_MS = 15_000;

/**
 * Feed one page's SSE stream: each hint becomes an event named for its topic whose data is the
 * ids that changed (space-separated). A burst (a hundred signals in a second) is coalesced per
 * topic into one event per window with a trailing flush, so the page refetches a panel at most ten
 * times a second and still sees the last change within WINDOW_MS.
 */
export async function pumpHints(stream: SSEStreamingApi, subscribe: (onHint: (hint: LiveHint) => void) => () => void): Promise<void> {
  const pending = new Map<string, Set<string>>();
  const lastSent = new Map<string, number>();
  const timers = new Map<string, NodeJS.Timeout>();

  const flush = (topic: string) => {
    timers.delete(topic);
    const ids = pending.get(topic);
    pending.delete(topic);
    if (ids === undefined || stream.aborted) return;
    lastSent.set(topic, Date.now());
    stream.writeSSE({ event: topic, data: [...ids].join(' ') || '-' }).catch(() => stream.abort());
  };

  const unsubscribe = subscribe((hint) => {
    const ids = pending.get(hint.topic) ?? new Set<string>();
    ids.add(hint.id);
    pending.set(hint.topic, ids);
    if (timers.has(hint.topic)) return;
    const wait = WINDOW_MS - (Date.now() - (lastSent.get(hint.topic) ?? 0));
    if (wait <= 0) flush(hint.topic);
    else
      timers.set(
        hint.topic,
        setTimeout(() => flush(hint.topic), wait),
      );
  });
  stream.onAbort(() => {
    unsubscribe();
    for (const timer of timers.values()) clearTimeout(timer);
  });
  await stream.writeSSE({ event: 'hello', data: 'connected' });
  while (!stream.aborted) {
    await stream.sleep(KEEP_ALIVE_MS);
    if (!stream.aborted) await stream.writeSSE({ event: 'ping', data: String(Date.now()) }).catch(() => stream.abort());
  }
  unsubscribe();
}
