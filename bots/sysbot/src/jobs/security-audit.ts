import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { defineJob, envBoolean, envInteger, envList, envSettings, reportFindings, repositoryRoot } from '@jbot/core';
import type { BotContext, JobRunInfo, SettingsOf } from '@jbot/core';
import type { FleetLogLine } from '@jbot/connectors';

/** security-audit's settings (catalogue defaults). */
export const securityAuditSettings = envSettings({
  SECURITY_AUDIT_REFUSALS_PER_SENDER: envInteger(3, 1, 10_000),
  SECURITY_AUDIT_LOOKBACK_HOURS: envInteger(24, 1, 24 * 14),
  // Literal canary strings planted in config or fixtures; any one in a log line is a leak.
  SECURITY_AUDIT_CANARIES: envList,
  // `pnpm audit --prod --json` needs the registry; off in local mode, on for the VPSes.
  SECURITY_AUDIT_DEPENDENCIES: envBoolean(false),
});

/** The parsed settings. */
export type SecurityAuditConfig = SettingsOf<typeof securityAuditSettings>;

/** Secret shapes worth a critical alert when a log line carries one (the match itself is never repeated). */
export const SECRET_PATTERNS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'canary', pattern: /JBOT_CANARY_[A-Za-z0-9]{6,}/ },
  { name: 'anthropic key', pattern: /sk-ant-[A-Za-z0-9_-]{16,}/ },
  { name: 'aws access key', pattern: /\bAKIA[0-9A-Z]{16}\b/ },
  { name: 'github token', pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}\b/ },
  { name: 'slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { name: 'shopify token', pattern: /\bshp(at|ca|pa|ss)_[a-fA-F0-9]{20,}\b/ },
  { name: 'hubspot token', pattern: /\bpat-(na|eu)1-[a-f0-9-]{30,}\b/ },
  { name: 'meta token', pattern: /\bEAA[A-Za-z0-9]{40,}\b/ },
  { name: 'bearer header', pattern: /Bearer\s+[A-Za-z0-9._~+/-]{24,}/ },
  { name: 'password in url', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]{6,}@/i },
];

// The lines the channels write when they refuse someone (channels log them; nothing else records them).
const REFUSALS: ReadonlyArray<{ pattern: RegExp; channel: string; actorFields: string[] }> = [
  { pattern: /not an operator chat/, channel: 'telegram', actorFields: ['fromId', 'chatId'] },
  { pattern: /approval click refused/, channel: 'discord', actorFields: ['userId'] },
];

/** One finding of the review. */
export interface SecurityFinding {
  kind: 'refused_sender' | 'secret_in_logs' | 'vulnerable_dependency';
  severity: 'warning' | 'critical';
  actor: string | null;
  detail: string;
  count: number;
  locations: string[];
}

