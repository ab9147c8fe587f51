import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types sysbot introduces (see bots/salesbot/src/signals.ts for why they live here).

/** A bot stopped sending heartbeats or keeps restarting. */
export const botUnhealthy = defineSignalType({
  type: 'bot_unhealthy',
  description: 'A bot is down, stale or restarting repeatedly',
  defaultSeverity: 'alert',
  schema: z.object({ bot: z.string(), host: z.string().optional(), reason: z.string(), seconds_since_seen: z.number().optional() }),
});

/** Every type sysbot introduces. */
export const signalTypes = [botUnhealthy];

declare module '@jbot/core' {
  interface SignalPayloads {
    bot_unhealthy: z.output<typeof botUnhealthy.schema>;
  }
}
