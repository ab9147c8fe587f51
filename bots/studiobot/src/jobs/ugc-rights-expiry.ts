import { defineJob, envInteger, envSettings, fingerprintOf, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import { renewOrPauseAsset, type RenewOrPauseDraft } from '../actions/renew-or-pause-asset.js';
import { listRights } from '../brain/creator-book.js';

const DAY_MS = 86_400_000;

/** The job's settings: how far ahead an expiry is worth acting on (catalogue: 14 days). */
export const ugcRightsExpirySettings = envSettings({ STUDIO_RIGHTS_EXPIRY_WARN_DAYS: envInteger(14, 1, 365) });

/** A rights-held asset in use whose licence ends soon (warning) or has ended (alert). */
export interface RightsExpiryFinding {
  asset_id: string;
  licensor: string;
  brand: string;
  expires_at: string;
  days_left: number;
  severity: 'warning' | 'alert';
  in_use: Array<{ kind: string; id: string }>;
}

/** Granted assets expiring within `warnDays` (or expired) that still run somewhere; paused uses do not count. */
export async function findExpiringRights(context: Pick<BotContext, 'db' | 'connectors'>, now: Date, warnDays: number): Promise<RightsExpiryFinding[]> {
  const soon = (await listRights(context.db)).filter(
    (asset) => asset.status === 'granted' && asset.expiresAt !== null && Date.parse(asset.expiresAt) <= now.getTime() + warnDays * DAY_MS,
  );
  if (soon.length === 0) return [];
  const usage = await context.connectors.creators.listAssetUsage(soon.map((asset) => asset.assetId));
  return soon.flatMap((asset): RightsExpiryFinding[] => {
    const inUse = usage
      .filter((use) => use.assetId === asset.assetId && (use.status === 'live' || use.status === 'scheduled'))
      .map((use) => ({ kind: use.kind, id: use.refId }));
    if (inUse.length === 0) return [];
    const expiresAt = asset.expiresAt ?? '';
    const daysLeft = Math.ceil((Date.parse(expiresAt) - now.getTime()) / DAY_MS);
    return [
      {
        asset_id: asset.assetId,
        licensor: asset.licensor,
        brand: asset.brand,
        expires_at: expiresAt,
        days_left: daysLeft,
        severity: daysLeft <= 0 ? 'alert' : 'warning',
        in_use: inUse,
      },
    ];
  });
}

const useLine = (use: { kind: string; id: string }) => `${use.kind.replace('_', ' ')} ${use.id}`;

/** The #studio-bot post: expired first, then by expiry. */
export function rightsExpiryMessage(findings: readonly RightsExpiryFinding[]): string {
  return [
    ...findings.map(
      (finding) =>
        `• ${finding.severity === 'alert' ? '🔴 EXPIRED' : '🟠'} ${finding.asset_id} (@${finding.licensor}, ${finding.brand}): ${finding.days_left <= 0 ? `expired ${-finding.days_left} day${finding.days_left === -1 ? '' : 's'} ago` : `expires in ${finding.days_left} day${finding.days_left === 1 ? '' : 's'}`} — still in ${finding.in_use.map(useLine).join(', ')}`,
    ),
    '',
    'Approve to ask each licensor to renew and to pause the expired ones everywhere they run.',
  ].join('\n');
}

/** Draft the approval: renewal requests, with a pause for the expired. */
export function renewOrPauseDraft(findings: readonly RightsExpiryFinding[]): RenewOrPauseDraft {
  return {
    assets: findings.map((finding) => ({
      asset_id: finding.asset_id,
      licensor: finding.licensor,
      expires_at: finding.expires_at,
      pause: finding.severity === 'alert',
      renewal_message:
        finding.severity === 'alert'
          ? `Hi @${finding.licensor}! Our licence to use your post ended on ${finding.expires_at.slice(0, 10)}. We have paused it for now; would you renew it for another 12 months on the same terms? Reply #YesHarborPine and we will turn it back on. Thank you!`
          : `Hi @${finding.licensor}! Your post has been a favourite of ours. Our licence to use it ends on ${finding.expires_at.slice(0, 10)}; would you renew it for another 12 months on the same terms? Reply #YesHarborPine to agree. Thank you!`,
    })),
  };
}

/** Run the check once: post on change, one signal per asset, one renew_or_pause_asset approval per finding set. */
export async function runUgcRightsExpiry(context: BotContext & JobRunInfo, settings = ugcRightsExpirySettings.load({}), now = new Date()) {
  const findings = (await findExpiringRights(context, now, settings.STUDIO_RIGHTS_EXPIRY_WARN_DAYS)).sort(
    (left, right) => Number(right.severity === 'alert') - Number(left.severity === 'alert') || left.expires_at.localeCompare(right.expires_at),
  );
  // The fingerprint is of the assets and their state, not the moving day count.
  const stable = findings.map((finding) => ({
    asset_id: finding.asset_id,
    severity: finding.severity,
    in_use: finding.in_use,
    expires_at: finding.expires_at,
  }));
  const outcome = await reportFindings(context, {
    findings: stable,
    noun: 'expiring in-use asset',
    message: () => ({
      title: `UGC rights: ${findings.filter((f) => f.severity === 'alert').length} expired, ${findings.filter((f) => f.severity === 'warning').length} expiring, still in use`,
      text: rightsExpiryMessage(findings),
      kind: 'note',
    }),
    nothingLine: 'No asset in use has rights expiring in the next two weeks.',
  });
  const signalIds: string[] = [];
  for (const finding of findings) {
    const emitted = await context.signals.emit(
      'ugc_rights_expiring',
      { asset_id: finding.asset_id, licensor: finding.licensor, expires_at: finding.expires_at, in_use: finding.in_use },
      {
        severity: finding.severity,
        dedupeKey: `ugc_rights_expiring:${finding.asset_id}:${finding.severity}:${fingerprintOf(finding.in_use)}`,
        dedupeWindowMs: DAY_MS,
      },
    );
    signalIds.push(emitted.id);
  }
  let approvalId: string | null = null;
  if (findings.length > 0) {
    const expired = findings.filter((finding) => finding.severity === 'alert').length;
    const { approval } = await context.approvals.request({
      action: renewOrPauseAsset,
      title: `Ask ${findings.length} licensor${findings.length === 1 ? '' : 's'} to renew UGC rights${expired === 0 ? '' : ` and pause ${expired} expired asset${expired === 1 ? '' : 's'}`}`,
      draft: renewOrPauseDraft(findings),
      requestKey: `ugc-rights-expiry:${outcome.fingerprint ?? fingerprintOf(stable)}`,
      ...(signalIds[0] === undefined ? {} : { signalId: signalIds[0] }),
    });
    approvalId = approval.id;
  }
  return { outcome, findings, approvalId, signalIds };
}

/** studiobot's ugc-rights-expiry: daily 08:30 (fleet time zone). */
export const ugcRightsExpiry = defineJob({
  id: 'ugc-rights-expiry',
  schedule: '30 8 * * *',
  description: 'UGC and creator content in use whose rights expire within 14 days (warning) or have expired (alert) → renew_or_pause_asset',
  timeoutMs: 120_000,
  missed: 'once',
  settings: ugcRightsExpirySettings,
  async run(context) {
    const { outcome, approvalId } = await runUgcRightsExpiry(context, context.config);
    return jobOutcome(`${outcome.outcome}${approvalId === null ? '' : '; renew_or_pause_asset asked'}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvalId },
    });
  },
});