function fieldsOf(line: string): Record<string, unknown> {
  if (!line.startsWith('{')) return {};
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The log rules, pure: ≥ 3 refusals of one sender → warning; any secret pattern or canary → critical. */
export function auditLogLines(lines: readonly FleetLogLine[], config: SecurityAuditConfig): SecurityFinding[] {
  const refusals = new Map<string, { channel: string; count: number }>();
  const secrets = new Map<string, string[]>();
  const canaries = config.SECURITY_AUDIT_CANARIES.filter((canary) => canary.length >= 6);
  for (const entry of lines) {
    const fields = fieldsOf(entry.line);
    const message = typeof fields['msg'] === 'string' ? fields['msg'] : entry.line;
    for (const refusal of REFUSALS) {
      if (!refusal.pattern.test(message)) continue;
      const actor = refusal.actorFields.map((field) => fields[field]).find((value) => value !== undefined && value !== null);
      const key = `${refusal.channel}:${String(actor ?? 'unknown')}`;
      refusals.set(key, { channel: refusal.channel, count: (refusals.get(key)?.count ?? 0) + 1 });
    }
    const names = [
      ...SECRET_PATTERNS.filter((secret) => secret.pattern.test(entry.line)).map((secret) => secret.name),
      ...(canaries.some((canary) => entry.line.includes(canary)) ? ['canary'] : []),
    ];
    for (const name of new Set(names)) secrets.set(name, [...(secrets.get(name) ?? []), `${entry.origin}:${entry.lineNumber}`]);
  }
  const findings: SecurityFinding[] = [];
  for (const [name, locations] of secrets)
    findings.push({
      kind: 'secret_in_logs',
      severity: 'critical',
      actor: null,
      detail: `${name} found in ${locations.length} log line${locations.length === 1 ? '' : 's'} (${locations.slice(0, 5).join(', ')}): rotate it and find the log call that printed it`,
      count: locations.length,
      locations: locations.slice(0, 20),
    });
  for (const [key, refusal] of refusals) {
    if (refusal.count < config.SECURITY_AUDIT_REFUSALS_PER_SENDER) continue;
    findings.push({
      kind: 'refused_sender',
      severity: 'warning',
      actor: key,
      detail: `${key} was refused ${refusal.count} times in ${config.SECURITY_AUDIT_LOOKBACK_HOURS} h (${refusal.channel === 'telegram' ? 'not an operator chat' : 'not an approver'})`,
      count: refusal.count,
      locations: [],
    });
  }
  return findings;
}

/** `pnpm audit --json` advisories of high or critical severity, as findings (one per advisory). */
export function auditAdvisories(report: unknown): SecurityFinding[] {
  const advisories =
    (report as { advisories?: Record<string, { module_name?: string; severity?: string; title?: string; url?: string; id?: number }> } | null)?.advisories ??
    {};
  return Object.values(advisories)
    .filter((advisory) => advisory.severity === 'high' || advisory.severity === 'critical')
    .map((advisory) => ({
      kind: 'vulnerable_dependency' as const,
      severity: 'warning' as const,
      actor: advisory.module_name ?? null,
      detail: `${advisory.module_name ?? '?'}: ${advisory.severity} — ${advisory.title ?? ''} ${advisory.url ?? ''}`.trim(),
      count: 1,
      locations: [String(advisory.id ?? advisory.url ?? advisory.title ?? '')],
    }));
}

const run = promisify(execFile);

// pnpm audit exits non-zero when it finds advisories; its JSON is on stdout either way.
async function pnpmAudit(): Promise<unknown> {
  try {
    const { stdout } = await run('pnpm', ['audit', '--prod', '--json'], { cwd: repositoryRoot, timeout: 120_000, maxBuffer: 32 * 1024 * 1024 });
    return JSON.parse(stdout);
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout;
    if (typeof stdout === 'string' && stdout.trim().startsWith('{')) return JSON.parse(stdout);
    throw error;
  }
}

/** Run the review once: a signal per finding (secrets critical, once a day; an advisory once a month), a post on change. */
export async function runSecurityAudit(context: BotContext & JobRunInfo, config: SecurityAuditConfig) {
  // The data (calls, expiries, dumps, log lines) is stamped by the wall clock; the tick may be a
  // catch-up or a simulated clock (bench day), so "now" is the real one and the tick names the day.
  const now = new Date();
  const lines = await context.connectors.fleetLogs.readLines(new Date(now.getTime() - config.SECURITY_AUDIT_LOOKBACK_HOURS * 3_600_000));
  const findings = auditLogLines(lines, config);
  if (config.SECURITY_AUDIT_DEPENDENCIES) findings.push(...auditAdvisories(await pnpmAudit()));
  const day = context.scheduledFor.toISOString().slice(0, 10);
  for (const finding of findings) {
    // A known advisory is raised once a month, not every morning.
    const [key, windowMs] =
      finding.kind === 'vulnerable_dependency'
        ? [`security_event:advisory:${finding.locations[0] ?? finding.detail}`, 30 * 86_400_000]
        : [`security_event:${finding.kind}:${finding.actor ?? finding.detail.split(' ')[0]}:${day}`, 86_400_000];
    await context.signals.emit(
      'security_event',
      { kind: finding.kind, actor: finding.actor, detail: finding.detail, count: finding.count, locations: finding.locations },
      { severity: finding.severity, dedupeKey: key, dedupeWindowMs: windowMs },
    );
  }
  const outcome = await reportFindings(context, {
    findings: findings.map((finding) => [finding.kind, finding.actor, finding.count, finding.locations]),
    noun: 'security finding',
    message: () => ({
      kind: 'report',
      title: `Security review: ${findings.length} finding${findings.length === 1 ? '' : 's'}`,
      text: findings.map((finding) => `${finding.kind}: ${finding.detail}`).join('\n'),
      severity: findings.some((finding) => finding.severity === 'critical') ? 'critical' : 'warning',
    }),
    nothingLine: `${lines.length} log lines of the last ${config.SECURITY_AUDIT_LOOKBACK_HOURS} h (${context.connectors.fleetLogs.source}): no secret patterns, no sender refused ${config.SECURITY_AUDIT_REFUSALS_PER_SENDER}+ times${config.SECURITY_AUDIT_DEPENDENCIES ? ', no high or critical advisory' : ''}.`,
  });
  return { ...outcome, detail: { ...outcome.detail, lines: lines.length, kinds: findings.map((finding) => `${finding.kind} ${finding.severity}`) } };
}

/** sysbot's security-audit: daily at 05:00, refused senders, secrets in the logs, vulnerable dependencies. */
export const securityAudit = defineJob({
  id: 'security-audit',
  schedule: '0 5 * * *',
  description: 'Refused senders and clickers, secrets or canaries in the logs, high/critical advisories → security_event',
  timeoutMs: 300_000,
  overlap: 'skip',
  missed: 'once',
  settings: securityAuditSettings,
  run: (context) => runSecurityAudit(context, context.config),
});
