import { AsyncLocalStorage } from 'node:async_hooks';
import { FleetError, type Db, type Logger } from '@jbot/core';
import { VendorTimeoutError } from './vendor-call.js';

/** Who made the calls a logged connector set records (from the run's child logger: bot, job, runId). */
export interface ConnectorCallCaller {
  bot?: string | null;
  job?: string | null;
  runId?: string | null;
}

// What one call in flight has reported about itself (rate-limit headers the adapter read).
interface CallObservation {
  rateLimitRemainingPct: number | null;
}

const observations = new AsyncLocalStorage<CallObservation>();

/**
 * A live adapter reports the rate limit it read from a vendor's headers (HubSpot
 * X-HubSpot-RateLimit-Remaining / -Max, Shopify throttleStatus, Meta x-business-use-case-usage):
 * the share still available, 0–100. Recorded with the call it happened in; a no-op outside one.
 */
export function noteRateLimitRemaining(remainingPct: number): void {
  const observation = observations.getStore();
  if (observation === undefined || !Number.isFinite(remainingPct)) return;
  const clamped = Math.max(0, Math.min(100, remainingPct));
  observation.rateLimitRemainingPct = observation.rateLimitRemainingPct === null ? clamped : Math.min(observation.rateLimitRemainingPct, clamped);
}

// The HTTP status behind an error, wherever the SDK put it (FleetError facts, SDK fields, a cause).
function httpStatusOf(error: unknown, depth = 0): number | null {
  if (error === null || typeof error !== 'object' || depth > 4) return null;
  const candidate = error as {
    status?: unknown;
    statusCode?: unknown;
    code?: unknown;
    response?: { status?: unknown };
    facts?: { status?: unknown };
    cause?: unknown;
  };
  for (const value of [candidate.facts?.status, candidate.status, candidate.statusCode, candidate.response?.status, candidate.code]) {
    if (typeof value === 'number' && value >= 100 && value <= 599) return value;
  }
  return httpStatusOf(candidate.cause, depth + 1);
}

// A stable error code, never a message (messages can carry customer data or a token).
function errorCodeOf(error: unknown): string | null {
  if (FleetError.isInstance(error)) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,60}$/.test(code)) return code;
  return error instanceof Error ? error.name.slice(0, 60) : null;
}

function timedOut(error: unknown, depth = 0): boolean {
  if (error instanceof VendorTimeoutError) return true;
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  const named = error as { name?: unknown; code?: unknown; cause?: unknown };
  if (named.name === 'TimeoutError' || named.code === 'vendor_timeout' || named.code === 'ETIMEDOUT' || named.code === 'UND_ERR_CONNECT_TIMEOUT') return true;
  return timedOut(named.cause, depth + 1);
}

/** Where logged connectors write: the brain, and a logger for a write that failed (the call itself still answers). */
export interface ConnectorCallLogOptions {
  db: Db;
  log?: Logger;
  caller?: ConnectorCallCaller;
}

// Methods that are not vendor calls.
const NOT_CALLS = new Set(['forRun', 'then', 'constructor', 'toJSON']);

/**
 * Wrap one connector so every method call is recorded in `connector_calls` (outcome, HTTP
 * status, latency, rate-limit headroom; never arguments or results). Generic over the connector's
 * shape: a connector added later is logged without changing it. `source` ("sample", "hubspot")
 * is the adapter's own `source` field where it has one.
 */
export function logConnectorCalls<Connector extends object>(name: string, connector: Connector, options: ConnectorCallLogOptions): Connector {
  const source = (connector as { source?: unknown }).source;
  const sourceName = typeof source === 'string' && source !== '' ? source : 'unknown';
  const wrapped = new Map<PropertyKey, unknown>();
  const record = async (operation: string, started: number, observation: CallObservation, error: unknown) => {
    const failed = error !== undefined;
    const status = failed ? httpStatusOf(error) : null;
    try {
      await options.db.rpc('record_connector_call', {
        p_connector: name,
        p_source: sourceName,
        p_operation: operation,
        p_ok: !failed,
        p_latency_ms: Math.round(performance.now() - started),
        p_bot: options.caller?.bot ?? null,
        p_job: options.caller?.job ?? null,
        p_run_id: options.caller?.runId ?? null,
        p_http_status: status,
        p_error_code: failed ? errorCodeOf(error) : null,
        p_timed_out: failed && timedOut(error),
        p_rate_limit_remaining_pct: observation.rateLimitRemainingPct,
      });
    } catch (logError) {
      // The call's own result stands; a lost log line is reported, not thrown into the job.
      options.log?.warn(
        { err: logError, connector: name, operation },
        'could not record a connector call in connector_calls; connector-health will not see it',
      );
    }
  };
  return new Proxy(connector, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property === 'symbol' || NOT_CALLS.has(property)) return value;
      const cached = wrapped.get(property);
      if (cached !== undefined) return cached;
      const method = value as (...parameters: unknown[]) => unknown;
      const logged = function (this: unknown, ...parameters: unknown[]) {
        const observation: CallObservation = { rateLimitRemainingPct: null };
        const started = performance.now();
        let result: unknown;
        try {
          result = observations.run(observation, () => method.apply(this === receiver ? target : this, parameters));
        } catch (error) {
          void record(property, started, observation, error);
          throw error;
        }
        if (!(result instanceof Promise)) {
          void record(property, started, observation, undefined);
          return result;
        }
        return result.then(
          async (answer: unknown) => {
            await record(property, started, observation, undefined);
            return answer;
          },
          async (error: unknown) => {
            await record(property, started, observation, error ?? new Error('rejected'));
            throw error;
          },
        );
      };
      wrapped.set(property, logged);
      return logged;
    },
  });
}

/** Wrap every connector of a set (each key of ctx.connectors) with logConnectorCalls; other fields stay as they are. */
export function logConnectorSet<Set extends object>(connectors: Set, options: ConnectorCallLogOptions): Set {
  const logged: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(connectors)) {
    logged[name] = value !== null && typeof value === 'object' ? logConnectorCalls(name, value as object, options) : value;
  }
  return logged as Set;
}

/** The caller a run's child logger carries (bot, job, runId bindings), for the log rows. */
export function callerOf(log: Logger | undefined): ConnectorCallCaller {
  const bindings = (log?.bindings?.() ?? {}) as Record<string, unknown>;
  const field = (key: string) => (typeof bindings[key] === 'string' ? (bindings[key] as string) : null);
  return { bot: field('bot'), job: field('job'), runId: field('runId') };
}
