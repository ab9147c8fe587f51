// The signal types mktgbot introduces: none yet. Declare each with defineSignalType, list it in
// `signalTypes`, and add its payload to SignalPayloads (see bots/salesbot/src/signals.ts).
import type { SignalType } from '@jbot/core';

/** Every type mktgbot introduces. */
export const signalTypes: SignalType[] = [];
