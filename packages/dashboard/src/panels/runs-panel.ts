import { html } from 'hono/html';
import { nextTick } from '@jbot/core';
import { badge, shortId, timeCell, type Html } from '../html-format.js';
import { botFilter, type Panel, type PanelContext } from './panel.js';

/** The statuses that stand out: a run that did not do its work. */
export const PROBLEM_STATUSES = ['missed', 'failed', 'timed_out', 'abandoned'] as const;
const STATUSES = ['requested', 'running', 'succeeded', 'failed', 'timed_out', 'skipped', 'missed', 'abandoned'] as const;

interface HeartbeatRow {
  [column: string]: unknown;
  bot: string;
  host: string;
  status: string;
  seconds_since_seen: number;
  detail: { schedules?: { id: string; schedule: string; tz: string }[] };
}

interface RunRow {
  [column: string]: unknown;
  run_id: string;
  bot: string;
  job: string;
  scheduled_for: string;
  status: string;
  manual: boolean;
  host: string | null;
  error: string | null;
  finished_at: string | null;
  requested_by: string | null;
}

/** The chosen status filter: "problems" (the default view is every status), one status, or all. */
function statusesFrom(query: URLSearchParams): string[] | null {
  const chosen = query.get('status') ?? '';
  if (chosen === 'problems') return [...PROBLEM_STATUSES];
  return (STATUSES as readonly string[]).includes(chosen) ? [chosen] : null;
}

/** The jobs the running bots declare (from their heartbeats), with next fire and last status, and a Run now button. */
async function jobsTable(context: PanelContext): Promise<Html> {
  const [beats, lasts] = await Promise.all([
    context.db.rpc<HeartbeatRow>('fleet_heartbeats'),
    context.db.rpc<{ bot: string; job: string; status: string; scheduled_for: string }>('last_cron_statuses'),
  ]);
  const last = new Map(lasts.map((row) => [`${row.bot}/${row.job}`, row]));
  const jobs = new Map<string, { bot: string; id: string; schedule: string; tz: string; live: boolean }>();
  for (const beat of beats) {
    const live = beat.status === 'running' && beat.seconds_since_seen <= context.staleAfterSeconds;
    for (const schedule of beat.detail.schedules ?? []) {
      const key = `${beat.bot}/${schedule.id}`;
      const known = jobs.get(key);
      jobs.set(key, { bot: beat.bot, id: schedule.id, schedule: schedule.schedule, tz: schedule.tz, live: live || (known?.live ?? false) });
    }
  }
  const filtered = [...jobs.values()].filter((job) => botFilter(context.query) === undefined || job.bot === botFilter(context.query));
  if (filtered.length === 0) return html`<p class="empty">No cron jobs known yet (a bot lists its jobs in its heartbeat once it runs).</p>`;
  const now = new Date();
  return html`<table class="jobs">
    <thead>
      <tr>
        <th>job</th>
        <th>schedule</th>
        <th>next fire</th>
        <th>last status</th>
        <th></th>
      </tr>
    </thead>
    <tbody>
      ${filtered
        .sort((left, right) => `${left.bot}/${left.id}`.localeCompare(`${right.bot}/${right.id}`))
        .map((job) => {
          const previous = last.get(`${job.bot}/${job.id}`);
          let next: string;
          try {
            next = nextTick(job.schedule, job.tz, now).toISOString();
          } catch {
            next = '';
          }
          return html`<tr class="job" data-job="${job.bot}/${job.id}">
            <td>${job.bot}/${job.id}</td>
            <td><code>${job.schedule}</code> ${job.tz}</td>
            <td>${next === '' ? '?' : timeCell(next)}</td>
            <td>
              ${previous === undefined ? html`<span class="muted">never ran</span>` : html`${badge(previous.status)} ${timeCell(previous.scheduled_for)}`}
            </td>
            <td>
              ${
                context.config.readOnly
                  ? ''
                  : html`<form method="post" action="/actions/run" hx-post="/actions/run" hx-target="#notice" hx-swap="outerHTML" hx-disabled-elt="find button">
                      <input type="hidden" name="bot" value="${job.bot}" /><input type="hidden" name="job" value="${job.id}" />
                      <button type="submit" class="run-now" ${job.live ? '' : 'disabled title="the bot is not running"'}>Run now</button>
                    </form>`
              }
            </td>
          </tr>`;
        })}
    </tbody>
  </table>`;
}

/** Cron runs: every job with its next fire and last status; runs that missed, failed, timed out or were abandoned stand out and can be filtered. */
export const runsPanel: Panel = {
  id: 'runs',
  title: 'Cron runs',
  topics: ['runs', 'health'],
  filters(context) {
    const chosen = context.query.get('status') ?? '';
    const options = [
      ['', 'every status'],
      ['problems', 'missed, failed, timed out, abandoned'],
      ...STATUSES.map((status) => [status, status.replace('_', ' ')]),
    ];
    return html`<form id="runs-filters" class="filters" hx-get="/panels/runs" hx-target="#runs-body" hx-trigger="change">
      <label
        >status
        <select name="status" data-filter="status">
          ${options.map(([value, label]) => html`<option value="${value}" ${value === chosen ? 'selected' : ''}>${label}</option>`)}
        </select></label
      >
    </form>`;
  },
  async body(context) {
    const runs = await context.db.rpc<RunRow>('list_cron_runs_by_status', {
      p_statuses: statusesFrom(context.query),
      p_bot: botFilter(context.query),
      p_limit: 50,
    });
    return html`${await jobsTable(context)}
      <h3>Runs</h3>
      ${
        runs.length === 0
          ? html`<p class="empty">No runs${statusesFrom(context.query) === null ? '' : ' with this status'}.</p>`
          : html`<table class="runs">
              <thead>
                <tr>
                  <th>scheduled for</th>
                  <th>job</th>
                  <th>status</th>
                  <th>host</th>
                  <th>error</th>
                </tr>
              </thead>
              <tbody>
                ${runs.map(
                  (run) =>
                    html`<tr
                      class="run ${(PROBLEM_STATUSES as readonly string[]).includes(run.status) ? 'problem' : ''}"
                      data-id="${run.run_id}"
                      data-status="${run.status}"
                      data-job="${run.bot}/${run.job}"
                    >
                      <td>${timeCell(run.scheduled_for)} <code title="${run.run_id}">${shortId(run.run_id)}</code></td>
                      <td>
                        ${run.bot}/${run.job}${run.manual ? html` <span class="muted">manual${run.requested_by === null ? '' : ` by ${run.requested_by}`}</span>` : ''}
                      </td>
                      <td>${badge(run.status)}</td>
                      <td>${run.host ?? ''}</td>
                      <td class="error">${run.error ?? ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`;
  },
};
