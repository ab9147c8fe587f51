import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { readRequestText } from '../http-body.js';

/** The organisation's objects, in Xero's own JSON (PascalCase, "/Date(ms+0000)/" dates). */
export interface FakeXeroSeed {
  contacts?: readonly object[];
  invoices?: readonly object[];
  payments?: readonly object[];
  creditNotes?: readonly object[];
}

/** Options for the fake. */
export interface FakeXeroOptions {
  seed?: FakeXeroSeed;
  clientId?: string;
  clientSecret?: string;
  /** The refresh token the first refresh must present (default "fake-xero-refresh-0"). */
  refreshToken?: string;
  tenantId?: string;
  /** Seconds an access token lives (Xero: 1800). */
  accessTokenSeconds?: number;
}

/** A local HTTP server speaking the slice of Xero's identity and Accounting API the live connector uses. */
export interface FakeXero {
  /** Point XERO_API_BASE here (…/api.xro/2.0). */
  apiBase: string;
  /** Point XERO_TOKEN_URL here (…/connect/token). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  tenantId: string;
  /** The one refresh token Xero accepts now: each refresh rotates it and the old one stops working. */
  currentRefreshToken(): string;
  /** Refresh-token grants served, in order (including refused ones). */
  tokenRequests: Array<{ refreshToken: string; granted: boolean }>;
  /** Every API request, in order. */
  requests: Array<{ method: string; path: string; query: string }>;
  /** Expire every access token issued so far (the next call must refresh). */
  expireAccessTokens(): void;
  close(): Promise<void>;
}

const msOf = (value: unknown): number => Number(/^\/Date\((-?\d+)/.exec(String(value))?.[1] ?? Number.NaN);

// Xero's where clause is a C#-like expression; the fake understands the conjunctions the connector sends.
function matchesWhere(object: Record<string, unknown>, where: string | null): boolean {
  if (where === null || where.trim() === '') return true;
  return where.split(/\s+AND\s+/i).every((clause) => {
    const equals = /^(\w+)\s*==\s*"([^"]*)"$/.exec(clause.trim());
    if (equals !== null) return String(object[equals[1] ?? '']) === equals[2];
    const greater = /^(\w+)\s*>\s*(-?[\d.]+)$/.exec(clause.trim());
    if (greater !== null) return Number(object[greater[1] ?? '']) > Number(greater[2]);
    const since = /^(\w+)\s*>=\s*DateTime\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(clause.trim());
    if (since !== null) return msOf(object[since[1] ?? '']) >= Date.UTC(Number(since[2]), Number(since[3]) - 1, Number(since[4]));
    throw new Error(`fake Xero cannot evaluate where clause "${clause}"`);
  });
}

function ordered(objects: Array<Record<string, unknown>>, order: string | null): Array<Record<string, unknown>> {
  const [field, direction] = (order ?? '').trim().split(/\s+/);
  if (field === undefined || field === '') return objects;
  const sign = direction?.toUpperCase() === 'DESC' ? -1 : 1;
  const key = (object: Record<string, unknown>) => (String(object[field]).startsWith('/Date(') ? msOf(object[field]) : Number(object[field]));
  return [...objects].sort((left, right) => sign * (key(left) - key(right)));
}

