import type { Db } from '../db/db.js';
import type { EmitOptions, EmitResult } from './signal.js';
import type { SignalRegistry } from './signal-type.js';
import { rpcOne } from '../db/rpc-one.js';

/** Emits signals as one bot. */
export interface SignalEmitter {
  /** Validate the payload against the type's schema and write the signal; nothing is written on a bad payload. */
  emit(signalType: string, payload: unknown, options?: EmitOptions): Promise<EmitResult>;
}

/** Create the emitter a bot uses; validation happens before any database call. */
export function createSignalEmitter(dependencies: { db: Db; registry: SignalRegistry; bot: string }): SignalEmitter {
  const { db, registry, bot } = dependencies;
  return {
    async emit(signalType, payload, options = {}) {
      const parsed = registry.parse(signalType, payload);
      const severity = options.severity ?? registry.get(signalType).defaultSeverity;
      const row = await rpcOne<{ signal_id: string; deduplicated: boolean; repeat_count: number; created_at: string }>(
        db,
        options.sharedKey === true && options.dedupeKey !== undefined ? 'emit_signal_unless_raised' : 'emit_signal',
        {
          p_source_bot: bot,
          p_signal_type: signalType,
          p_severity: severity,
          p_payload: parsed,
          p_dedupe_key: options.dedupeKey,
          p_dedupe_window_seconds: options.dedupeWindowMs === undefined ? undefined : Math.max(1, Math.round(options.dedupeWindowMs / 1000)),
          p_expires_at: options.expiresAt,
        },
      );
      return { id: row.signal_id, deduplicated: row.deduplicated, repeatCount: Number(row.repeat_count), createdAt: row.created_at };
    },
  };
}
