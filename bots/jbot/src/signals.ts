// The signal types jbot introduces: none yet. Declare each with defineSignalType, list it in
// `signalTypes`, and add its payload to SignalPayloads (see bots/salesbot/src/signals.ts).
import type { SignalType } from '@jbot/core';

/** Every type jbot introduces. */
export const signalTypes: SignalType[] = [];
