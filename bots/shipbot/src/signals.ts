import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types shipbot introduces (see bots/salesbot/src/signals.ts for why they live here).
// Declared ahead of shipbot's inventory-cover job so their consumers (socialbot) can be built and
// tested with signals of the catalogued shape (design §8).

/** A SKU will run out before its next inbound arrives (catalogue §4). */
export const stockoutRisk = defineSignalType({
  type: 'stockout_risk',
  description: 'A SKU has fewer days of cover than its next inbound needs',
  defaultSeverity: 'warning',
  schema: z.object({
    sku: z.string().min(1),
    location: z.string().optional(),
    available: z.number(),
    days_of_cover: z.number().nonnegative(),
    stockout_date: z.string().optional(),
    next_inbound_eta: z.string().nullable().optional(),
    channels: z.array(z.string()).optional(),
  }),
});

/** A SKU that was at risk has cover again. */
export const backInStock = defineSignalType({
  type: 'back_in_stock',
  description: 'A SKU that was at stockout risk has enough cover again',
  defaultSeverity: 'info',
  schema: z.object({ sku: z.string().min(1), days_of_cover: z.number().nonnegative() }),
});

/** Every type shipbot introduces. */
export const signalTypes = [stockoutRisk, backInStock];

declare module '@jbot/core' {
  interface SignalPayloads {
    stockout_risk: z.output<typeof stockoutRisk.schema>;
    back_in_stock: z.output<typeof backInStock.schema>;
  }
}
