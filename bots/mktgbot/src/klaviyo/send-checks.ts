import type { InventoryLevel, KlaviyoCampaignMessage } from '@jbot/connectors';

/** A pre-send QA rule that a scheduled campaign can fail. */
export type SendRule = 'link_out_of_stock' | 'link_unknown_product' | 'missing_utm' | 'full_list_without_exclusion' | 'sms_quiet_hours' | 'tag_without_default';

/** Rules that stop a send: the campaign should not go out until fixed (the others are listed, not blocking). */
export const BLOCKING_RULES: ReadonlySet<SendRule> = new Set(['link_out_of_stock', 'link_unknown_product', 'full_list_without_exclusion', 'sms_quiet_hours']);

/** One problem in one campaign. */
export interface SendIssue {
  rule: SendRule;
  blocking: boolean;
  /** What is wrong, in words (the link, the SKU, the local time). */
  detail: string;
}

/** What the checks need beyond the campaign. */
export interface SendCheckOptions {
  /** The store's hosts: links there must carry UTM tags and, for products, point at stock. */
  storeHosts: readonly string[];
  /** Audiences that mean "everyone" (sending to them needs an unengaged exclusion). */
  fullListNames: readonly string[];
  /** IANA zones the SMS list's recipients live in. */
  recipientZones: readonly string[];
  /** SMS allowed from this local hour (inclusive)… */
  smsEarliestHour: number;
  /** …until this local hour (exclusive). */
  smsLatestHour: number;
}

/** A product's URL handle as Shopify derives it from the title ("Coastal Fog Candle 14oz" → coastal-fog-candle-14oz). */
export function productHandle(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Every http(s) link in an email's hrefs or an SMS's text, in order, each once. */
export function linksIn(body: string): string[] {
  const found = [
    ...[...body.matchAll(/href\s*=\s*"([^"]+)"/gi)].map((match) => match[1] ?? ''),
    ...[...body.matchAll(/href\s*=\s*'([^']+)'/gi)].map((match) => match[1] ?? ''),
    ...[...body.replace(/href\s*=\s*("[^"]*"|'[^']*')/gi, '').matchAll(/https?:\/\/[^\s"'<>]+/gi)].map((match) => match[0]),
  ].map((link) => link.replace(/&amp;/g, '&'));
  return [...new Set(found.filter((link) => /^https?:\/\//i.test(link)))];
}

function localClock(at: Date, zone: string): { hour: number; minute: number; text: string } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const hour = Number(parts.find((part) => part.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((part) => part.type === 'minute')?.value ?? 0);
  return { hour, minute, text: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

// Klaviyo's personalisation tags: {{ first_name }}, {{ person.first_name }}, {{ person|lookup:'x' }}.
// Event and template-logic tags ({% … %}) are not personalisation and have no default to give.
const TAG = /\{\{\s*([^}]*?)\s*\}\}/g;

/**
 * The catalogue's pre-send QA for one scheduled campaign, deterministically: links to products out
 * of stock (or unknown to the store), store links without utm_source/utm_campaign, a full list
 * without the unengaged exclusion, an SMS outside the recipients' allowed local hours, and a
 * personalisation tag with no default. `stock` is the store's inventory (all locations).
 */
export function checkCampaign(campaign: KlaviyoCampaignMessage, stock: readonly InventoryLevel[], options: SendCheckOptions): SendIssue[] {
  const issues: SendIssue[] = [];
  const add = (rule: SendRule, detail: string) => issues.push({ rule, blocking: BLOCKING_RULES.has(rule), detail });
  const byHandle = new Map<string, { sku: string; name: string; available: number }>();
  for (const level of stock) {
    const handle = productHandle(level.name);
    const known = byHandle.get(handle);
    byHandle.set(handle, { sku: level.sku, name: level.name, available: (known?.available ?? 0) + level.available });
  }
  const hosts = new Set(options.storeHosts.map((host) => host.toLowerCase().replace(/^www\./, '')));
  for (const link of linksIn(campaign.body)) {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      continue;
    }
    if (!hosts.has(url.hostname.toLowerCase().replace(/^www\./, ''))) continue;
    if (!url.searchParams.has('utm_source') || !url.searchParams.has('utm_campaign'))
      add('missing_utm', `${url.origin}${url.pathname} has no utm_source/utm_campaign`);
    const handle = /^\/products\/([^/?#]+)/.exec(url.pathname)?.[1];
    if (handle === undefined) continue;
    const product = byHandle.get(decodeURIComponent(handle).toLowerCase());
    if (product === undefined) add('link_unknown_product', `${url.pathname} is not a product in the store`);
    else if (product.available <= 0) add('link_out_of_stock', `links ${product.sku} ${product.name}, sold out (${product.available} available)`);
  }
  if (campaign.channel === 'email') {
    const full = campaign.includedAudiences.filter((audience) => options.fullListNames.some((name) => name.toLowerCase() === audience.name.toLowerCase()));
    const excludesUnengaged = campaign.excludedAudiences.some((audience) => /unengaged/i.test(audience.name));
    if (full.length > 0 && !excludesUnengaged)
      add('full_list_without_exclusion', `sends to ${full.map((audience) => audience.name).join(', ')} without excluding an unengaged segment`);
  }
  if (campaign.channel === 'sms' && campaign.sendAt !== null) {
    const at = new Date(campaign.sendAt);
    const outside = options.recipientZones
      .map((zone) => ({ zone, clock: localClock(at, zone) }))
      .filter(({ clock }) => clock.hour < options.smsEarliestHour || clock.hour >= options.smsLatestHour);
    if (outside.length > 0)
      add(
        'sms_quiet_hours',
        `SMS lands at ${outside.map(({ zone, clock }) => `${clock.text} ${zone}`).join(', ')}: outside ${String(options.smsEarliestHour).padStart(2, '0')}:00–${String(options.smsLatestHour).padStart(2, '0')}:00 recipient time`,
      );
  }
  const tags = [...`${campaign.subject ?? ''}\n${campaign.body}`.matchAll(TAG)].map((match) => match[1] ?? '');
  const bare = [...new Set(tags.filter((tag) => /^(person\.|first_name|last_name|organization|city)/.test(tag) && !/\|\s*default\s*:/.test(tag)))];
  if (bare.length > 0) add('tag_without_default', `{{ ${bare.join(' }}, {{ ')} }} has no default`);
  return issues;
}
