import type { BotDefinition, FleetMember, SignalType } from '@jbot/core';
import { signalTypes as adsbotSignals } from '@jbot/adsbot/signals';
import { signalTypes as contentbotSignals } from '@jbot/contentbot/signals';
import { signalTypes as jbotSignals } from '@jbot/jbot/signals';
import { signalTypes as mktgbotSignals } from '@jbot/mktgbot/signals';
import { signalTypes as opsbotSignals } from '@jbot/opsbot/signals';
import { signalTypes as salesbotSignals } from '@jbot/salesbot/signals';
import { signalTypes as shipbotSignals } from '@jbot/shipbot/signals';
import { signalTypes as socialbotSignals } from '@jbot/socialbot/signals';
import { signalTypes as studiobotSignals } from '@jbot/studiobot/signals';
import { signalTypes as sysbotSignals } from '@jbot/sysbot/signals';

/** One bot of the fleet: who it is, where it posts, what it is for, its signal types, and how to load it. */
export interface RosterEntry extends FleetMember {
  /** The types this bot introduces (pure zod declarations: cheap to load in every process). */
  signalTypes: readonly SignalType[];
  /** Load the bot's definition (its jobs, handlers, actions) only in the process that needs it. */
  load(): Promise<BotDefinition>;
}

/**
 * The fleet, in one place: the CLI, the supervisor, the bundler, `fleet doctor`, jbot's routing
 * and the LLM router all read it. Adding a bot is one entry here (plus its package).
 */
export const roster: readonly RosterEntry[] = [
  {
    name: 'jbot',
    channel: '#jbot',
    purpose: "the operator's assistant: status, what needs attention now, anything no other bot owns",
    signalTypes: jbotSignals,
    load: () => import('@jbot/jbot').then((module) => module.jbot),
  },
  {
    name: 'salesbot',
    channel: '#sales-bot',
    purpose: 'HubSpot pipeline: deals, wholesale customers, follow-ups, customer notices',
    signalTypes: salesbotSignals,
    load: () => import('@jbot/salesbot').then((module) => module.salesbot),
  },
  {
    name: 'mktgbot',
    channel: '#mktg-bot',
    purpose: 'Meta Ads and Klaviyo: campaigns, spend, email flows, pausing ads',
    signalTypes: mktgbotSignals,
    load: () => import('@jbot/mktgbot').then((module) => module.mktgbot),
  },
  {
    name: 'opsbot',
    channel: '#ops-bot',
    purpose: 'supply chain: inbound shipments and freight, suppliers, vendors, purchase orders',
    signalTypes: opsbotSignals,
    load: () => import('@jbot/opsbot').then((module) => module.opsbot),
  },
  {
    name: 'shipbot',
    channel: '#ship-bot',
    purpose: 'fulfilment: inventory, stock levels, late orders, the fulfilment forecast',
    signalTypes: shipbotSignals,
    load: () => import('@jbot/shipbot').then((module) => module.shipbot),
  },
  {
    name: 'contentbot',
    channel: '#content-bot',
    purpose: 'SEO, product copy, Amazon listings',
    signalTypes: contentbotSignals,
    load: () => import('@jbot/contentbot').then((module) => module.contentbot),
  },
  {
    name: 'adsbot',
    channel: '#ads-bot',
    purpose: 'ad creative and creative fatigue',
    signalTypes: adsbotSignals,
    load: () => import('@jbot/adsbot').then((module) => module.adsbot),
  },
  {
    name: 'socialbot',
    channel: '#social-bot',
    purpose: 'the social media calendar and posts',
    signalTypes: socialbotSignals,
    load: () => import('@jbot/socialbot').then((module) => module.socialbot),
  },
  {
    name: 'studiobot',
    channel: '#studio-bot',
    purpose: 'influencers and UGC creators',
    signalTypes: studiobotSignals,
    load: () => import('@jbot/studiobot').then((module) => module.studiobot),
  },
  {
    name: 'sysbot',
    channel: '#sys-bot',
    purpose: 'the fleet itself: bot health, failing jobs, LLM costs and budgets',
    signalTypes: sysbotSignals,
    load: () => import('@jbot/sysbot').then((module) => module.sysbot),
  },
];

/** Every bot's name, in roster order. */
export const BOT_NAMES: readonly string[] = roster.map((entry) => entry.name);

/** The roster as ctx.fleet carries it (no loaders). */
export const fleetMembers: readonly FleetMember[] = roster.map(({ name, channel, purpose }) => ({ name, channel, purpose }));

/** Every signal type the fleet's bots introduce (the runtime's own are registered by core). */
export const fleetSignalTypes: readonly SignalType[] = roster.flatMap((entry) => entry.signalTypes);

/** A roster entry by name, or a clear error listing the bots. */
export function rosterEntry(name: string): RosterEntry {
  const entry = roster.find((candidate) => candidate.name === name);
  if (entry === undefined) throw new UnknownBotError(name);
  return entry;
}

/** Parse a `--bots a,b` list against the roster; unknown names are an error listing the bots. */
export function parseBotList(value: string | undefined): string[] {
  if (value === undefined) return [...BOT_NAMES];
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !BOT_NAMES.includes(name));
  if (unknown.length > 0) throw new UnknownBotError(unknown.join(', '));
  if (names.length === 0) throw new UnknownBotError('(empty list)');
  return names;
}

/** A name that is not a bot of the roster. */
export class UnknownBotError extends Error {
  override readonly name = 'UnknownBotError';
  constructor(bot: string) {
    super(`"${bot}" is not a bot of the fleet (one of ${BOT_NAMES.join(', ')})`);
  }
}

/** Load every bot's definition (the CLI: crons, run, doctor). */
export async function loadAllBots(): Promise<BotDefinition[]> {
  return Promise.all(roster.map((entry) => entry.load()));
}
