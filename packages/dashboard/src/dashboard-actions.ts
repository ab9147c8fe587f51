import { html } from 'hono/html';
import { decideApproval, isApprovalId, replyToSignal, type Db } from '@jbot/core';
import type { DashboardConfig } from './dashboard-config.js';
import { shortId, type Html } from './html-format.js';
import { approvalArticle } from './panels/approvals-panel.js';

/** The notice area's new content: what an action did, or why it did nothing. */
export function notice(text: string, outcome: 'done' | 'refused'): Html {
  return html`<div id="notice" role="status" class="${outcome}" data-outcome="${outcome}">${text}</div>`;
}

/** Who a decision made here is recorded as: readable on Discord, Telegram and the CLI alike. */
export function dashboardDecider(config: Pick<DashboardConfig, 'operatorName'>): string {
  return `${config.operatorName} via the dashboard`;
}

/**
 * Approve or reject through the same first-decision-wins decide_approval as Discord, Telegram and
 * the CLI, recorded as decided via the dashboard. The answer is the approval as it now stands plus
 * a notice: who decided when this click was not first, or that it expired.
 */
export async function decideFromDashboard(
  db: Db,
  config: DashboardConfig,
  approvalId: string,
  decision: 'approved' | 'rejected',
): Promise<{ status: 200 | 404; body: Html }> {
  if (!isApprovalId(approvalId)) return { status: 404, body: notice(`No approval ${approvalId}.`, 'refused') };
  const result = await decideApproval(db, { approvalId, decision, decidedBy: dashboardDecider(config), decidedVia: 'dashboard' });
  if (result.approval === null) return { status: 404, body: notice(`No approval ${approvalId}.`, 'refused') };
  const text = result.decided
    ? `${decision === 'approved' ? 'Approved' : 'Rejected'}: ${result.approval.title} (${result.approval.bot} ${decision === 'approved' ? 'will execute it' : 'will not act'}).`
    : `Nothing changed: ${result.reason}.`;
  const outcome = result.decided ? 'done' : 'refused';
  return {
    status: 200,
    body: html`${approvalArticle(result.approval, { config }, text)}
      <div id="notice" hx-swap-oob="true" role="status" class="${outcome}" data-outcome="${outcome}">${text}</div>`,
  };
}

/** A reply typed on the page: lands exactly like `fleet reply` (stored linked to the signal, routed to the bot that raised it). */
export async function replyFromDashboard(db: Db, config: DashboardConfig, signalId: string, text: string): Promise<Html> {
  if (text.trim().length > 4000) return notice('The reply is longer than 4000 characters; shorten it.', 'refused');
  const reply = await replyToSignal(db, { signalId, text, channel: 'local', senderId: `dashboard:${config.operatorName}` });
  if (!reply.replied) return notice(`Nothing sent: ${reply.reason}.`, 'refused');
  return notice(
    `Sent to ${reply.to} as an instruction on ${reply.signalType} ${shortId(signalId)} (operator message ${shortId(reply.operatorMessageId)}).`,
    'done',
  );
}

/**
 * "Run now": one manual run request, claimed by the running bot like any tick. Only a job a bot
 * declares in its heartbeat can be asked for, and a click while the last request still waits or
 * runs, or seconds after it, returns that run (request_manual_run_once), so a double click makes one run.
 */
export async function runNowFromDashboard(db: Db, config: DashboardConfig, bot: string, job: string): Promise<Html> {
  const beats = await db.rpc<{ bot: string; detail: { schedules?: { id: string }[] } }>('fleet_heartbeats');
  const known = beats.some((beat) => beat.bot === bot && (beat.detail.schedules ?? []).some((schedule) => schedule.id === job));
  if (!known) return notice(`${bot}/${job} is not a job any running bot declares.`, 'refused');
  const [request] = await db.rpc<{ run_id: string; created: boolean }>('request_manual_run_once', {
    p_bot: bot,
    p_job: job,
    p_requested_by: `dashboard:${config.operatorName}`,
  });
  if (request === undefined) return notice(`The brain did not record the request for ${bot}/${job}.`, 'refused');
  return request.created
    ? notice(`Requested ${bot}/${job} (run ${shortId(request.run_id)}); ${bot} picks it up within a few seconds.`, 'done')
    : notice(`${bot}/${job} was just asked for (run ${shortId(request.run_id)}, still waiting, running or finished seconds ago); not asked again.`, 'refused');
}
