import { z } from 'zod';
import type { Severity } from './severity.js';
import { SignalPayloadError, UnknownSignalTypeError } from './signal-errors.js';

/**
 * Every signal type of the fleet and its parsed payload, by name. Core declares its own; each
 * bot adds the types it introduces by augmenting this interface from its `signals.ts`
 * (`declare module '@jbot/core' { interface SignalPayloads { … } }`), so a consumer's handler
 * is typed from the producer's schema without a package depending on another bot.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SignalPayloads {}

/** The payload of a catalogued signal type, as its consumer receives it (parsed). */
export type PayloadOf<Type extends keyof SignalPayloads> = SignalPayloads[Type];

/** A signal type: its name, what it means, and the zod schema every payload must pass. */
export interface SignalType<Schema extends z.ZodType = z.ZodType> {
  type: string;
  description: string;
  schema: Schema;
  defaultSeverity: Severity;
}

/** Declare a signal type. Names are lower_snake_case. */
export function defineSignalType<Schema extends z.ZodType>(definition: {
  type: string;
  description: string;
  schema: Schema;
  defaultSeverity?: Severity;
}): SignalType<Schema> {
  if (!/^[a-z][a-z0-9_.]*$/.test(definition.type)) throw new Error(`Signal type "${definition.type}" must be lower_snake_case`);
  return { defaultSeverity: 'info', ...definition };
}

/** The signal types a process knows; emit and consume both validate against it. */
export class SignalRegistry {
  private readonly types = new Map<string, SignalType>();

  constructor(types: Iterable<SignalType> = []) {
    for (const type of types) this.register(type);
  }

  /** Add a type; registering the same name twice with another schema is a programming error. */
  register(type: SignalType): this {
    const existing = this.types.get(type.type);
    if (existing !== undefined && existing !== type) throw new Error(`Signal type "${type.type}" is registered twice`);
    this.types.set(type.type, type);
    return this;
  }

  /** The type's definition, or UnknownSignalTypeError. */
  get(signalType: string): SignalType {
    const type = this.types.get(signalType);
    if (type === undefined) throw new UnknownSignalTypeError(signalType, [...this.types.keys()].sort());
    return type;
  }

  has(signalType: string): boolean {
    return this.types.has(signalType);
  }

  /** Validate a payload; returns the parsed value or throws SignalPayloadError naming the fields. */
  parse(signalType: string, payload: unknown): unknown {
    const result = this.get(signalType).schema.safeParse(payload);
    if (!result.success) throw new SignalPayloadError(signalType, result.error.issues);
    return result.data;
  }

  list(): SignalType[] {
    return [...this.types.values()];
  }
}
