import type { BotContext, OperatorInstruction } from '@jbot/core';
import { money, percent } from './figures.js';

interface StoredSignal {
  [column: string]: unknown;
  signal_id: string;
  signal_type: string;
  severity: string;
  payload: Record<string, unknown>;
}

const CHANNEL_NAMES: Record<string, string> = { dtc: 'DTC', wholesale: 'Wholesale', amazon: 'Amazon' };

/**
 * The operator's reply to one of jbot's own lines (sales pace, a VIP email, a disclosure hold, a
 * press mention): never a silent no-op. jbot explains what it saw and what can be done, and for a
 * disclosure hold points at the release approval (IR/legal decide it; jbot does not release on a
 * reply). Returns the acknowledgement line the operator gets.
 */
export async function answerJbotInstruction(instruction: OperatorInstruction, context: Pick<BotContext, 'db' | 'approvals'>): Promise<string> {
  const wants = (pattern: RegExp) => pattern.test(instruction.text);
  if (instruction.signalId === null)
    return 'I answer replies to my own lines (sales flash, inbox, disclosure holds, news); for other work, name the bot ("sales: …") and I route it.';
  const [signal] = await context.db.rpc<StoredSignal>('get_signal', { p_signal_id: instruction.signalId });
  if (signal === undefined) return `that line's signal ${instruction.signalId} is gone (expired or reset); nothing to act on.`;
  const payload = signal.payload;
  switch (signal.signal_type) {
    case 'revenue_pace_miss': {
      const behind = (payload['channels_behind'] as Array<{ channel: string; mtd_revenue: number; plan_to_date: number; pace_pct: number }> | undefined) ?? [];
      const gaps = behind
        .map((channel) => ({ ...channel, gap: channel.plan_to_date - channel.mtd_revenue }))
        .sort((left, right) => right.gap - left.gap)
        .map((channel) => `${CHANNEL_NAMES[channel.channel] ?? channel.channel} ${percent(channel.pace_pct)} of plan (${money(channel.gap)} behind)`);
      return `${String(payload['month'])} is at ${percent(Number(payload['pace_pct']))} of plan to date (${money(Number(payload['mtd_revenue']))} vs ${money(Number(payload['plan_to_date']))}). Behind: ${
        gaps.join('; ') || 'no single channel'
      }. The daily flash on #jbot has the split by brand; ask the channel's bot for a plan ("mktg: …", "sales: …").`;
    }
    case 'operator_action_needed':
      if (wants(/\b(done|handled|replied|sorted)\b/i))
        return `noted: "${String(payload['subject'])}" from ${String(payload['from'])} is handled; it will not be raised again.`;
      return `${String(payload['from'])} wrote "${String(payload['subject'])}" (${String(payload['reason'])}). Reply in Gmail — I never send from your mailbox without an approval. Answer "done" once handled.`;
    case 'disclosure_hold': {
      const approvalId = typeof payload['approval_id'] === 'string' ? payload['approval_id'] : null;
      const release = approvalId === null ? null : await context.approvals.findByRequestKey(`disclosure-release:${approvalId}`);
      const where =
        approvalId === null
          ? `it is scheduled outside the approval flow (${String(payload['item'])}): unschedule or edit it there`
          : release === null
            ? `approval ${approvalId} is on hold`
            : `approval ${approvalId} is on hold; IR/legal can release it with approval ${release.id} (release_disclosure_hold, now ${release.status})`;
      return `held for the quiet period until ${String(payload['quiet_period_until'])}: "${String(payload['excerpt'])}" matched ${String(payload['rule'])}. ${where}. ${
        wants(/\brelease|approve|ok\b/i) ? 'A reply cannot release it: the release is an IR/legal approval.' : ''
      }`.trim();
    }
    case 'press_mention':
      return `${String(payload['outlet'])}: "${String(payload['headline'])}" (${String(payload['sentiment'])} for ${String(payload['entity'])}) — ${String(payload['url'])}. Ask contentbot or socialbot for a response draft if one is needed.`;
    case 'sales_flash':
      return `${String(payload['headline'])}. The full table by channel and brand is on #jbot.`;
    default:
      return `that line (${signal.signal_type}) has no action in jbot; reply to the source bot's line instead.`;
  }
}
