import type { JobDefinition } from '@jbot/core';
import type { JbotConfig } from '../jbot-config.js';
import { WORK_FLOOR_CHANNELS } from '../routing.js';

interface ListedSignal {
  [column: string]: unknown;
  signal_id: string;
  source_bot: string;
  signal_type: string;
  severity: string;
  repeat_count: number;
}

/** The daily digest: every info signal of the last day, counted by bot and type, on jbot's channel. */
export function dailyDigestJob(config: JbotConfig): JobDefinition {
  return {
    id: 'daily-digest',
    description: "The day's info signals, counted by bot and type, posted to #jbot",
    schedule: `${config.digestTime.minute} ${config.digestTime.hour} * * *`,
    tz: config.routing.timeZone,
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
      await context.db.rpc('record_channel_message', { p_channel: 'local', p_target: WORK_FLOOR_CHANNELS['jbot'], p_bot: 'jbot', p_text: text, p_body: { kind: 'digest', run_id: context.runId } });
      return { kinds: lines.length };
    },
  };
}
