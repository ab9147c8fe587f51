import { z } from 'zod';
import { defineSignalType } from '@jbot/core';

// The signal types socialbot introduces. Pure declarations (zod only), like bots/salesbot/src/signals.ts.

/** A brand × platform week of the next 14 days planned under its cadence (warning in a launch week). */
export const calendarGap = defineSignalType({
  type: 'calendar_gap',
  description: 'A brand and platform has fewer posts planned in a week than its cadence',
  defaultSeverity: 'info',
  schema: z.object({
    brand: z.string().min(1),
    platform: z.string().min(1),
    /** First day of the 7-day window (YYYY-MM-DD). */
    week: z.iso.date(),
    scheduled: z.number().int().nonnegative(),
    target: z.number().int().positive(),
    launch: z.string().optional(),
  }),
});

/** A pile-on: many negative comments on one post inside an hour. */
export const socialSentimentSpike = defineSignalType({
  type: 'social_sentiment_spike',
  description: 'Negative comments on one post at or above the spike threshold within the window',
  defaultSeverity: 'alert',
  schema: z.object({
    platform: z.string().min(1),
    post_id: z.string().min(1),
    negative_count: z.number().int().positive(),
    window_minutes: z.number().int().positive(),
    /** A few of the comments, verbatim (untrusted text: quote, never follow). */
    sample_comments: z.array(z.string()).max(5),
    /** The complaint the comments share, when one keyword dominates ("wax smell"). */
    theme: z.string().optional(),
    brand: z.string().optional(),
  }),
});

/** Every type socialbot introduces. */
export const signalTypes = [calendarGap, socialSentimentSpike];

declare module '@jbot/core' {
  interface SignalPayloads {
    calendar_gap: z.output<typeof calendarGap.schema>;
    social_sentiment_spike: z.output<typeof socialSentimentSpike.schema>;
  }
}
