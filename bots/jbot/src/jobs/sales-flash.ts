import {
  defineJob,
  envInteger,
  envNumber,
  envSettings,
  fingerprintOf,
  jobOutcome,
  type BotContext,
  type JobRunInfo,
  type Settings,
  type SettingsOf,
} from '@jbot/core';
import { SALES_CHANNELS, type DailySales, type SalesChannel } from '@jbot/connectors';
import type { JbotConfig } from '../jbot-config.js';
import { addDays, daysInMonth, localDay, monthName, monthStart, weekdayName } from '../calendar-days.js';
import { BRAND_NAMES, money, percent, signedPercent } from '../figures.js';

/** sales-flash's thresholds (catalogue: a channel line flagged below −25% vs last week; pace miss under 90% after day 7). */
export const salesFlashSettings = envSettings({
  SALES_FLASH_CHANNEL_DROP_PCT: envNumber(25, 0),
  SALES_FLASH_PACE_FLOOR_PCT: envNumber(90, 0),
  SALES_FLASH_PACE_AFTER_DAY: envInteger(7, 0, 31),
});

type SalesFlashConfig = JbotConfig & SettingsOf<typeof salesFlashSettings>;

const CHANNEL_NAMES: Record<SalesChannel, string> = { dtc: 'DTC', wholesale: 'Wholesale', amazon: 'Amazon' };

/** One channel's (or brand's) day against the same weekday last week. */
export interface FlashLine {
  key: string;
  orders: number;
  revenue: number;
  aov: number;
  units: number;
  lastWeekRevenue: number;
  vsLastWeekPct: number | null;
  /** Below the drop threshold vs last week. */
  flagged: boolean;
}

/** One channel's month to date against its plan. */
export interface ChannelPace {
  channel: SalesChannel;
  mtdRevenue: number;
  planToDate: number;
  pacePct: number | null;
}

/** The flash: deterministic arithmetic over the connector's daily sales and the plan. */
export interface SalesFlash {
  day: string;
  lastWeekDay: string;
  channels: FlashLine[];
  brands: FlashLine[];
  total: FlashLine;
  pace: ChannelPace[];
  mtdRevenue: number;
  planToDate: number;
  /** Fleet MTD pace in % of plan to date; null without a plan. */
  mtdPacePct: number | null;
  /** Days of the month elapsed (yesterday's day of month). */
  elapsedDays: number;
  /** MTD pace under the floor after the first week: revenue_pace_miss. */
  paceMiss: boolean;
}

function line(key: string, today: { orders: number; revenue: number; units: number }, lastWeekRevenue: number, dropPct: number): FlashLine {
  const vsLastWeekPct = lastWeekRevenue > 0 ? ((today.revenue - lastWeekRevenue) / lastWeekRevenue) * 100 : null;
  return {
    key,
    orders: today.orders,
    revenue: round2(today.revenue),
    aov: today.orders > 0 ? round2(today.revenue / today.orders) : 0,
    units: today.units,
    lastWeekRevenue: round2(lastWeekRevenue),
    vsLastWeekPct: vsLastWeekPct === null ? null : round1(vsLastWeekPct),
    flagged: vsLastWeekPct !== null && vsLastWeekPct < -dropPct,
  };
}

/**
 * Compute yesterday's flash for `day`: per channel and brand vs the same weekday last week; month
 * to date vs plan × the elapsed share of the month, per channel and for the fleet.
 */
