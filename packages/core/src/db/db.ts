/** A row as returned by a brain function: column name → value (timestamps as ISO strings). */
export type Row = Record<string, unknown>;

/** A live subscription to database notifications; `close` stops it. */
export interface Listener {
  close(): Promise<void>;
}

/**
 * The one seam between the fleet and its database. Every operation is a SQL function from
 * supabase/migrations called by name with named arguments, so both transports (postgres.js
 * and supabase-js `.rpc()`) run exactly the same SQL.
 */
export interface Db {
  /** Which transport this is, for status output. */
  readonly transport: 'postgres' | 'supabase';
  /** Call a brain function with named arguments; undefined arguments take the function's default. */
  rpc<Result extends Row = Row>(functionName: string, args?: Record<string, unknown>): Promise<Result[]>;
  /**
   * Wake-ups on a NOTIFY channel. Only a hint: callers keep a poll backstop because a listener
   * may drop. Returns null when the transport cannot listen (supabase: polling is the guarantee).
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<Listener | null>;
  /** Close every connection. */
  close(): Promise<void>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Function and argument names are interpolated into SQL, so only plain identifiers pass. */
export function assertIdentifier(name: string, what: string): void {
  if (!IDENTIFIER.test(name)) throw new Error(`${what} "${name}" is not a plain lower-case SQL identifier`);
}
