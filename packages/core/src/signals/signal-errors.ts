import type { z } from 'zod';
import { FleetError } from '../errors/fleet-error.js';

/** emit() was given a signal_type that no bot has registered a schema for. */
export class UnknownSignalTypeError extends FleetError {
  constructor(signalType: string, known: readonly string[]) {
    super('signal_type_unknown', `Unknown signal type "${signalType}": register it with defineSignalType() (known: ${known.join(', ')}).`, {
      facts: { signalType },
    });
  }
}

/** emit() was given a payload its schema rejects; names each failing field. Nothing was written. */
export class SignalPayloadError extends FleetError {
  readonly issues: readonly z.core.$ZodIssue[];

  constructor(signalType: string, issues: readonly z.core.$ZodIssue[]) {
    const details = issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(payload)'}: ${issue.message}`);
    super('signal_payload_invalid', `Payload for signal "${signalType}" is invalid: ${details.join('; ')}`, {
      facts: { signalType, fields: issues.map((issue) => issue.path.join('.')) },
    });
    this.issues = issues;
  }
}