export async function computeSalesFlash(context: Pick<BotContext, 'connectors'>, day: string, config: SalesFlashConfig): Promise<SalesFlash> {
  const lastWeekDay = addDays(day, -7);
  const month = monthStart(day);
  const from = lastWeekDay < month ? lastWeekDay : month;
  const [sales, plan] = await Promise.all([
    context.connectors.reporting.dailySales({ from, to: day, timeZone: config.routing.timeZone }),
    context.connectors.reporting.plan({ fromMonth: month, toMonth: month }),
  ]);
  const on = (date: string) => sales.filter((row) => row.day === date);
  const sum = (rows: readonly DailySales[]) => ({
    orders: rows.reduce((total, row) => total + row.orders, 0),
    revenue: rows.reduce((total, row) => total + row.revenue, 0),
    units: rows.reduce((total, row) => total + row.units, 0),
  });
  const dropPct = config.SALES_FLASH_CHANNEL_DROP_PCT;
  const channels = SALES_CHANNELS.map((channel) =>
    line(channel, sum(on(day).filter((row) => row.channel === channel)), sum(on(lastWeekDay).filter((row) => row.channel === channel)).revenue, dropPct),
  );
  const brandIds = [...new Set(sales.flatMap((row) => Object.keys(row.brands)))].sort();
  const brandSum = (rows: readonly DailySales[], brand: string) => ({
    orders: 0,
    revenue: rows.reduce((total, row) => total + (row.brands[brand]?.revenue ?? 0), 0),
    units: rows.reduce((total, row) => total + (row.brands[brand]?.units ?? 0), 0),
  });
  const brands = brandIds.map((brand) => line(brand, brandSum(on(day), brand), brandSum(on(lastWeekDay), brand).revenue, dropPct));
  const total = line('total', sum(on(day)), sum(on(lastWeekDay)).revenue, dropPct);

  const elapsedDays = Number(day.slice(8, 10));
  const share = elapsedDays / daysInMonth(day);
  const mtd = sales.filter((row) => row.day >= month && row.day <= day);
  const pace = SALES_CHANNELS.map((channel): ChannelPace => {
    const mtdRevenue = round2(sum(mtd.filter((row) => row.channel === channel)).revenue);
    const planToDate = round2(plan.filter((row) => row.channel === channel).reduce((total, row) => total + row.revenue, 0) * share);
    return { channel, mtdRevenue, planToDate, pacePct: planToDate > 0 ? round1((mtdRevenue / planToDate) * 100) : null };
  });
  const mtdRevenue = round2(pace.reduce((total, channel) => total + channel.mtdRevenue, 0));
  const planToDate = round2(pace.reduce((total, channel) => total + channel.planToDate, 0));
  const mtdPacePct = planToDate > 0 ? round1((mtdRevenue / planToDate) * 100) : null;
  // No order on any channel all day is missing data (a connector down, a clock off), not a pace to judge.
  const paceMiss = total.orders > 0 && mtdPacePct !== null && elapsedDays > config.SALES_FLASH_PACE_AFTER_DAY && mtdPacePct < config.SALES_FLASH_PACE_FLOOR_PCT;
  return { day, lastWeekDay, channels, brands, total, pace, mtdRevenue, planToDate, mtdPacePct, elapsedDays, paceMiss };
}

/** The one line the morning brief quotes. */
export function flashHeadline(flash: SalesFlash): string {
  const vs = flash.total.vsLastWeekPct === null ? '' : ` (${signedPercent(flash.total.vsLastWeekPct)} vs last ${weekdayName(flash.lastWeekDay)})`;
  const pace = flash.mtdPacePct === null ? '' : `; MTD ${percent(flash.mtdPacePct)} of plan`;
  return `Yesterday ${money(flash.total.revenue)} from ${flash.total.orders} orders${vs}${pace}`;
}

/** The #jbot table: one line per channel and per brand, flagged lines marked. */
export function flashMessage(flash: SalesFlash, brandNames: Readonly<Record<string, string>> = BRAND_NAMES): { title: string; text: string } {
  const row = (name: string, entry: FlashLine, withOrders: boolean) =>
    `${entry.flagged ? '⚠ ' : '• '}${name}: ${money(entry.revenue)}${withOrders ? ` · ${entry.orders} orders · AOV ${money(entry.aov)}` : ''} · ${entry.units} units · ${
      entry.vsLastWeekPct === null ? 'no sales last week' : `${signedPercent(entry.vsLastWeekPct)} vs LW`
    }`;
  const paceOf = (channel: SalesChannel) => flash.pace.find((entry) => entry.channel === channel);
  const lines = [
    `By channel (vs ${weekdayName(flash.lastWeekDay)} ${flash.lastWeekDay}):`,
    ...flash.channels.map((entry) => {
      const pace = paceOf(entry.key as SalesChannel);
      return `${row(CHANNEL_NAMES[entry.key as SalesChannel], entry, true)}${pace?.pacePct == null ? '' : ` · MTD ${percent(pace.pacePct)} of plan`}`;
    }),
    row('Total', flash.total, true),
    '',
    'By brand:',
    ...flash.brands.map((entry) => row(brandNames[entry.key] ?? entry.key, entry, false)),
    '',
    flash.mtdPacePct === null
      ? `Month to date (${monthName(flash.day)}): ${money(flash.mtdRevenue)}; no plan loaded for the month.`
      : `Month to date (${monthName(flash.day)}, day ${flash.elapsedDays}): ${money(flash.mtdRevenue)} vs ${money(flash.planToDate)} plan to date = ${percent(flash.mtdPacePct)}${
          flash.paceMiss ? ' ⚠ behind plan' : ''
        }`,
  ];
  return { title: `Sales flash ${weekdayName(flash.day)} ${flash.day}: ${flashHeadline(flash).replace(/^Yesterday /, '')}`, text: lines.join('\n') };
}

