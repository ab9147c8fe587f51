import { html } from 'hono/html';
import { badge, formatAge } from '../html-format.js';
import type { Panel } from './panel.js';

interface HeartbeatRow {
  [column: string]: unknown;
  bot: string;
  host: string;
  pid: number;
  version: string;
  status: string;
  seconds_since_seen: number;
  detail: { rss_mb?: number; channel?: { kind?: string; live?: boolean; status?: string } };
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
          const channel = beat.detail.channel;
          return html`<div class="tile state-${state}" data-bot="${beat.bot}" data-host="${beat.host}" data-state="${state}">
            <div class="name"><strong>${beat.bot}</strong> <span class="muted">@${beat.host}</span></div>
            <div>${badge(state)} heartbeat ${formatAge(beat.seconds_since_seen)} ago</div>
            <div class="muted">
              ${beat.detail.rss_mb === undefined ? '' : `${beat.detail.rss_mb} MB · `}release ${beat.version} · ${restarts} restart${restarts === 1 ? '' : 's'}
              in 24 h · pid ${beat.pid}
            </div>
            ${channel === undefined ? '' : html`<div>channel ${channel.kind ?? ''}: ${channel.live === false ? badge('down') : badge(channel.status ?? 'live')}</div>`}
          </div>`;
        })}
      </div>`;
  },
};