/** Start the fake Xero on a free loopback port. */
export async function startFakeXero(options: FakeXeroOptions = {}): Promise<FakeXero> {
  const clientId = options.clientId ?? 'fake-xero-client';
  const clientSecret = options.clientSecret ?? 'fake-xero-secret';
  const tenantId = options.tenantId ?? randomUUID();
  const lifetime = options.accessTokenSeconds ?? 1800;
  let refreshToken = options.refreshToken ?? 'fake-xero-refresh-0';
  let rotations = 0;
  const accessTokens = new Map<string, number>();
  const seed = options.seed ?? {};
  const rowsOf = (objects: readonly object[] | undefined) => [...(objects ?? [])] as Array<Record<string, unknown>>;
  const collections: Record<string, { key: string; rows: Array<Record<string, unknown>> }> = {
    invoices: { key: 'Invoices', rows: rowsOf(seed.invoices) },
    contacts: { key: 'Contacts', rows: rowsOf(seed.contacts) },
    payments: { key: 'Payments', rows: rowsOf(seed.payments) },
    creditnotes: { key: 'CreditNotes', rows: rowsOf(seed.creditNotes) },
  };
  const tokenRequests: FakeXero['tokenRequests'] = [];
  const requests: FakeXero['requests'] = [];

  const json = (response: http.ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  };

  const server = http.createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://fake-xero');
      const body = await readRequestText(request);
      if (request.method === 'POST' && url.pathname === '/connect/token') {
        const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
        if (request.headers.authorization !== expected) return json(response, 401, { error: 'invalid_client' });
        const form = new URLSearchParams(body);
        const presented = form.get('refresh_token') ?? '';
        const granted = form.get('grant_type') === 'refresh_token' && presented === refreshToken;
        tokenRequests.push({ refreshToken: presented, granted });
        if (!granted) return json(response, 400, { error: 'invalid_grant' });
        rotations += 1;
        refreshToken = `fake-xero-refresh-${rotations}`;
        const accessToken = `fake-xero-access-${randomUUID()}`;
        accessTokens.set(accessToken, Date.now() + lifetime * 1000);
        return json(response, 200, {
          id_token: 'fake.id.token',
          access_token: accessToken,
          expires_in: lifetime,
          token_type: 'Bearer',
          refresh_token: refreshToken,
          scope: 'openid profile email accounting.transactions.read accounting.contacts.read offline_access',
        });
      }
      const api = /^\/api\.xro\/2\.0\/(\w+)$/.exec(url.pathname);
      if (api === null) return json(response, 404, { Title: 'Not Found', Detail: `fake Xero does not implement ${request.method} ${url.pathname}` });
      requests.push({ method: request.method ?? 'GET', path: url.pathname, query: url.search });
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const expiresAt = accessTokens.get(token);
      if (expiresAt === undefined || expiresAt <= Date.now())
        return json(response, 401, { Type: null, Title: 'Unauthorized', Status: 401, Detail: 'TokenExpired: token expired at ' + new Date().toUTCString() });
      if (request.headers['xero-tenant-id'] !== tenantId)
        return json(response, 403, { Type: null, Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' });
      const collection = collections[(api[1] ?? '').toLowerCase()];
      if (request.method !== 'GET' || collection === undefined)
        return json(response, 404, { Title: 'Not Found', Detail: `fake Xero does not implement ${request.method} ${url.pathname}` });
      let rows = collection.rows;
      const ids = url.searchParams.get('IDs');
      if (ids !== null) {
        const wanted = new Set(ids.split(','));
        rows = rows.filter((row) => wanted.has(String(row['ContactID'] ?? row['InvoiceID'] ?? '')));
      }
      const statuses = url.searchParams.get('Statuses');
      if (statuses !== null) rows = rows.filter((row) => statuses.split(',').includes(String(row['Status'])));
      try {
        rows = ordered(
          rows.filter((row) => matchesWhere(row, url.searchParams.get('where'))),
          url.searchParams.get('order'),
        );
      } catch (error) {
        return json(response, 400, { ErrorNumber: 16, Type: 'QueryParseException', Message: (error as Error).message });
      }
      const pageSize = Number(url.searchParams.get('pageSize') ?? 100);
      const page = Number(url.searchParams.get('page') ?? 0);
      if (page > 0) rows = rows.slice((page - 1) * pageSize, page * pageSize);
      return json(response, 200, {
        Id: randomUUID(),
        Status: 'OK',
        ProviderName: 'jbot fleet',
        DateTimeUTC: `/Date(${Date.now()})/`,
        ...(page > 0 ? { pagination: { page, pageSize, pageCount: Math.ceil(collection.rows.length / pageSize), itemCount: rows.length } } : {}),
        [collection.key]: rows,
      });
    })().catch((error: unknown) => json(response, 500, { Title: 'fake Xero error', Detail: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    apiBase: `${base}/api.xro/2.0`,
    tokenUrl: `${base}/connect/token`,
    clientId,
    clientSecret,
    tenantId,
    currentRefreshToken: () => refreshToken,
    tokenRequests,
    requests,
    expireAccessTokens: () => {
      for (const token of accessTokens.keys()) accessTokens.set(token, 0);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error)))),
  };
}