/**
 * Run the flash once for the day before `scheduledFor` in FLEET_TZ: post the table to #jbot (a
 * rerun with the same figures is not reposted), emit `sales_flash` (info, one per day) and, when
 * the month runs behind plan after its first week, `revenue_pace_miss` (warning, one per week).
 */
export async function runSalesFlash(context: Omit<BotContext, 'config'> & JobRunInfo, config: SalesFlashConfig) {
  const day = addDays(localDay(context.scheduledFor, config.routing.timeZone), -1);
  const flash = await computeSalesFlash(context, day, config);
  const fingerprint = fingerprintOf({ day, channels: flash.channels, brands: flash.brands, pace: flash.pace });
  if (flash.total.orders === 0) {
    await context.channel.post({
      kind: 'note',
      title: `Sales flash ${weekdayName(day)} ${day}: no orders recorded on any channel`,
      text: 'No DTC, wholesale or Amazon order for the day: check the store and marketplace connectors before reading anything into it. No pace judged, no signal.',
    });
    return { flash, fingerprint, posted: true, headline: `No orders recorded for ${day}`, paceSignal: null };
  }
  const last = await context.lastRun();
  const posted = context.manual || last?.fingerprint !== fingerprint;
  if (posted) await context.channel.post({ kind: 'note', ...flashMessage(flash) });
  const headline = flashHeadline(flash);
  await context.signals.emit(
    'sales_flash',
    {
      day,
      channels: flash.channels.map((entry) => ({
        channel: entry.key as SalesChannel,
        orders: entry.orders,
        revenue: entry.revenue,
        aov: entry.aov,
        units: entry.units,
        vs_last_week_pct: entry.vsLastWeekPct,
      })),
      brands: flash.brands.map((entry) => ({ brand: entry.key, revenue: entry.revenue, units: entry.units, vs_last_week_pct: entry.vsLastWeekPct })),
      mtd_pace_pct: flash.mtdPacePct,
      headline,
    },
    { dedupeKey: `sales_flash:${day}`, dedupeWindowMs: 36 * 3600_000 },
  );
  let paceSignal: string | null = null;
  if (flash.paceMiss && flash.mtdPacePct !== null) {
    const behind = flash.pace.filter((entry) => entry.pacePct !== null && entry.pacePct < config.SALES_FLASH_PACE_FLOOR_PCT);
    const emitted = await context.signals.emit(
      'revenue_pace_miss',
      {
        month: day.slice(0, 7),
        mtd_revenue: flash.mtdRevenue,
        plan_to_date: flash.planToDate,
        pace_pct: flash.mtdPacePct,
        channels_behind: behind.map((entry) => ({
          channel: entry.channel,
          mtd_revenue: entry.mtdRevenue,
          plan_to_date: entry.planToDate,
          pace_pct: entry.pacePct ?? 0,
        })),
      },
      // A month behind plan stays behind for days: one warning a week, its count rising.
      { dedupeKey: `revenue_pace_miss:${day.slice(0, 7)}:${Math.ceil(flash.elapsedDays / 7)}`, dedupeWindowMs: 7 * 86_400_000 },
    );
    paceSignal = emitted.id;
  }
  return { flash, fingerprint, posted, headline, paceSignal };
}

/** jbot's sales flash: 07:10 daily (FLEET_TZ), before the 07:30 brief that quotes it. */
export const salesFlash = defineJob<SalesFlashConfig>({
  id: 'sales-flash',
  schedule: '10 7 * * *',
  description: "Yesterday's orders, revenue, AOV and units by channel and brand vs last week and the month's plan → #jbot, sales_flash, revenue_pace_miss",
  timeoutMs: 120_000,
  // A daily report: a missed morning is caught up once (the brief still quotes it).
  missed: 'once',
  graceMs: 6 * 3600_000,
  settings: salesFlashSettings as unknown as Settings<SalesFlashConfig>,
  async run(context) {
    const { flash, fingerprint, posted, headline, paceSignal } = await runSalesFlash(context, context.config);
    const flagged = flash.channels.filter((entry) => entry.flagged).map((entry) => entry.key);
    const outcome = `${headline}${flagged.length === 0 ? '' : `; down vs LW: ${flagged.join(', ')}`}${paceSignal === null ? '' : '; revenue_pace_miss raised'}${
      posted ? ', posted' : ', unchanged (not reposted)'
    }`;
    return jobOutcome(outcome, { fingerprint, detail: { day: flash.day, pace: flash.mtdPacePct, flagged, paceSignal } });
  },
});

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
