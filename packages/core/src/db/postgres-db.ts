import postgres from 'postgres';
import { BrainCallError, BrainConnectionError } from './brain-error.js';
import { assertIdentifier, type Db, type Listener, type Row } from './db.js';

/** Options for the postgres.js transport. */
export interface PostgresDbOptions {
  url: string;
  poolMax?: number;
  /** Named prepared statements; turn off behind a transaction-mode pooler (Supabase port 6543). */
  prepare?: boolean;
  applicationName?: string;
  /**
   * Start every connection under this role (the `role` startup setting, as SET ROLE) and these
   * settings: the testkit's PostgREST stand-in speaks as the bot a JWT names this way.
   */
  sessionRole?: string;
  sessionSettings?: Record<string, string>;
}

const TIMESTAMP_TYPES = [1114, 1184, 1082];

// Same value shapes as PostgREST returns them, so code above the seam sees one format:
// timestamps as ISO strings, int8 and numeric as numbers.
const types = {
  timestamp: {
    to: 1184,
    from: TIMESTAMP_TYPES,
    serialize: (value: unknown) => (value instanceof Date ? value.toISOString() : String(value)),
    parse: (value: string) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value).toISOString(),
  },
  bigint: { to: 20, from: [20, 1700], serialize: (value: unknown) => String(value), parse: (value: string) => Number(value) },
};

// postgres.js describes each statement first, so it knows a parameter is jsonb and serialises
// objects and arrays itself; pre-stringifying would double-encode them.
function toParameter(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** Build `select * from fn(a => $1, b => $2)` and its values; undefined args are left out. */
export function rpcStatement(functionName: string, args: Record<string, unknown>): { text: string; values: unknown[] } {
  assertIdentifier(functionName, 'function name');
  const names: string[] = [];
  const values: unknown[] = [];
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined) continue;
    assertIdentifier(name, 'argument name');
    values.push(toParameter(value));
    names.push(`${name} => $${values.length}`);
  }
  return { text: `select * from ${functionName}(${names.join(', ')})`, values };
}

/** The postgres transport: postgres.js pool, LISTEN/NOTIFY for wake-ups. */
export function createPostgresDb(options: PostgresDbOptions): Db {
  let sql: postgres.Sql<Record<string, never>>;
  try {
    sql = postgres(options.url, {
      max: options.poolMax ?? 4,
      prepare: options.prepare ?? true,
      onnotice: () => {},
      types,
      connection: {
        application_name: options.applicationName ?? 'jbot-fleet',
        ...options.sessionSettings,
        ...(options.sessionRole === undefined ? {} : { role: options.sessionRole }),
      },
      connect_timeout: 10,
    }) as unknown as postgres.Sql<Record<string, never>>;
  } catch (error) {
    throw new BrainConnectionError(`DATABASE_URL could not be used: ${(error as Error).message}`, { cause: error, transport: 'postgres' });
  }

  return {
    transport: 'postgres',
    async rpc<Result extends Row>(functionName: string, args: Record<string, unknown> = {}): Promise<Result[]> {
      const statement = rpcStatement(functionName, args);
      try {
        const rows = await sql.unsafe(statement.text, statement.values as postgres.ParameterOrJSON<never>[]);
        return [...rows] as unknown as Result[];
      } catch (error) {
        throw wrapError(functionName, error);
      }
    },
    async listen(channel: string, onNotify: (payload: string) => void): Promise<Listener> {
      assertIdentifier(channel, 'channel');
      const subscription = await sql.listen(channel, onNotify);
      return { close: () => subscription.unlisten() };
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

function wrapError(functionName: string, error: unknown): Error {
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'CONNECT_TIMEOUT' || code === 'EAI_AGAIN' || code === '28P01' || code === '3D000') {
    return new BrainConnectionError(`The database is unreachable (${code}): ${(error as Error).message}. Check DATABASE_URL.`, {
      cause: error,
      transport: 'postgres',
    });
  }
  return new BrainCallError(functionName, (error as Error).message, { cause: error, ...(code === undefined ? {} : { sqlState: code }) });
}
