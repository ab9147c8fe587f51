import { z } from 'zod';
import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { addDays, localDay } from '../klaviyo/local-time.js';
import { linksIn, productHandle } from '../klaviyo/send-checks.js';

const DAY_MS = 86_400_000;
const SOCIAL = new Set(['instagram', 'tiktok', 'pinterest', 'facebook', 'youtube']);

// "LAUNCH-ID:SKU,SKU;LAUNCH-ID:SKU": the products each launch is about.
const launchSkusSetting = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? fallback : value))
    .pipe(z.string().regex(/^\s*[^:;]+:[^:;]+(;\s*[^:;]+:[^:;]+)*\s*$/, 'must be LAUNCH-ID:SKU,SKU;LAUNCH-ID:SKU'))
    .transform(
      (value) =>
        new Map(
          value.split(';').map((pair) => {
            const [launch = '', skus = ''] = pair.split(':');
            return [
              launch.trim(),
              skus
                .split(',')
                .map((sku) => sku.trim())
                .filter((sku) => sku !== ''),
            ] as const;
          }),
        ),
    );

/** The job's settings, with the catalogue's values as defaults. */
export const launchReadinessSettings = envSettings({
  /** Launches starting within this many days are checked (the T−14 checklist). */
  LAUNCH_HORIZON_DAYS: envInteger(14, 1, 60),
  /** A missing piece this close to the launch is a warning (T−7). */
  LAUNCH_WARNING_DAYS: envInteger(7, 1, 60),
  /** The SKUs each launch sells (the marketing plan's launch products). */
  LAUNCH_SKUS: launchSkusSetting('LAUNCH-SMGIFT:SM-110;LAUNCH-GIFT:DW-109'),
  KLAVIYO_STORE_HOSTS: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? 'harborandpine.com')
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter((host) => host !== ''),
    ),
  FLEET_TZ: timeZone('UTC'),
});

type LaunchReadinessSettings = ReturnType<typeof launchReadinessSettings.load>;

/** One launch's checklist. */
export interface LaunchCheck {
  launch_id: string;
  launch: string;
  brand: string | null;
  starts_on: string;
  ends_on: string;
  days_to_launch: number;
  skus: string[];
  missing: Array<{ owner_bot: string; item: string }>;
  /** The inbound arrival that restocks a launch SKU after the launch starts, if any. */
  inventory_eta: string | null;
  severity: 'alert' | 'warning' | null;
}

/**
 * The catalogue's checklist for every launch starting within the horizon, deterministically:
 * ads (an active campaign promoting a launch SKU — adsbot), email (a Klaviyo send in the window
 * linking a launch product, or an email on the calendar — mktgbot), social (a post on the brand's
 * launch SKUs before the launch ends — socialbot), listing (a launch SKU's Amazon listing not
 * buyable — contentbot), stock (cover through the launch, and inbound after the start — shipbot).
 * Severity by rule: inbound after the launch date → alert; anything missing at T−7 → warning.
 */
