export { sysbot } from './bot.js';
export { costWatchdog, type SpendLine } from './jobs/cost-watchdog.js';
export { fleetMonitor } from './jobs/fleet-monitor.js';
export { postFleetEvent, fleetEventLine } from './fleet-events.js';
export { approvalExecutionIssue, botUnhealthy, brainDegraded, channelDown, jobStale, llmAnomaly, signalTypes } from './signals.js';
export {
  cronGapWatch,
  defineCronGapWatch,
  findCronGaps,
  cronGapLine,
  heartbeatJobRegistry,
  cronGapWatchSettings,
  type RegisteredJob,
  type JobRegistry,
  type CronGapFinding,
} from './jobs/cron-gap-watch.js';
export { answerOperator } from './operator-replies.js';
export { approvalAudit, approvalAuditSettings, approvalIssueLine, runApprovalAudit, type ApprovalIssue } from './jobs/approval-audit.js';
export {
  llmUsageAnomaly,
  findLlmAnomalies,
  llmAnomalyLine,
  llmUsageAnomalySettings,
  runLlmUsageAnomaly,
  type LlmAnomaly,
  type JobHourUsage,
} from './jobs/llm-usage-anomaly.js';
export { dbHealth, dbHealthSettings, findBrainProblems, runDbHealth, type BrainHealth, type BrainFinding } from './jobs/db-health.js';
export {
  channelLiveness,
  channelLivenessSettings,
  channelReadings,
  findChannelProblems,
  mergeByChannel,
  runChannelLiveness,
  otherChannel,
  type ChannelProblem,
  type OutboundBacklog,
} from './jobs/channel-liveness.js';
