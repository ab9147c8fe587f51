import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The token the fake Graph API knows, and what debug_token says about it. */
export interface FakeMetaToken {
  accessToken: string;
  /** Unix seconds; 0 = never expires (system-user tokens). */
  expiresAt: number;
  /** Unix seconds until the data access window closes (90 days for user tokens). */
  dataAccessExpiresAt: number;
  isValid?: boolean;
  type?: 'USER' | 'SYSTEM_USER' | 'PAGE' | 'APP';
  scopes?: string[];
}

/** A local server speaking the slice of Meta's Graph API sysbot reads: GET /{version}/debug_token. */
export interface FakeMetaGraph {
  /** Point META_API_BASE here. */
  url: string;
  token: FakeMetaToken;
  requests: string[];
  close(): Promise<void>;
}

/**
 * Graph API's debug_token: `{data: {app_id, type, application, is_valid, expires_at,
 * data_access_expires_at, scopes, user_id}}` for a token the caller may inspect; an unknown
 * access_token is HTTP 400 with an OAuthException code 190, as the Graph API answers.
 */
export async function startFakeMetaGraph(token: FakeMetaToken): Promise<FakeMetaGraph> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    requests.push(url.pathname);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (!/^\/v\d+\.\d+\/debug_token$/.test(url.pathname)) return send(400, { error: { message: 'Unknown path', type: 'GraphMethodException', code: 100 } });
    if (url.searchParams.get('access_token') !== token.accessToken)
      return send(400, { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 } });
    send(200, {
      data: {
        app_id: '1234567890',
        type: token.type ?? 'SYSTEM_USER',
        application: 'JBOT Fleet',
        data_access_expires_at: token.dataAccessExpiresAt,
        expires_at: token.expiresAt,
        is_valid: token.isValid ?? true,
        scopes: token.scopes ?? ['ads_management', 'ads_read'],
        user_id: '9876543210',
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, token, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
