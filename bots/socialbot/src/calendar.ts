import { envInteger, envList, type BotContext } from '@jbot/core';
import type { Connectors, SocialPlatform } from '@jbot/connectors';

/** The catalogue's cadence per brand and platform (posts a week), and the brands planned for. */
export const cadenceShape = {
  SOCIAL_CADENCE_INSTAGRAM: envInteger(4, 0, 100),
  SOCIAL_CADENCE_TIKTOK: envInteger(5, 0, 100),
  SOCIAL_CADENCE_PINTEREST: envInteger(10, 0, 100),
  SOCIAL_CADENCE_FACEBOOK: envInteger(3, 0, 100),
  /** Brand ids planned for (the sample company's four by default). */
  SOCIAL_BRANDS: envList.transform((brands) => (brands.length === 0 ? ['KC', 'SM', 'DW', 'TH'] : brands)),
  /** A post on a SKU with fewer days of cover than this is flagged (and never drafted). */
  SOCIAL_MIN_COVER_DAYS: envInteger(7, 0, 365),
};

/** The cadence settings as parsed. */
export interface CadenceSettings {
  SOCIAL_CADENCE_INSTAGRAM: number;
  SOCIAL_CADENCE_TIKTOK: number;
  SOCIAL_CADENCE_PINTEREST: number;
  SOCIAL_CADENCE_FACEBOOK: number;
  SOCIAL_BRANDS: string[];
  SOCIAL_MIN_COVER_DAYS: number;
}

/** Posts a week a brand owes on a platform. */
export function cadenceOf(settings: CadenceSettings, platform: SocialPlatform): number {
  return {
    instagram: settings.SOCIAL_CADENCE_INSTAGRAM,
    tiktok: settings.SOCIAL_CADENCE_TIKTOK,
    pinterest: settings.SOCIAL_CADENCE_PINTEREST,
    facebook: settings.SOCIAL_CADENCE_FACEBOOK,
  }[platform];
}

/** One calendar entry. */
export interface CalendarEntry {
  id: string;
  title: string;
  brand: string | null;
  platform: string;
  day: string;
  owner: string;
  status: string;
  sku: string | null;
  pillar: string | null;
}

/** Today (YYYY-MM-DD) in the company's zone. */
export function localDay(now: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A day plus n days (YYYY-MM-DD, calendar arithmetic in UTC). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The calendar between two days (inclusive), from the brain's content calendar. */
export async function readCalendar(context: Pick<BotContext, 'db'>, from: string, to: string): Promise<CalendarEntry[]> {
  const rows = await context.db.rpc('content_calendar_list', { p_from: from, p_to: to });
  return rows.map((row) => ({
    id: String(row['entry_id']),
    title: String(row['title']),
    brand: row['brand'] === null ? null : String(row['brand']),
    platform: String(row['platform']),
    day: String(row['scheduled_for']).slice(0, 10),
    owner: String(row['owner']),
    status: String(row['status']),
    sku: row['sku'] === null ? null : String(row['sku']),
    pillar: row['pillar'] === null ? null : String(row['pillar']),
  }));
}

/** Days of cover per SKU (available ÷ daily velocity, summed over locations), and SKUs socialbot holds (stockout_risk). */
export async function coverBySku(
  context: Pick<BotContext, 'db'> & { connectors: Pick<Connectors, 'commerce'> },
): Promise<{ cover: Map<string, number>; held: Set<string> }> {
  const [levels, holds] = await Promise.all([context.connectors.commerce.listInventory(), context.db.rpc('list_social_sku_holds')]);
  const totals = new Map<string, { available: number; velocity: number }>();
  for (const level of levels) {
    const total = totals.get(level.sku) ?? { available: 0, velocity: 0 };
    totals.set(level.sku, { available: total.available + level.available, velocity: total.velocity + level.dailyVelocity });
  }
  const cover = new Map([...totals].map(([sku, total]) => [sku, total.velocity <= 0 ? Number.POSITIVE_INFINITY : total.available / total.velocity]));
  return { cover, held: new Set(holds.map((row) => String(row['sku']))) };
}

/** Statuses that mean a post is not ready to go out. */
export const UNAPPROVED = new Set(['idea', 'draft', 'in_production']);
