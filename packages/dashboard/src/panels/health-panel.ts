import { html } from 'hono/html';
import { badge, formatAge, timeCell } from '../html-format.js';
import type { Panel } from './panel.js';

interface HeartbeatRow {
  [column: string]: unknown;
  bot: string;
  host: string;
  pid: number;
  version: string;
  status: string;
  seconds_since_seen: number;
  // `channels`: each operator-channel connection's liveness (Discord gateway, Telegram polling), where the bot reports it.
  detail: { rss_mb?: number; channels?: unknown };
}

interface ChannelReading {
  channel: string;
  state: string;
  lastReceivedAt: string | null;
  lastError: string | null;
}

// A heartbeat is written by whichever release a bot runs: read its channel readings defensively.
function channelsOf(value: unknown): ChannelReading[] {
  // Keyed by connection ({ discord: …, telegram: … }); a list is read the same way.
  const entries: unknown[] = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? Object.values(value) : [];
  return entries.flatMap((entry: unknown) => {
    const reading = entry as Partial<Record<keyof ChannelReading, unknown>> | null;
    if (reading === null || typeof reading.channel !== 'string' || typeof reading.state !== 'string') return [];
    return [
      {
        channel: reading.channel,
        state: reading.state,
        lastReceivedAt: typeof reading.lastReceivedAt === 'string' ? reading.lastReceivedAt : null,
        lastError: typeof reading.lastError === 'string' ? reading.lastError : null,
      },
    ];
  });
}

/** Fleet health: a tile per bot and host with heartbeat age, RSS, release and restarts; stale when its heartbeat is late. */
export const healthPanel: Panel = {
  id: 'health',
  title: 'Fleet health',
  topics: ['health'],
  async body(context) {
    const since = new Date(Date.now() - 86_400_000).toISOString();
    const [beats, starts] = await Promise.all([
      context.db.rpc<HeartbeatRow>('fleet_heartbeats'),
      context.db.rpc<{ bot: string; host: string; starts: number }>('recent_bot_starts', { p_since: since }),
    ]);
    if (beats.length === 0) return html`<p class="empty">No bot has ever run on this brain: start the fleet with <code>pnpm start</code>.</p>`;
    const startsOf = new Map(starts.map((row) => [`${row.bot}@${row.host}`, row.starts]));
    const live = beats.filter((beat) => beat.status === 'running' && beat.seconds_since_seen <= context.staleAfterSeconds).length;
    return html`<p class="counts">${live} of ${beats.length} running</p>
      <div class="tiles">
        ${beats.map((beat) => {
          const stale = beat.status === 'running' && beat.seconds_since_seen > context.staleAfterSeconds;
          const state = stale ? 'stale' : beat.status;
          const restarts = Math.max(0, (startsOf.get(`${beat.bot}@${beat.host}`) ?? 1) - 1);
          const channels = channelsOf(beat.detail.channels);
          return html`<div class="tile state-${state}" data-bot="${beat.bot}" data-host="${beat.host}" data-state="${state}">
            <div class="name"><strong>${beat.bot}</strong> <span class="muted">@${beat.host}</span></div>
            <div>${badge(state)} heartbeat ${formatAge(beat.seconds_since_seen)} ago</div>
            <div class="muted">
              ${beat.detail.rss_mb === undefined ? '' : `${beat.detail.rss_mb} MB · `}release ${beat.version} · ${restarts} restart${restarts === 1 ? '' : 's'}
              in 24 h · pid ${beat.pid}
            </div>
            ${channels.map(
              (channel) =>
                html`<div class="channel" data-channel="${channel.channel}" title="${channel.lastError ?? ''}">
                  ${channel.channel}
                  ${badge(channel.state)}${channel.lastReceivedAt === null ? '' : html` <span class="muted">last received ${timeCell(channel.lastReceivedAt)}</span>`}
                </div>`,
            )}
          </div>`;
        })}
      </div>`;
  },
};
