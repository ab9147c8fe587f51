import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BrainCallError, createPostgresDb, type Db } from '@jbot/core';

/** A running PostgREST-compatible RPC server. */
export interface RpcTestServer {
  url: string;
  /** The key the server accepts (send as apikey / Bearer). */
  serviceRoleKey: string;
  /** How many RPC calls it served, by function. */
  calls: Map<string, number>;
  close(): Promise<void>;
}

/**
 * Speaks the slice of PostgREST that supabase-js `.rpc()` uses — `POST /rest/v1/rpc/<fn>` with
 * a JSON body of named arguments, a JSON array back, PostgREST-shaped errors — in front of a
 * real Postgres, so the supabase transport runs the same contract suite as the postgres one.
 */
export async function startRpcTestServer(databaseUrl: string, serviceRoleKey = 'test-service-role-key'): Promise<RpcTestServer> {
  const db: Db = createPostgresDb({ url: databaseUrl, poolMax: 4 });
  const calls = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    const match = /^\/rest\/v1\/rpc\/([a-z_][a-z0-9_]*)$/.exec(request.url?.split('?')[0] ?? '');
    if (request.method !== 'POST' || match === null) {
      send(404, { code: 'PGRST202', message: 'Not found', details: null, hint: null });
      return;
    }
    const key = request.headers['apikey'];
    if (key !== serviceRoleKey) {
      send(401, { code: 'PGRST301', message: 'Invalid API key', details: null, hint: null });
      return;
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const functionName = match[1] ?? '';
      calls.set(functionName, (calls.get(functionName) ?? 0) + 1);
      let args: Record<string, unknown>;
      try {
        args = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
      } catch {
        send(400, { code: 'PGRST102', message: 'Empty or invalid json', details: null, hint: null });
        return;
      }
      db.rpc(functionName, args).then(
        (rows) => send(200, rows),
        (error: unknown) => {
          const sqlState = error instanceof BrainCallError ? String(error.facts['sqlState'] ?? 'P0001') : 'P0001';
          const message = error instanceof Error ? error.message.replace(/^Brain function \w+\(\) failed: /, '') : String(error);
          send(sqlState === '42883' ? 404 : 400, { code: sqlState === '42883' ? 'PGRST202' : sqlState, message, details: null, hint: null });
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    serviceRoleKey,
    calls,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.close();
    },
  };
}
