import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types opsbot introduces (see bots/salesbot/src/signals.ts for why they live here).

/** An inbound shipment is late against its promised ETA (the freight cascade). */
export const freightDelay = defineSignalType({
  type: 'freight_delay',
  description: 'An inbound shipment is late against its promised ETA',
  defaultSeverity: 'alert',
  schema: z.object({
    shipment_id: z.string().min(1),
    delay_days: z.number().int().positive(),
    supplier: z.string().optional(),
    origin: z.string().optional(),
    promised_eta: z.string().optional(),
    expected_eta: z.string().optional(),
    skus: z.array(z.string()).optional(),
  }),
});

/** Every type opsbot introduces. */
export const signalTypes = [freightDelay];

declare module '@jbot/core' {
  interface SignalPayloads {
    freight_delay: z.output<typeof freightDelay.schema>;
  }
}
