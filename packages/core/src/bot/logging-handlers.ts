import type { BotDefinition } from './define-bot.js';

/**
 * Handlers that only log each signal they receive and ack it. A bot subscribes with these while
 * its real workflow for a type is not written yet, so delivery stays visible end to end.
 */
export function loggingHandlers(signalTypes: readonly string[]): NonNullable<BotDefinition['on']> {
  return Object.fromEntries(
    signalTypes.map((signalType) => [
      signalType,
      (signal, context) => {
        context.log.info({ signalId: signal.id, severity: signal.severity, from: signal.sourceBot }, `received ${signalType}`);
      },
    ]),
  ) as NonNullable<BotDefinition['on']>;
}
