import { defineJob, envInteger, envSettings, reportFindings } from '@jbot/core';
import type { BotContext, JobRunInfo, SettingsOf } from '@jbot/core';
import type { CredentialStatus } from '@jbot/connectors';

/** credential-expiry's thresholds (catalogue defaults: warning within 14 days, alert within 3 or when a probe is refused). */
export const credentialExpirySettings = envSettings({
  CREDENTIAL_EXPIRY_WARN_DAYS: envInteger(14, 1, 365),
  CREDENTIAL_EXPIRY_ALERT_DAYS: envInteger(3, 0, 365),
});

/** The parsed settings. */
export type CredentialExpiryConfig = SettingsOf<typeof credentialExpirySettings>;

/** One credential to renew. */
export interface CredentialFinding {
  credential: CredentialStatus;
  severity: 'warning' | 'alert';
  daysLeft: number | null;
  reason: 'expiring' | 'expired' | 'refused';
}

const DAY_MS = 86_400_000;

/** The rules, pure: expires within the warning days → warning; within the alert days, expired, or a 401/403 probe → alert. */
export function findExpiringCredentials(credentials: readonly CredentialStatus[], now: Date, config: CredentialExpiryConfig): CredentialFinding[] {
  const findings: CredentialFinding[] = [];
  for (const credential of credentials) {
    // Rounded up: 8.9 days left "expires in 9 days", and ≤ 14 means within 14 days.
    const daysLeft = credential.expiresAt === null ? null : Math.ceil((Date.parse(credential.expiresAt) - now.getTime()) / DAY_MS);
    if (credential.probeStatus === 401 || credential.probeStatus === 403) {
      findings.push({ credential, severity: 'alert', daysLeft, reason: 'refused' });
    } else if (daysLeft !== null && daysLeft < 0) {
      findings.push({ credential, severity: 'alert', daysLeft, reason: 'expired' });
    } else if (daysLeft !== null && daysLeft <= config.CREDENTIAL_EXPIRY_WARN_DAYS) {
      findings.push({ credential, severity: daysLeft <= config.CREDENTIAL_EXPIRY_ALERT_DAYS ? 'alert' : 'warning', daysLeft, reason: 'expiring' });
    }
  }
  return findings.sort((left, right) => (left.daysLeft ?? -1) - (right.daysLeft ?? -1));
}

/** The line for one credential on #sys-bot. */
export function credentialLine(finding: CredentialFinding): string {
  const { credential } = finding;
  const when =
    finding.reason === 'refused'
      ? `its probe was refused (HTTP ${credential.probeStatus ?? '?'}): renew or re-authorise it now`
      : finding.reason === 'expired'
        ? `expired on ${credential.expiresAt?.slice(0, 10) ?? '?'}`
        : `expires in ${finding.daysLeft} day${finding.daysLeft === 1 ? '' : 's'} (${credential.expiresAt?.slice(0, 10) ?? '?'})`;
  return `${credential.credential} [${credential.connector}]: ${when}`;
}

/** Run the check once: one signal per credential and severity per day, a post when the list changed. */
export async function runCredentialExpiry(context: BotContext & JobRunInfo, config: CredentialExpiryConfig) {
  // The data (calls, expiries, dumps, log lines) is stamped by the wall clock; the tick may be a
  // catch-up or a simulated clock (bench day), so "now" is the real one and the tick names the day.
  const now = new Date();
  const credentials = await context.connectors.credentials.listCredentials();
  const findings = findExpiringCredentials(credentials, now, config);
  const day = context.scheduledFor.toISOString().slice(0, 10);
  for (const finding of findings) {
    await context.signals.emit(
      'credential_expiring',
      {
        connector: finding.credential.connector,
        credential: finding.credential.credential,
        expires_at: finding.credential.expiresAt,
        days_left: finding.daysLeft,
        probe_status: finding.credential.probeStatus,
      },
      {
        severity: finding.severity,
        dedupeKey: `credential_expiring:${finding.credential.connector}:${finding.credential.credential}:${finding.severity}:${day}`,
        dedupeWindowMs: DAY_MS,
      },
    );
  }
  const outcome = await reportFindings(context, {
    // Not the days left: a token a day closer is the same finding (the severity moving is a new one).
    findings: findings.map((finding) => [finding.credential.connector, finding.credential.credential, finding.severity, finding.reason]),
    noun: 'credential to renew',
    message: () => ({
      kind: 'report',
      title: `Credentials: ${findings.length} to renew`,
      text: findings.map(credentialLine).join('\n'),
      severity: findings.some((finding) => finding.severity === 'alert') ? 'alert' : 'warning',
    }),
    nothingLine: `${credentials.length} credentials checked (${context.connectors.credentials.source}); none expires within ${config.CREDENTIAL_EXPIRY_WARN_DAYS} days and no probe was refused.`,
  });
  return {
    ...outcome,
    detail: { ...outcome.detail, checked: credentials.length, expiring: findings.map((finding) => `${finding.credential.connector} ${finding.severity}`) },
  };
}

/** sysbot's credential-expiry: daily at 06:00, tokens, authorisations and certificates that will expire. */
export const credentialExpiry = defineJob({
  id: 'credential-expiry',
  schedule: '0 6 * * *',
  description: 'Tokens, app authorisations and TLS certificates expiring within 14 days or refused by their probe → credential_expiring',
  timeoutMs: 120_000,
  overlap: 'skip',
  // A daily check: a missed morning runs once when the bot is back.
  missed: 'once',
  settings: credentialExpirySettings,
  run: (context) => runCredentialExpiry(context, context.config),
});
