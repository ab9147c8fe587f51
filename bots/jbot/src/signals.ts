import { z } from 'zod';
import { defineSignalType, type SignalType } from '@jbot/core';

// The signal types jbot introduces (catalogue §4). Pure declarations (zod only): every bot
// process registers them through the fleet roster.

const channelLine = z.object({
  channel: z.enum(['dtc', 'wholesale', 'amazon']),
  orders: z.number().int().nonnegative(),
  revenue: z.number(),
  aov: z.number(),
  units: z.number().int().nonnegative(),
  /** Yesterday vs the same weekday last week; null when last week had no sales. */
  vs_last_week_pct: z.number().nullable(),
});

/** Yesterday's sales flash (info): quoted by the morning brief, read by weekly-ops-review. */
export const salesFlash = defineSignalType({
  type: 'sales_flash',
  description: "Yesterday's orders, revenue, AOV and units by channel and brand, vs the same weekday last week and the month's plan",
  defaultSeverity: 'info',
  schema: z.object({
    day: z.iso.date(),
    channels: z.array(channelLine),
    brands: z.array(
      z.object({ brand: z.string().min(1), revenue: z.number(), units: z.number().int().nonnegative(), vs_last_week_pct: z.number().nullable() }),
    ),
    mtd_pace_pct: z.number().nullable(),
    /** The one line the morning brief quotes. */
    headline: z.string().min(1),
  }),
});

/** Month-to-date revenue behind plan after the first week (warning). */
export const revenuePaceMiss = defineSignalType({
  type: 'revenue_pace_miss',
  description: 'Fleet month-to-date revenue below the pace floor of plan after the first week',
  defaultSeverity: 'warning',
  schema: z.object({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    mtd_revenue: z.number(),
    plan_to_date: z.number(),
    pace_pct: z.number(),
    channels_behind: z.array(z.object({ channel: z.string().min(1), mtd_revenue: z.number(), plan_to_date: z.number(), pace_pct: z.number() })),
  }),
});

/** A VIP sender's email that needs the operator (warning, private). */
export const operatorActionNeeded = defineSignalType({
  type: 'operator_action_needed',
  description: "A VIP sender's email that needs the operator's action",
  defaultSeverity: 'warning',
  schema: z.object({ message_id: z.string().min(1), from: z.string().min(1), subject: z.string(), reason: z.string().min(1) }),
});

/** An outward draft held in a quiet period for possible material non-public information (warning). */
export const disclosureHold = defineSignalType({
  type: 'disclosure_hold',
  description: 'An outward draft may disclose material non-public information during a quiet period',
  defaultSeverity: 'warning',
  schema: z.object({
    /** The held approval; null for content scheduled outside the approval flow (Klaviyo, social calendar), which cannot be held here. */
    approval_id: z.string().nullable(),
    bot: z.string().min(1),
    /** Where the draft lives when it is not an approval: klaviyo:<id> or social:<id>. */
    item: z.string().optional(),
    excerpt: z.string().min(1),
    rule: z.string().min(1),
    quiet_period_until: z.iso.date(),
  }),
});

/** Press about our brands, competitors or key retailers (info; warning by rule). */
export const pressMention = defineSignalType({
  type: 'press_mention',
  description: 'News about our brands, competitors or key retailers',
  defaultSeverity: 'info',
  schema: z.object({
    url: z.url(),
    outlet: z.string().min(1),
    entity: z.string().min(1),
    headline: z.string().min(1),
    sentiment: z.enum(['positive', 'neutral', 'negative']),
  }),
});

/** Every type jbot introduces. */
export const signalTypes: SignalType[] = [salesFlash, revenuePaceMiss, operatorActionNeeded, disclosureHold, pressMention];

declare module '@jbot/core' {
  interface SignalPayloads {
    sales_flash: z.output<typeof salesFlash.schema>;
    revenue_pace_miss: z.output<typeof revenuePaceMiss.schema>;
    operator_action_needed: z.output<typeof operatorActionNeeded.schema>;
    disclosure_hold: z.output<typeof disclosureHold.schema>;
    press_mention: z.output<typeof pressMention.schema>;
  }
}
