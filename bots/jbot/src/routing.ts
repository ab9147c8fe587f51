// Every routing rule of the fleet, in one place (design §4 Routing). jbot applies them to each
// signal it receives; everything here is a pure function of the signal, the clock and config,
// so the rules are testable without a database.
import { atLeast, type Severity, type Signal } from '@jbot/core';

/** The rules, as the operator would read them. */
export const ROUTING_RULES = {
  /** Every signal → its source bot's Discord channel, in full. */
  workFloor: 'all',
  /** At and above this severity → jbot → one synthesised Telegram line, linked to its signal. */
  telegramFrom: 'warning',
  /** This severity goes to Telegram at once, even in quiet hours. */
  immediate: 'critical',
  /** Below the Telegram threshold → the daily digest on jbot's Discord channel. */
  digestBelow: 'warning',
  /** Repeats with the same dedupe_key collapse into one line with a count (bot_signals.repeat_count). */
  collapseRepeatsBy: 'dedupe_key',
} as const satisfies Record<string, string>;

/** Local times of day as minutes after midnight; start > end wraps past midnight (22:00-07:00). */
export interface QuietHours {
  startMinute: number;
  endMinute: number;
}

/** What the routing config needs. */
export interface RoutingConfig {
  timeZone: string;
  quietHours: QuietHours | null;
  operatorChatIds: readonly string[];
  /** Source bot → chats; bots not listed go to every operator chat. */
  chatRoutes: Readonly<Record<string, readonly string[]>>;
  /** Bot → its work-floor channel, from the fleet roster (#<bot> when absent). */
  channels?: Readonly<Record<string, string>>;
}

/** Where one signal goes. */
export interface RouteDecision {
  workFloor: { channel: string };
  /** null: not for the operator's phone. hold: inside quiet hours, wait for the morning brief. */
  telegram: { chats: string[]; hold: boolean } | null;
  digest: boolean;
}

/** Apply the rules to one signal at `now`. */
export function routeSignal(signal: Pick<Signal, 'sourceBot' | 'severity'>, config: RoutingConfig, now: Date): RouteDecision {
  const workFloor = { channel: config.channels?.[signal.sourceBot] ?? `#${signal.sourceBot}` };
  if (!atLeast(signal.severity, ROUTING_RULES.telegramFrom)) return { workFloor, telegram: null, digest: true };
  const hold = !atLeast(signal.severity, ROUTING_RULES.immediate) && isQuietTime(now, config.quietHours, config.timeZone);
  return { workFloor, telegram: { chats: chatsFor(signal.sourceBot, config), hold }, digest: false };
}

/** The chats a bot's escalations go to. */
export function chatsFor(sourceBot: string, config: RoutingConfig): string[] {
  return [...(config.chatRoutes[sourceBot] ?? config.operatorChatIds)];
}

/** Parse "22:00-07:00"; throws on anything else. */
export function parseQuietHours(value: string): QuietHours {
  const match = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (match === null) throw new Error(`expected HH:MM-HH:MM such as 22:00-07:00, got "${value}"`);
  const [startHour, startMinute, endHour, endMinute] = match.slice(1).map(Number) as [number, number, number, number];
  if (startHour > 23 || endHour > 23 || startMinute > 59 || endMinute > 59) throw new Error(`"${value}" is not a valid time range`);
  return { startMinute: startHour * 60 + startMinute, endMinute: endHour * 60 + endMinute };
}

