import type { SupabaseClient } from '@supabase/supabase-js';
import { BrainCallError, BrainConnectionError } from './brain-error.js';
import { assertIdentifier, type Db, type Listener, type Row } from './db.js';

/** Options for the supabase transport. */
export interface SupabaseDbOptions {
  url: string;
  /** The apikey header: the service-role key (migrations, the owner's tools) or, with accessToken, the anon key. */
  serviceRoleKey: string;
  /** A bot's JWT (role claim fleet_<bot>), sent as the Authorization bearer so PostgREST runs each call as that role. */
  accessToken?: string;
}

/**
 * The supabase transport: every brain function through PostgREST `.rpc()`. It does not listen:
 * Realtime does not promise delivery, so callers' poll backstop is the guarantee here.
 */
export function createSupabaseDb(options: SupabaseDbOptions): Db {
  // Loaded on first use: processes on the postgres transport never pay supabase-js's memory.
  let clientPromise: Promise<SupabaseClient> | undefined;
  const connect = () =>
    (clientPromise ??= Promise.all([import('@supabase/supabase-js'), import('ws')]).then(([{ createClient }, { default: WebSocket }]) =>
      createClient(options.url, options.serviceRoleKey, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
        // Node 20 has no global WebSocket; supabase-js needs one for its Realtime client.
        realtime: { transport: WebSocket as never },
        ...(options.accessToken === undefined ? {} : { global: { headers: { Authorization: `Bearer ${options.accessToken}` } } }),
      }),
    ));
  return {
    transport: 'supabase',
    async rpc<Result extends Row>(functionName: string, args: Record<string, unknown> = {}): Promise<Result[]> {
      assertIdentifier(functionName, 'function name');
      const body: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(args)) {
        if (value === undefined) continue;
        assertIdentifier(name, 'argument name');
        body[name] = value instanceof Date ? value.toISOString() : value;
      }
      let response;
      try {
        response = await (await connect()).rpc(functionName, body);
      } catch (error) {
        throw new BrainConnectionError(`Supabase is unreachable: ${(error as Error).message}. Check SUPABASE_URL.`, { cause: error, transport: 'supabase' });
      }
      if (response.error !== null) {
        const message = response.error.message;
        if (/fetch failed|ECONNREFUSED|ENOTFOUND/i.test(message) || response.status === 401) {
          throw new BrainConnectionError(`Supabase refused or is unreachable: ${message}. Check SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY.`, {
            transport: 'supabase',
          });
        }
        throw new BrainCallError(functionName, message, { sqlState: response.error.code });
      }
      const data: unknown = response.data;
      if (Array.isArray(data)) return data as Result[];
      if (data === null || data === undefined) return [];
      return [data as Result];
    },
    async listen(): Promise<Listener | null> {
      return null;
    },
    async close() {
      if (clientPromise !== undefined) await (await clientPromise).removeAllChannels();
    },
  };
}
