import type { BotContext, OperatorInstruction } from '@jbot/core';
import { backupMissing, connectorDegraded, credentialExpiring, hostUnhealthy, llmCostMismatch, securityEvent } from './signals.js';
import type { ConnectorSummary } from './jobs/connector-health.js';

// How to renew each kind of credential (what the operator does next).
const RENEWAL: Record<string, string> = {
  meta: 'Business Settings → System users → Generate new token (ads_management, pages_read_engagement), then set META_ACCESS_TOKEN and restart the bots that use Meta',
  amazon: 'Seller Central → Apps and services → Manage your apps → Authorize again, then update the refresh token',
  google: 'run the OAuth consent again for the Workspace account and store the new refresh token',
  tls: 'renew the certificate (certbot renew, or the host panel) and reload the web server',
};

// What to do about each host check.
const HOST_ADVICE: Record<string, string> = {
  disk: 'free space: journalctl --vacuum-time=7d, prune old pg_dump files and .data logs, or grow the volume',
  memory: 'see which process holds it (ps aux --sort=-rss | head); restart the largest bot with systemctl restart jbot@<bot>',
  bot_rss: 'restart that bot (systemctl restart jbot@<bot>) and watch whether it grows again: growth that returns is a leak to report',
  unit_failed: 'read its journal (journalctl -u jbot@<bot> -n 50), fix the cause, then systemctl restart jbot@<bot>',
  clock_skew: 'turn NTP on (timedatectl set-ntp true) or restart chrony; leases and schedules use the brain clock',
};

/**
 * sysbot's answer to a reply on one of its fleet-operations escalations: the finding, what is
 * true now where it can be read again (the connector's last window, the backups), and what to
 * do. Null for a signal type this does not answer.
 */
export async function answerFleetOpsSignal(signal: Record<string, unknown>, _instruction: OperatorInstruction, context: BotContext): Promise<string | null> {
  const type = signal['signal_type'];
  if (type === connectorDegraded.type) {
    const payload = connectorDegraded.schema.parse(signal['payload']);
    const now = (await context.db.rpc<ConnectorSummary>('connector_call_summary', {})).find(
      (row) => row.connector === payload.connector && (payload.source === undefined || row.source === payload.source),
    );
    const current =
      now === undefined
        ? ' No calls in the last 15 min.'
        : ` Last 15 min: ${now.calls} calls, ${now.auth_failures} refused, ${now.failures} failed, lowest rate-limit headroom ${now.min_headroom_pct ?? '—'}%.`;
    const advice =
      payload.kind === 'auth'
        ? 'renew or re-authorise the credential (credential-expiry lists when each expires)'
        : payload.kind === 'rate_limit'
          ? 'spread the jobs that call it (their schedules) or ask the vendor for a higher tier; calls retry after the vendor says'
          : payload.kind === 'errors'
            ? "check the vendor's status page; side effects on it wait for their approvals' retry"
            : 'nothing yet unless it persists: slow answers show up as job timeouts next';
    return `${payload.connector} (${payload.source ?? '?'}) ${payload.kind}: ${payload.detail ?? ''}.${current} What to do: ${advice}.`;
  }
  if (type === credentialExpiring.type) {
    const payload = credentialExpiring.schema.parse(signal['payload']);
    const when = payload.days_left === null ? 'its probe was refused' : `expires in ${payload.days_left} days (${payload.expires_at?.slice(0, 10) ?? '?'})`;
    return `${payload.credential} ${when}. To renew: ${RENEWAL[payload.connector] ?? `create a new ${payload.connector} credential and update its variable in the env file`}; the next morning's credential-expiry confirms it.`;
  }
  if (type === backupMissing.type) {
    const payload = backupMissing.schema.parse(signal['payload']);
    const [newest] = await context.connectors.backups.listBackups();
    const now =
      newest === undefined
        ? 'still no backup found'
        : `newest now ${newest.name} at ${newest.createdAt.slice(0, 16)}Z, ${(newest.sizeBytes / 1048576).toFixed(1)} MB`;
    return `backups: ${payload.detail ?? payload.problems.join(', ')}. Now: ${now}. What to do: check the nightly pg_dump timer (systemctl status jbot-backup.timer) and its log; run a restore test after the next dump.`;
  }
  if (type === hostUnhealthy.type) {
    const payload = hostUnhealthy.schema.parse(signal['payload']);
    return `${payload.host} ${payload.check}: ${payload.detail ?? `${payload.value} against ${payload.threshold}`}. What to do: ${HOST_ADVICE[payload.check] ?? 'see fleet status'}.`;
  }
  if (type === securityEvent.type) {
    const payload = securityEvent.schema.parse(signal['payload']);
    const advice =
      payload.kind === 'secret_in_logs'
        ? 'rotate the secret now, then find the log call at the listed lines and pass the value through the logger (pino redaction) instead of a string'
        : payload.kind === 'refused_sender'
          ? 'if you know the sender, add them (TELEGRAM_OPERATOR_CHAT_IDS / DISCORD_APPROVER_USER_IDS); otherwise nothing is needed, they were refused'
          : 'update the dependency (pnpm update <package>) and redeploy';
    return `security ${payload.kind}: ${payload.detail}. What to do: ${advice}.`;
  }
  if (type === llmCostMismatch.type) {
    const payload = llmCostMismatch.schema.parse(signal['payload']);
    const [worst] = payload.by_model;
    const detail =
      worst === undefined
        ? ''
        : ` The largest gap is ${worst.model}: ours $${worst.ours_usd.toFixed(2)}, Anthropic $${worst.anthropic_usd.toFixed(2)}; set LLM_PRICES for it to Anthropic's current price so the daily caps stay true.`;
    return `LLM bill ${payload.month}: ours $${payload.ours_usd.toFixed(2)} against Anthropic's $${payload.anthropic_usd.toFixed(2)}.${detail}`;
  }
  return null;
}
