import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BrainCallError, createPostgresDb, type Db } from '@jbot/core';
import { verifyTestJwt } from './test-jwt.js';

/** A running PostgREST-compatible RPC server. */
export interface RpcTestServer {
  url: string;
  /** The key the server accepts (send as apikey / Bearer). */
  serviceRoleKey: string;
  /** How many RPC calls it served, by function. */
  calls: Map<string, number>;
  /** The anon key: accepted as apikey only together with a bearer JWT signed with jwtSecret. */
  anonKey: string;
  /** Signs the JWTs the server accepts (signTestJwt), as a Supabase project's JWT secret. */
  jwtSecret: string;
  close(): Promise<void>;
}

/** What the server accepts besides the service-role key. */
export interface RpcTestServerOptions {
  anonKey?: string;
  jwtSecret?: string;
}

/**
 * Speaks the slice of PostgREST that supabase-js `.rpc()` uses — `POST /rest/v1/rpc/<fn>` with
 * a JSON body of named arguments, a JSON array back, PostgREST-shaped errors — in front of a
 * real Postgres, so the supabase transport runs the same contract suite as the postgres one.
 */
export async function startRpcTestServer(
  databaseUrl: string,
  serviceRoleKey = 'test-service-role-key',
  options: RpcTestServerOptions = {},
): Promise<RpcTestServer> {
  const anonKey = options.anonKey ?? 'test-anon-key';
  const jwtSecret = options.jwtSecret ?? 'test-jwt-secret-with-at-least-32-characters';
  const db: Db = createPostgresDb({ url: databaseUrl, poolMax: 4 });
  // As PostgREST: a bearer JWT's role claim becomes the session's role, its claims
  // request.jwt.claims. One small pool per token (a bot's token does not change).
  const roleDbs = new Map<string, Db>();
  const dbFor = (claims: Record<string, unknown>, token: string): Db => {
    let roleDb = roleDbs.get(token);
    if (roleDb === undefined) {
      roleDb = createPostgresDb({
        url: databaseUrl,
        poolMax: 2,
        sessionRole: String(claims['role']),
        sessionSettings: { 'request.jwt.claims': JSON.stringify(claims) },
      });
      roleDbs.set(token, roleDb);
    }
    return roleDb;
  };
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
    const bearer = /^Bearer (.+)$/.exec(request.headers['authorization'] ?? '')?.[1];
    let callDb = db;
    if (bearer !== undefined && bearer !== serviceRoleKey && (key === anonKey || key === serviceRoleKey)) {
      const claims = verifyTestJwt(jwtSecret, bearer);
      if (claims === null || typeof claims['role'] !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(claims['role'])) {
        send(401, { code: 'PGRST301', message: 'JWT invalid or without a role claim', details: null, hint: null });
        return;
      }
      callDb = dbFor(claims, bearer);
    } else if (key !== serviceRoleKey) {
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
      callDb.rpc(functionName, args).then(
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
    anonKey,
    jwtSecret,
    calls,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([db.close(), ...[...roleDbs.values()].map((roleDb) => roleDb.close())]);
    },
  };
}
