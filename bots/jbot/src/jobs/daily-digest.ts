import { defineJob } from '@jbot/core';
import type { JbotConfig } from '../jbot-config.js';

interface ListedSignal {
  [column: string]: unknown;
  signal_id: string;
  source_bot: string;
  signal_type: string;
  severity: string;
  repeat_count: number;
}

/** The daily digest: every info signal of the last day, counted by bot and type, on jbot's channel. */
export const dailyDigest = defineJob<JbotConfig>({
  id: 'daily-digest',
  description: "The day's info signals, counted by bot and type, posted to #jbot",
  schedule: (config) => `${config.digestTime.minute} ${config.digestTime.hour} * * *`,
  missed: 'once',
  async run(context) {
    const since = new Date(context.scheduledFor.getTime() - 24 * 3600 * 1000).toISOString();
    const signals = await context.db.rpc<ListedSignal>('list_signals', { p_limit: 5000, p_since: since });
    const counts = new Map<string, number>();
    for (const signal of signals) {
      if (signal.severity !== 'info' || signal.signal_type === 'operator_instruction') continue;
      const key = `${signal.source_bot} · ${signal.signal_type}`;
      counts.set(key, (counts.get(key) ?? 0) + Number(signal.repeat_count));
    }
    const lines = [...counts.entries()].sort((left, right) => right[1] - left[1]).map(([key, count]) => `• ${key}: ${count}`);
    const text = [`Daily digest (${lines.length === 0 ? 'quiet day' : `${lines.length} kinds of update`})`, ...lines].join('\n');
    // Through the bot's channel, so the digest reaches Discord #jbot (or the local console).
    const [title = '', ...body] = text.split('\n');
    await context.channel.post({ kind: 'digest', title, text: body.length === 0 ? 'No info signals in the last 24 hours.' : body.join('\n') });
    return { kinds: lines.length };
  },
});
