import { runOnce, type BotContext, type Signal } from '@jbot/core';

/** One line about a fleet event, as #sys-bot shows it. */
export function fleetEventLine(signal: Pick<Signal, 'type' | 'payload' | 'severity'>): string {
  const payload = signal.payload as Record<string, unknown>;
  const who = `${String(payload['bot'])}${payload['host'] === undefined ? '' : `@${String(payload['host'])}`}`;
  switch (signal.type) {
    case 'job_failed':
      return `${who}: job ${String(payload['job'])} failed ${String(payload['consecutive_failures'])}× in a row — ${String(payload['error'])}`;
    case 'job_missed':
      return `${who}: job ${String(payload['job'])} ${payload['status'] === 'abandoned' ? 'was abandoned (its process died mid-run)' : 'missed its tick'} at ${String(payload['scheduled_for'])}`;
    case 'bot_unhealthy':
      return `${who} is unhealthy: ${String(payload['reason'])}`;
    case 'budget_exceeded':
      return `${who}: LLM spend $${Number(payload['spent_usd']).toFixed(4)} against its $${Number(payload['cap_usd']).toFixed(2)} ${String(payload['scope'])} cap (${String(payload['day'])})`;
    default:
      return `${signal.type}: ${JSON.stringify(payload)}`;
  }
}

/**
 * sysbot watches the fleet's own health: every failing or missed job, unhealthy bot and budget
 * event is logged as one line on #sys-bot (once per signal), so the fleet's condition reads in one
 * channel; jbot separately escalates what is warning or worse to the operator.
 */
export async function postFleetEvent(signal: Signal, context: BotContext): Promise<void> {
  // sysbot's own signals (unhealthy bots, budgets) are already posted in full on #sys-bot.
  if (signal.sourceBot === context.bot) return;
  const outcome = await runOnce(context.db, { key: `sysbot:event:${signal.id}`, bot: context.bot }, async () => {
    const posted = await context.channel.post({ kind: 'fleet_event', title: fleetEventLine(signal), text: '', severity: signal.severity, signalId: signal.id });
    return { messageId: posted.messageId };
  });
  if (!outcome.ran && outcome.status === 'claimed') throw new Error(`the post for signal ${signal.id} is in progress elsewhere; retrying`);
}
