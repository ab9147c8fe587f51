import type { BotContext, Signal } from '@jbot/core';
import type { JbotConfig } from './jbot-config.js';
import { routeSignal, synthesiseLine, workFloorText } from './routing.js';
import { TELEGRAM_UNDELIVERED_KEY_PREFIX } from './telegram-service.js';

/**
 * jbot's handler for every signal: apply the routing rules. The work-floor post and the
 * escalation are each written once per signal, so a redelivered signal changes nothing.
 */
export async function escalateSignal(
  signal: Signal,
  context: BotContext,
  dependencies: { config: JbotConfig; now: () => Date; wake: () => void },
): Promise<void> {
  const decision = routeSignal(signal, dependencies.config.routing, dependencies.now());
  await context.db.rpc('record_signal_post', {
    p_signal_id: signal.id,
    p_channel: 'local',
    p_target: decision.workFloor.channel,
    p_bot: signal.sourceBot,
    p_text: workFloorText(signal),
    p_body: { kind: 'signal', severity: signal.severity, signal_type: signal.type },
  });
  if (decision.telegram === null) return;
  // "Telegram has not delivered …" is for the work floor: on Telegram it would only queue behind
  // the lines it reports (and, undelivered in turn, raise itself again).
  if (signal.sourceBot === 'jbot' && signal.dedupeKey?.startsWith(TELEGRAM_UNDELIVERED_KEY_PREFIX) === true) return;
  // A dead Telegram is reported through the other channel: sysbot's post on Discord #sys-bot and
  // this console line. Queued for Telegram it would wait behind the outage it reports.
  if (signal.type === 'channel_down' && (signal.payload as { channel?: unknown }).channel === 'telegram') {
    context.log.error(
      { signalId: signal.id, payload: signal.payload },
      `CHANNEL DOWN: ${synthesiseLine(signal)} (reported on ${decision.workFloor.channel}, not on Telegram)`,
    );
    return;
  }
  const [result] = await context.db.rpc<{ escalated: boolean; status: string }>('escalate_signal', {
    p_signal_id: signal.id,
    p_line: synthesiseLine(signal),
    p_hold: decision.telegram.hold,
    p_chat_ids: decision.telegram.chats,
  });
  context.log.info(
    { signalId: signal.id, severity: signal.severity, hold: decision.telegram.hold, escalated: result?.escalated },
    decision.telegram.hold ? 'escalation held for the morning brief' : 'escalated to Telegram',
  );
  if (!decision.telegram.hold) dependencies.wake();
}