/** Minutes after local midnight in a time zone. */
export function localMinuteOfDay(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const hour = Number(parts.find((part) => part.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((part) => part.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

/** True inside quiet hours (start inclusive, end exclusive). */
export function isQuietTime(now: Date, quietHours: QuietHours | null, timeZone: string): boolean {
  if (quietHours === null || quietHours.startMinute === quietHours.endMinute) return false;
  const minute = localMinuteOfDay(now, timeZone);
  const { startMinute, endMinute } = quietHours;
  return startMinute < endMinute ? minute >= startMinute && minute < endMinute : minute >= startMinute || minute < endMinute;
}

/** The one line the operator reads on the phone for a signal (its repeat count is added when rendered). */
export function synthesiseLine(signal: Pick<Signal, 'type' | 'sourceBot' | 'payload'>): string {
  const payload = (signal.payload ?? {}) as Record<string, unknown>;
  switch (signal.type) {
    case 'stale_deals': {
      const deals = Array.isArray(payload['deals']) ? payload['deals'].length : 0;
      return `${deals} wholesale deal${deals === 1 ? '' : 's'} stale (>${String(payload['threshold_days'] ?? 14)} days). Review?`;
    }
    case 'freight_delay':
      return `Shipment ${String(payload['shipment_id'])} is ${String(payload['delay_days'])} days late${payload['supplier'] === undefined ? '' : ` (${String(payload['supplier'])})`}.`;
    case 'job_failed':
      return `${String(payload['bot'])}'s ${String(payload['job'])} failed ${String(payload['consecutive_failures'])}× in a row: ${truncate(String(payload['error']), 80)}`;
    case 'job_missed':
      return `${String(payload['bot'])}'s ${String(payload['job'])} was ${String(payload['status'])} (${String(payload['scheduled_for'])}).`;
    case 'budget_exceeded':
      return `LLM budget reached (${String(payload['scope'])} ${String(payload['bot'])}): $${Number(payload['spent_usd']).toFixed(2)} of $${Number(payload['cap_usd']).toFixed(2)} today.`;
    case 'bot_unhealthy':
      return `${String(payload['bot'])} is unhealthy: ${String(payload['reason'])}.`;
    case 'bot_note':
      return truncate(String(payload['text']), 200);
    case 'revenue_pace_miss': {
      const behind = Array.isArray(payload['channels_behind'])
        ? (payload['channels_behind'] as Array<{ channel?: unknown }>).map((entry) => String(entry.channel))
        : [];
      return `${String(payload['month'])} revenue at ${Number(payload['pace_pct']).toFixed(0)}% of plan to date${behind.length === 0 ? '' : ` (behind: ${behind.join(', ')})`}.`;
    }
    case 'operator_action_needed':
      return `${truncate(String(payload['from']).replace(/\s*<[^>]*>$/, ''), 40)} needs you: "${truncate(String(payload['subject']), 80)}" (${String(payload['reason'])}).`;
    case 'disclosure_hold':
      return `Quiet period: ${String(payload['bot'])}'s draft held (${String(payload['rule'])}) until ${String(payload['quiet_period_until'])}: "${truncate(String(payload['excerpt']), 80)}"`;
    case 'press_mention':
      return `${String(payload['outlet'])} on ${String(payload['entity'])} (${String(payload['sentiment'])}): ${truncate(String(payload['headline']), 100)}`;
    case 'sales_flash':
      return truncate(String(payload['headline']), 200);
    case 'channel_down':
      return `${payload['channel'] === 'telegram' ? 'Telegram' : 'Discord'} is down (${String(payload['check'])}) since ${String(payload['since'])}: ${truncate(String(payload['detail']), 160)}`;
    case 'deduction_dispute_due': {
      const count = Array.isArray(payload['deductions']) ? payload['deductions'].length : 0;
      return `${String(payload['account'])}: ${count} deduction${count === 1 ? '' : 's'} worth $${Number(payload['disputable_total']).toLocaleString('en-US')} to dispute (POD shows on time, in full). Reply "dispute" to draft the packets.`;
    }
    // mktgbot's tracking, site, feed and brand-search signals.
    case 'tracking_broken':
      return payload['platform'] === 'utm'
        ? `Paid orders missing UTM tags: ${Math.round(Number(payload['ratio_now']) * 100)}% tagged yesterday. Budget increases held.`
        : `${String(payload['platform'])} tracking broken: ${String(payload['platform_purchases'])} purchases for ${String(payload['shopify_orders'])} Shopify orders (${Math.round(Number(payload['ratio_now']) * 100)}% vs usual ${Math.round(Number(payload['ratio_median']) * 100)}%). Budget increases held.`;
    case 'conversion_drop':
      return payload['device'] === 'all'
        ? `No store orders ${String(payload['window'])} (usually ${String(payload['baseline_rate'])}). Check checkout now.`
        : `${String(payload['device'])} checkout conversion ${(Number(payload['rate']) * 100).toFixed(0)}% vs ${(Number(payload['baseline_rate']) * 100).toFixed(0)}% last week (${String(payload['window'])}).`;
    case 'feed_item_issue': {
      const items = Array.isArray(payload['items']) ? payload['items'].length : 0;
      return `${String(payload['feed'])} product feed: ${items} item${items === 1 ? '' : 's'} in error (${(Number(payload['error_share']) * 100).toFixed(1)}%).`;
    }
    case 'brand_search_loss':
      return `Brand search ${String(payload['campaign'] ?? payload['campaign_id'])} at ${Math.round(Number(payload['impression_share']) * 100)}% impression share (${Math.round(Number(payload['lost_budget']) * 100)}% lost to budget).`;
    default:
      return `${signal.sourceBot}: ${signal.type.replace(/_/g, ' ')}.`;
  }
}

/** The full detail posted to the work floor. */
export function workFloorText(signal: Pick<Signal, 'id' | 'type' | 'severity' | 'payload' | 'repeatCount'>): string {
  return [
    `[${signal.severity}] ${signal.type} (signal ${signal.id})${signal.repeatCount > 1 ? ` ×${signal.repeatCount}` : ''}`,
    '```json',
    JSON.stringify(signal.payload, null, 2),
    '```',
  ].join('\n');
}

/** Where a free-form operator message goes when it answers no line. */
export type MessageRoute = { kind: 'bot'; bot: string; reason: string } | { kind: 'jbot'; intent: 'brief' | 'help' };

/** The seam for choosing a bot for a free-form message: keywords offline, an LLM later. */
export interface MessageRouter {
  route(text: string): Promise<MessageRoute>;
}

/** Keyword rules for free-form messages, first match wins. */
export const KEYWORD_ROUTES: ReadonlyArray<{ bot: string; pattern: RegExp }> = [
  { bot: 'salesbot', pattern: /\b(deals?|pipeline|hubspot|wholesale|customers?|follow[- ]?ups?|leads?|quotes?)\b/i },
  { bot: 'opsbot', pattern: /\b(shipments?|freight|containers?|eta|suppliers?|vendors?|purchase orders?|po)\b/i },
  { bot: 'shipbot', pattern: /\b(fulfil+ment|inventory|stock|orders?|warehouse)\b/i },
  { bot: 'adsbot', pattern: /\b(creatives?|ad fatigue)\b/i },
  { bot: 'mktgbot', pattern: /\b(ads|campaigns?|meta|klaviyo|email flows?|spend|roas)\b/i },
  { bot: 'contentbot', pattern: /\b(seo|listings?|amazon|product copy|descriptions?)\b/i },
  { bot: 'socialbot', pattern: /\b(social|instagram|tiktok|posts?)\b/i },
  { bot: 'studiobot', pattern: /\b(influencers?|ugc|creators?)\b/i },
  { bot: 'sysbot', pattern: /\b(bots?|fleet|costs?|budget|health|errors?|jobs?)\b/i },
];

/** The offline router: "status"/"brief" → jbot answers; keywords → a bot; otherwise jbot helps. */
export const keywordRouter: MessageRouter = {
  async route(text) {
    if (/^\s*\/?(brief|status|now|what needs me)\b/i.test(text)) return { kind: 'jbot', intent: 'brief' };
    for (const rule of KEYWORD_ROUTES)
      if (rule.pattern.test(text)) return { kind: 'bot', bot: rule.bot, reason: `keyword ${rule.pattern.exec(text)?.[0] ?? ''}` };
    return { kind: 'jbot', intent: 'help' };
  },
};

/** Severity rank for the brief (most severe first). */
export function severityRank(severity: Severity): number {
  return ['critical', 'alert', 'warning', 'info'].indexOf(severity);
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