export async function checkLaunches(context: Pick<BotContext, 'db' | 'connectors'>, settings: LaunchReadinessSettings, now: Date): Promise<LaunchCheck[]> {
  const today = localDay(now, settings.FLEET_TZ);
  const horizon = addDays(today, settings.LAUNCH_HORIZON_DAYS);
  const launches = (await context.connectors.social.listLaunches()).filter((launch) => launch.startsOn >= today && launch.startsOn <= horizon);
  if (launches.length === 0) return [];
  const { ads, klaviyo, commerce, marketplace, freight } = context.connectors;
  const lastEnd =
    launches
      .map((launch) => launch.endsOn)
      .sort()
      .at(-1) ?? horizon;
  const [campaigns, scheduled, calendar, inventory, listings, shipments] = await Promise.all([
    ads.listCampaigns(),
    klaviyo.listScheduledCampaigns(),
    context.db.rpc('content_calendar_list', { p_from: today, p_to: lastEnd }),
    commerce.listInventory(),
    marketplace.listListings(),
    freight.listShipments(),
  ]);
  const stock = new Map<string, { name: string; available: number; velocity: number }>();
  for (const level of inventory) {
    const entry = stock.get(level.sku) ?? { name: level.name, available: 0, velocity: 0 };
    entry.available += level.available;
    entry.velocity += level.dailyVelocity;
    stock.set(level.sku, entry);
  }
  const checks: LaunchCheck[] = [];
  for (const launch of launches) {
    const skus = settings.LAUNCH_SKUS.get(launch.id) ?? [];
    const daysToLaunch = Math.round((Date.parse(`${launch.startsOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
    const missing: LaunchCheck['missing'] = [];
    if (skus.length === 0) missing.push({ owner_bot: 'mktgbot', item: `no launch SKUs configured for ${launch.id} (LAUNCH_SKUS)` });
    if (skus.length > 0 && !campaigns.some((campaign) => campaign.status === 'ACTIVE' && campaign.promotedSkus.some((sku) => skus.includes(sku))))
      missing.push({ owner_bot: 'adsbot', item: `no active ad campaign promotes ${skus.join(', ')}` });
    const handles = new Set(skus.map((sku) => productHandle(stock.get(sku)?.name ?? '')).filter((handle) => handle !== ''));
    const emailSend = scheduled.some(
      (campaign) =>
        campaign.channel === 'email' &&
        campaign.sendAt !== null &&
        campaign.sendAt.slice(0, 10) <= launch.endsOn &&
        linksIn(campaign.body).some((link) => {
          try {
            const url = new URL(link);
            const handle = /^\/products\/([^/?#]+)/.exec(url.pathname)?.[1];
            return (
              settings.KLAVIYO_STORE_HOSTS.includes(url.hostname.toLowerCase().replace(/^www\./, '')) &&
              handle !== undefined &&
              handles.has(decodeURIComponent(handle).toLowerCase())
            );
          } catch {
            return false;
          }
        }),
    );
    const inWindow = (row: Record<string, unknown>) => String(row['scheduled_for']).slice(0, 10) <= launch.endsOn && row['status'] !== 'cancelled';
    const emailPlanned = calendar.some(
      (row) => row['platform'] === 'email' && inWindow(row) && (row['brand'] === launch.brand || skus.includes(String(row['sku']))),
    );
    if (!emailSend && !emailPlanned) missing.push({ owner_bot: 'mktgbot', item: `no email scheduled or planned for ${launch.name}` });
    const posts = calendar.filter((row) => SOCIAL.has(String(row['platform'])) && inWindow(row) && skus.includes(String(row['sku'])));
    if (skus.length > 0 && posts.length === 0)
      missing.push({ owner_bot: 'socialbot', item: `no social post on ${skus.join(', ')} planned before ${launch.endsOn}` });
    for (const sku of skus) {
      const listing = listings.find((candidate) => candidate.sku === sku);
      if (listing !== undefined && !listing.statuses.includes('BUYABLE'))
        missing.push({ owner_bot: 'contentbot', item: `Amazon listing ${listing.asin} (${sku}) is not buyable` });
    }
    let inventoryEta: string | null = null;
    for (const sku of skus) {
      const level = stock.get(sku);
      const runDays = Math.round((Date.parse(`${launch.endsOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
      const cover = level === undefined || level.velocity === 0 ? Infinity : Math.max(0, level.available) / level.velocity;
      if (cover >= runDays) continue;
      const inbound = shipments
        .filter((shipment) => shipment.arrivedAt === null && shipment.lines.some((line) => line.sku === sku))
        .sort((left, right) => left.expectedEta.localeCompare(right.expectedEta))[0];
      missing.push({
        owner_bot: 'shipbot',
        item: `${sku} ${level?.name ?? ''}: ${cover.toFixed(1)} days of cover for a launch running to ${launch.endsOn}${inbound === undefined ? ', nothing inbound' : `; inbound on ${inbound.id} expected ${inbound.expectedEta}`}`,
      });
      if (inbound !== undefined && inbound.expectedEta > launch.startsOn && (inventoryEta === null || inbound.expectedEta > inventoryEta))
        inventoryEta = inbound.expectedEta;
    }
    checks.push({
      launch_id: launch.id,
      launch: launch.name,
      brand: launch.brand,
      starts_on: launch.startsOn,
      ends_on: launch.endsOn,
      days_to_launch: daysToLaunch,
      skus,
      missing,
      inventory_eta: inventoryEta,
      severity: inventoryEta !== null ? 'alert' : missing.length > 0 && daysToLaunch <= settings.LAUNCH_WARNING_DAYS ? 'warning' : null,
    });
  }
  return checks;
}

/** The #mktg-bot checklist: each launch, T−n, its missing pieces by owner. */
export function launchMessage(checks: readonly LaunchCheck[]): string {
  const lines: string[] = [];
  for (const check of checks) {
    lines.push(
      `**${check.launch}** (${check.brand}, ${check.starts_on} → ${check.ends_on}, T−${check.days_to_launch})${check.missing.length === 0 ? ' ✅ ready' : ''}`,
    );
    for (const item of check.missing) lines.push(`• ❌ ${item.owner_bot}: ${item.item}`);
  }
  return lines.join('\n');
}

/** Run the checklist once: post on change, `launch_at_risk` per launch that is red by rule. */
export async function runLaunchReadiness(
  context: BotContext & JobRunInfo,
  settings = launchReadinessSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; checks: LaunchCheck[]; signals: number }> {
  const checks = await checkLaunches(context, settings, now);
  const atRisk = checks.filter((check) => check.missing.length > 0);
  const outcome = await reportFindings(context, {
    findings: atRisk.map((check) => ({
      launch: check.launch_id,
      missing: check.missing.map((item) => item.owner_bot),
      eta: check.inventory_eta,
      severity: check.severity,
    })),
    noun: 'red launch checklist',
    message: () => ({ title: `Launch readiness: ${atRisk.length} of ${checks.length} launch(es) missing pieces`, text: launchMessage(checks), kind: 'note' }),
    nothingLine: checks.length === 0 ? `No launch in the next ${settings.LAUNCH_HORIZON_DAYS} days.` : launchMessage(checks),
  });
  let signals = 0;
  for (const check of atRisk) {
    if (check.severity === null) continue;
    const emitted = await context.signals.emit(
      'launch_at_risk',
      {
        launch: check.launch,
        date: check.starts_on,
        missing: check.missing,
        inventory_eta: check.inventory_eta,
        ...(check.brand === null ? {} : { brand: check.brand }),
        skus: check.skus,
      },
      {
        severity: check.severity,
        // One signal per launch and missing set: the same gaps tomorrow are not raised again.
        dedupeKey: `launch_at_risk:${check.launch_id}:${check.severity}:${check.missing.map((item) => item.owner_bot).join(',')}`,
        dedupeWindowMs: 3 * DAY_MS,
      },
    );
    if (!emitted.deduplicated) signals += 1;
  }
  context.log.info({ launches: checks.length, atRisk: atRisk.length, signals }, `launch readiness: ${atRisk.length} at risk`);
  return { outcome, checks, signals };
}

/** mktgbot's launch-readiness: weekdays 08:15 (fleet time zone). */
export const launchReadiness = defineJob({
  id: 'launch-readiness',
  schedule: '15 8 * * 1-5',
  description:
    'Launches in the next 14 days: ads, emails, posts, listings and stock ready? → launch_at_risk (warning at T−7, alert when stock lands after launch)',
  timeoutMs: 180_000,
  // A daily checklist: a missed morning catches up once.
  missed: 'once',
  settings: launchReadinessSettings,
  async run(context) {
    const { outcome, signals } = await runLaunchReadiness(context, context.config);
    return jobOutcome(`${outcome.outcome}${signals === 0 ? '' : `; ${signals} launch_at_risk raised`}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, signals },
    });
  },
});
