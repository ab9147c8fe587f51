import { defineBot } from '@jbot/core';
import { postFleetEvent } from './fleet-events.js';
import { approvalAudit } from './jobs/approval-audit.js';
import { channelLiveness } from './jobs/channel-liveness.js';
import { backupCheck } from './jobs/backup-check.js';
import { connectorHealth } from './jobs/connector-health.js';
import { credentialExpiry } from './jobs/credential-expiry.js';
import { hostHealth } from './jobs/host-health.js';
import { llmInvoiceReconcile } from './jobs/llm-invoice-reconcile.js';
import { securityAudit } from './jobs/security-audit.js';
import { costWatchdog } from './jobs/cost-watchdog.js';
import { cronGapWatch } from './jobs/cron-gap-watch.js';
import { dbHealth } from './jobs/db-health.js';
import { fleetMonitor } from './jobs/fleet-monitor.js';
import { llmUsageAnomaly } from './jobs/llm-usage-anomaly.js';
import { answerOperator } from './operator-replies.js';
import { signalTypes } from './signals.js';

/** sysbot — fleet monitor and cost watchdog: heartbeats, failing and missed jobs, LLM spend against budget. */
export const sysbot = defineBot({
  name: 'sysbot',
  jobs: [
    fleetMonitor,
    costWatchdog,
    cronGapWatch,
    approvalAudit,
    llmUsageAnomaly,
    dbHealth,
    connectorHealth,
    credentialExpiry,
    backupCheck,
    hostHealth,
    securityAudit,
    llmInvoiceReconcile,
    channelLiveness,
  ],
  signalTypes,
  // The fleet's own health, one line per event on #sys-bot.
  // The operator's reply to a sysbot escalation: explain the finding, or act on it ("run it").
  onInstruction: answerOperator,
  on: { job_failed: postFleetEvent, job_missed: postFleetEvent, budget_exceeded: postFleetEvent, bot_unhealthy: postFleetEvent },
});
