import { defineJob, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { SOCIAL_PLATFORMS, type SocialLaunch, type SocialPlatform } from '@jbot/connectors';
import { addDays, cadenceOf, cadenceShape, coverBySku, localDay, readCalendar, UNAPPROVED, type CadenceSettings, type CalendarEntry } from '../calendar.js';

const DAY_MS = 86_400_000;

/** calendar-gaps' settings: the cadence, the brands, the cover floor and the company's zone. */
export const calendarGapsSettings = envSettings({ ...cadenceShape, FLEET_TZ: timeZone('UTC') });

/** The parsed settings. */
export type CalendarGapsSettings = CadenceSettings & { FLEET_TZ: string };

/** A brand × platform week under cadence. */
export interface CalendarGapFinding {
  brand: string;
  platform: SocialPlatform;
  week: string;
  scheduled: number;
  target: number;
  launch: string | null;
}

/** What the calendar check found. */
export interface CalendarFindings {
  gaps: CalendarGapFinding[];
  /** Drafts due within 48 hours and not approved. */
  unapproved: Array<{ id: string; title: string; brand: string | null; platform: string; day: string; status: string }>;
  /** Posts featuring a SKU with less cover than the floor, or held for a stockout. */
  lowCover: Array<{ id: string; title: string; sku: string; day: string; days_of_cover: number | null }>;
}

const isSocial = (platform: string): platform is SocialPlatform => (SOCIAL_PLATFORMS as readonly string[]).includes(platform);

/** The launch of this brand overlapping the week, if any. */
function launchIn(launches: readonly SocialLaunch[], brand: string, from: string, to: string): SocialLaunch | undefined {
  return launches.find((launch) => (launch.brand === null || launch.brand === brand) && launch.startsOn <= to && launch.endsOn >= from);
}

/** Count each brand × platform × 7-day window of the next 14 days against its cadence. */
export function calendarGaps(
  entries: readonly CalendarEntry[],
  launches: readonly SocialLaunch[],
  settings: CadenceSettings,
  today: string,
): CalendarGapFinding[] {
  const gaps: CalendarGapFinding[] = [];
  for (const start of [0, 7]) {
    const from = addDays(today, start);
    const to = addDays(today, start + 6);
    for (const brand of settings.SOCIAL_BRANDS) {
      for (const platform of SOCIAL_PLATFORMS) {
        const target = cadenceOf(settings, platform);
        if (target === 0) continue;
        const scheduled = entries.filter(
          (entry) => entry.brand === brand && entry.platform === platform && entry.day >= from && entry.day <= to && entry.status !== 'cancelled',
        ).length;
        if (scheduled >= target) continue;
        gaps.push({ brand, platform, week: from, scheduled, target, launch: launchIn(launches, brand, from, to)?.name ?? null });
      }
    }
  }
  return gaps;
}

/** The whole check, deterministically: gaps, drafts due in ≤ 48 h not approved, posts on SKUs short of cover. */
export async function findCalendarIssues(
  context: Pick<BotContext, 'db' | 'connectors'>,
  settings: CalendarGapsSettings,
  now = new Date(),
): Promise<CalendarFindings> {
  const today = localDay(now, settings.FLEET_TZ);
  const [entries, launches, stock] = await Promise.all([
    readCalendar(context, today, addDays(today, 13)),
    context.connectors.social.listLaunches(),
    coverBySku(context),
  ]);
  const social = entries.filter((entry) => isSocial(entry.platform));
  const dueBy = addDays(today, Math.ceil((48 * 3_600_000) / DAY_MS));
  return {
    gaps: calendarGaps(social, launches, settings, today),
    unapproved: social
      .filter((entry) => entry.day <= dueBy && UNAPPROVED.has(entry.status))
      .map((entry) => ({ id: entry.id, title: entry.title, brand: entry.brand, platform: entry.platform, day: entry.day, status: entry.status })),
    lowCover: social.flatMap((entry) => {
      if (entry.sku === null) return [];
      const cover = stock.cover.get(entry.sku);
      const short = stock.held.has(entry.sku) || (cover !== undefined && cover < settings.SOCIAL_MIN_COVER_DAYS);
      return short
        ? [
            {
              id: entry.id,
              title: entry.title,
              sku: entry.sku,
              day: entry.day,
              days_of_cover: cover === undefined || !Number.isFinite(cover) ? null : Math.round(cover * 10) / 10,
            },
          ]
        : [];
    }),
  };
}

/** The #social-bot calendar post. */
export function calendarMessage(findings: CalendarFindings): string {
  const lines: string[] = [];
  if (findings.gaps.length > 0) {
    lines.push('**Under cadence (next 14 days)**');
    for (const gap of findings.gaps)
      lines.push(`• ${gap.brand} ${gap.platform}, week of ${gap.week}: ${gap.scheduled}/${gap.target}${gap.launch === null ? '' : ` — ${gap.launch} week`}`);
  }
  if (findings.unapproved.length > 0) {
    lines.push('', '**Due within 48 h, not approved**');
    for (const entry of findings.unapproved) lines.push(`• ${entry.day} ${entry.brand ?? ''} ${entry.platform}: "${entry.title}" (${entry.status})`);
  }
  if (findings.lowCover.length > 0) {
    lines.push('', '**Posts on SKUs about to run out**');
    for (const entry of findings.lowCover)
      lines.push(`• ${entry.day} "${entry.title}": ${entry.sku} has ${entry.days_of_cover ?? '?'} days of cover — swap the product or move the post`);
  }
  return lines.join('\n').trim();
}

/** Run calendar-gaps once: post on change, one calendar_gap per gap (warning in a launch week), once a day. */
export async function runCalendarGaps(context: BotContext & JobRunInfo, settings: CalendarGapsSettings, now = new Date()) {
  const findings = await findCalendarIssues(context, settings, now);
  const all = [
    ...findings.gaps.map((gap) => ({ kind: 'gap', ...gap })),
    ...findings.unapproved.map((entry) => ({ kind: 'unapproved', ...entry })),
    ...findings.lowCover.map((entry) => ({ kind: 'low_cover', ...entry })),
  ];
  const outcome = await reportFindings(context, {
    findings: all,
    noun: 'calendar issue',
    message: () => ({
      title: `Social calendar: ${all.length} issue${all.length === 1 ? '' : 's'} in the next 14 days`,
      text: calendarMessage(findings),
      kind: 'note',
    }),
    nothingLine: 'Every brand and platform is at cadence for the next 14 days; nothing due is unapproved; no post features a SKU short of stock.',
  });
  const day = now.toISOString().slice(0, 10);
  let signals = 0;
  for (const gap of findings.gaps) {
    const emitted = await context.signals.emit(
      'calendar_gap',
      {
        brand: gap.brand,
        platform: gap.platform,
        week: gap.week,
        scheduled: gap.scheduled,
        target: gap.target,
        ...(gap.launch === null ? {} : { launch: gap.launch }),
      },
      { severity: gap.launch === null ? 'info' : 'warning', dedupeKey: `calendar_gap:${gap.brand}:${gap.platform}:${gap.week}:${day}`, dedupeWindowMs: DAY_MS },
    );
    if (!emitted.deduplicated) signals += 1;
  }
  return { outcome, findings, signals };
}

/** socialbot's calendar-gaps: daily 08:00 (fleet time zone). */
export const calendarGapsJob = defineJob({
  id: 'calendar-gaps',
  schedule: '0 8 * * *',
  description:
    'Next 14 days per brand × platform vs cadence (IG 4, TikTok 5, Pinterest 10, Facebook 3 a week), drafts due ≤ 48 h unapproved, posts on SKUs < 7 days of cover → calendar_gap',
  timeoutMs: 120_000,
  missed: 'once',
  settings: calendarGapsSettings,
  async run(context) {
    const { outcome, signals } = await runCalendarGaps(context, context.config as CalendarGapsSettings);
    return jobOutcome(outcome.outcome, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, signals },
    });
  },
});
