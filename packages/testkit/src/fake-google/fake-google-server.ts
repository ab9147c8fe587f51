import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { readRequestText } from '../http-body.js';

/** A Calendar event as Google's REST API returns it (calendar#event, the fields jbot reads). */
export interface FakeCalendarEvent {
  id: string;
  status?: 'confirmed' | 'tentative' | 'cancelled';
  summary: string;
  description?: string;
  location?: string;
  start: { dateTime?: string; date?: string; timeZone?: string };
  end: { dateTime?: string; date?: string; timeZone?: string };
  attendees?: Array<{ email: string; displayName?: string; organizer?: boolean; self?: boolean; responseStatus: string; resource?: boolean }>;
  updated: string;
}

/** A Gmail message as the fake keeps it: its metadata headers, labels and history id. */
export interface FakeGmailMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  snippet: string;
  historyId: number;
  /** Milliseconds since the epoch, as Gmail's internalDate. */
  internalDate: number;
  headers: Array<{ name: string; value: string }>;
  /** The raw RFC 822 text, for messages sent through the fake. */
  raw?: string;
}

/** What the fake starts with, and how it behaves. */
export interface FakeGoogleOptions {
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  events?: FakeCalendarEvent[];
  messages?: FakeGmailMessage[];
  /** Gmail's mailbox address. */
  emailAddress?: string;
  /** Page size when a request asks for more (forces pagination in tests). */
  pageSize?: number;
  /** History ids below this answer 404 (Gmail keeps about a week). */
  oldestHistoryId?: number;
}

/** One request as the fake received it. */
export interface FakeGoogleRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  authorization: string | undefined;
}

/** The running fake. */
export interface FakeGoogle {
  /** Put it in GOOGLE_API_BASE. */
  url: string;
  /** Put it in GOOGLE_OAUTH_TOKEN_URL. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  requests: FakeGoogleRequest[];
  /** Access tokens issued by the token endpoint, in order. */
  tokensIssued: string[];
  /** Messages sent through users.messages.send. */
  sent(): FakeGmailMessage[];
  /** A new message arrives in the inbox (next history id). */
  deliver(message: Omit<FakeGmailMessage, 'historyId'>): FakeGmailMessage;
  /** Revoke every access token issued so far (the next API call answers 401; the client refreshes). */
  expireAccessTokens(): void;
  /** Fail the next request whose path matches with this status. */
  failNext(fault: { path: RegExp; status: number }): void;
  close(): Promise<void>;
}

class GoogleHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
};

/**
 * A local server speaking Google's OAuth token endpoint (refresh-token grant) and the REST wire
 * format of Calendar v3 events.list and Gmail v1 (profile, messages.list/get/send, history.list),
 * with page tokens, Bearer checks and Google's error envelope. The official SDKs run against it.
 */
export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const clientId = options.clientId ?? 'fake-client-id.apps.googleusercontent.com';
  const clientSecret = options.clientSecret ?? 'fake-client-secret';
  const refreshToken = options.refreshToken ?? '1//fake-refresh-token';
  const emailAddress = options.emailAddress ?? 'operator@example.com';
  const events = [...(options.events ?? [])];
  const messages = [...(options.messages ?? [])].sort((left, right) => left.historyId - right.historyId);
  const requests: FakeGoogleRequest[] = [];
  const tokensIssued: string[] = [];
  const valid = new Set<string>();
  const faults: Array<{ path: RegExp; status: number }> = [];
  let historyId = Math.max(1000, ...messages.map((message) => message.historyId));
  const pageSize = (asked: string | undefined, fallback: number) => Math.min(Number(asked ?? fallback), options.pageSize ?? Number.MAX_SAFE_INTEGER);

  function page<Item>(items: Item[], size: number, token: string | undefined): { items: Item[]; next: string | undefined } {
    const start = token === undefined ? 0 : Number(token.replace(/^p/, ''));
    return { items: items.slice(start, start + size), next: start + size < items.length ? `p${start + size}` : undefined };
  }

  function token(body: string): { status: number; body: unknown } {
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'refresh_token') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' } };
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret)
      return { status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } };
    if (form.get('refresh_token') !== refreshToken)
      return { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } };
    const access = `ya29.fake-${randomBytes(8).toString('hex')}`;
    tokensIssued.push(access);
    valid.add(access);
    return {
      status: 200,
      body: {
        access_token: access,
        expires_in: 3599,
        scope: 'https://www.googleapis.com/auth/calendar.readonly https://www.googleapis.com/auth/gmail.modify',
        token_type: 'Bearer',
      },
    };
  }

  function listMessages(url: URL) {
    const q = url.searchParams.get('q') ?? '';
    let found = messages.filter((message) => !message.labelIds.includes('SENT') || /rfc822msgid:/.test(q));
    const inbox = /\bin:inbox\b/.test(q);
    if (inbox) found = found.filter((message) => message.labelIds.includes('INBOX'));
    const newer = /\bnewer_than:(\d+)d\b/.exec(q);
    if (newer !== null) found = found.filter((message) => message.internalDate >= Date.now() - Number(newer[1]) * 86_400_000);
    const byId = /\brfc822msgid:(\S+)/.exec(q);
    if (byId !== null)
      found = found.filter((message) => message.headers.some((header) => header.name.toLowerCase() === 'message-id' && header.value === byId[1]));
    // Gmail lists newest first.
    found = [...found].sort((left, right) => right.internalDate - left.internalDate);
    const { items, next } = page(found, pageSize(url.searchParams.get('maxResults') ?? undefined, 100), url.searchParams.get('pageToken') ?? undefined);
    return {
      messages: items.map((message) => ({ id: message.id, threadId: message.threadId })),
      ...(next === undefined ? {} : { nextPageToken: next }),
      resultSizeEstimate: found.length,
    };
  }

  function route(method: string, url: URL, body: string): { status: number; body: unknown } {
    const path = url.pathname.replace(/\/+$/, '');
    const events$ = /^\/calendar\/v3\/calendars\/([^/]+)\/events$/.exec(path);
    if (method === 'GET' && events$ !== null) {
      const from = Date.parse(url.searchParams.get('timeMin') ?? '1970-01-01T00:00:00Z');
      const to = Date.parse(url.searchParams.get('timeMax') ?? '2999-01-01T00:00:00Z');
      if (url.searchParams.get('orderBy') === 'startTime' && url.searchParams.get('singleEvents') !== 'true')
        throw new GoogleHttpError(400, 'The requested ordering is not available for the particular query.', 'badRequest');
      const startOf = (event: FakeCalendarEvent) => Date.parse(event.start.dateTime ?? `${event.start.date}T00:00:00Z`);
      const endOf = (event: FakeCalendarEvent) => Date.parse(event.end.dateTime ?? `${event.end.date}T00:00:00Z`);
      const found = events.filter((event) => startOf(event) < to && endOf(event) > from).sort((left, right) => startOf(left) - startOf(right));
      const { items, next } = page(found, pageSize(url.searchParams.get('maxResults') ?? undefined, 250), url.searchParams.get('pageToken') ?? undefined);
      return {
        status: 200,
        body: {
          kind: 'calendar#events',
          etag: '"p33k9hhhrnpb8g0g"',
          summary: emailAddress,
          updated: new Date().toISOString(),
          timeZone: 'America/Los_Angeles',
          accessRole: 'owner',
          defaultReminders: [],
          ...(next === undefined ? {} : { nextPageToken: next }),
          items: items.map((event) => ({
            kind: 'calendar#event',
            etag: `"${event.id}"`,
            htmlLink: `https://www.google.com/calendar/event?eid=${event.id}`,
            created: event.updated,
            creator: { email: emailAddress, self: true },
            organizer: { email: emailAddress, self: true },
            iCalUID: `${event.id}@google.com`,
            sequence: 0,
            eventType: 'default',
            status: 'confirmed',
            ...event,
          })),
        },
      };
    }
    if (method === 'GET' && path === '/gmail/v1/users/me/profile') {
      return { status: 200, body: { emailAddress, messagesTotal: messages.length, threadsTotal: messages.length, historyId: String(historyId) } };
    }
    if (method === 'GET' && path === '/gmail/v1/users/me/messages') return { status: 200, body: listMessages(url) };
    const single = /^\/gmail\/v1\/users\/me\/messages\/([^/]+)$/.exec(path);
    if (method === 'GET' && single !== null) {
      const message = messages.find((entry) => entry.id === decodeURIComponent(single[1] ?? ''));
      if (message === undefined) throw new GoogleHttpError(404, 'Requested entity was not found.', 'notFound');
      const wanted = url.searchParams.getAll('metadataHeaders').map((name) => name.toLowerCase());
      const format = url.searchParams.get('format') ?? 'full';
      const headers =
        format === 'metadata' && wanted.length > 0 ? message.headers.filter((header) => wanted.includes(header.name.toLowerCase())) : message.headers;
      return {
        status: 200,
        body: {
          id: message.id,
          threadId: message.threadId,
          labelIds: message.labelIds,
          snippet: message.snippet,
          sizeEstimate: 2048,
          historyId: String(message.historyId),
          internalDate: String(message.internalDate),
          payload: { partId: '', mimeType: 'multipart/alternative', filename: '', headers },
        },
      };
    }
    if (method === 'GET' && path === '/gmail/v1/users/me/history') {
      const start = Number(url.searchParams.get('startHistoryId') ?? 'NaN');
      if (!Number.isFinite(start)) throw new GoogleHttpError(400, 'Invalid startHistoryId', 'invalidArgument');
      if (start < (options.oldestHistoryId ?? 0)) throw new GoogleHttpError(404, 'Requested entity was not found.', 'notFound');
      const label = url.searchParams.get('labelId');
      const added = messages.filter((message) => message.historyId > start && (label === null || message.labelIds.includes(label)));
      const { items, next } = page(added, pageSize(url.searchParams.get('maxResults') ?? undefined, 100), url.searchParams.get('pageToken') ?? undefined);
      return {
        status: 200,
        body: {
          ...(items.length === 0
            ? {}
            : {
                history: items.map((message) => ({
                  id: String(message.historyId),
                  messages: [{ id: message.id, threadId: message.threadId }],
                  messagesAdded: [{ message: { id: message.id, threadId: message.threadId, labelIds: message.labelIds } }],
                })),
              }),
          ...(next === undefined ? {} : { nextPageToken: next }),
          historyId: String(historyId),
        },
      };
    }
    if (method === 'POST' && path === '/gmail/v1/users/me/messages/send') {
      const request = JSON.parse(body === '' ? '{}' : body) as { raw?: string };
      if (typeof request.raw !== 'string' || request.raw === '') throw new GoogleHttpError(400, "Invalid value for ByteString: ''", 'invalidArgument');
      const raw = Buffer.from(request.raw, 'base64url').toString('utf8');
      const [head = ''] = raw.split('\r\n\r\n');
      const headers = head
        .split('\r\n')
        .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => ({ name: match[1] ?? '', value: match[2] ?? '' }));
      if (!headers.some((header) => header.name.toLowerCase() === 'to')) throw new GoogleHttpError(400, 'Invalid To header', 'invalidArgument');
      historyId += 1;
      const id = `sent${randomBytes(6).toString('hex')}`;
      messages.push({ id, threadId: id, labelIds: ['SENT'], snippet: '', historyId, internalDate: Date.now(), headers, raw });
      return { status: 200, body: { id, threadId: id, labelIds: ['SENT'] } };
    }
    throw new GoogleHttpError(404, `fake Google does not implement ${method} ${path}`, 'notFound');
  }

  const server = http.createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://fake-google');
      const method = request.method ?? 'GET';
      const query: Record<string, string[]> = {};
      for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key);
      requests.push({ method, path: url.pathname, query, authorization: request.headers.authorization });
      let status: number;
      let payload: unknown;
      try {
        const body = await readRequestText(request);
        const faultIndex = faults.findIndex((fault) => fault.path.test(url.pathname));
        const fault = faultIndex === -1 ? undefined : faults.splice(faultIndex, 1)[0];
        if (fault !== undefined) throw new GoogleHttpError(fault.status, 'Injected failure', 'backendError');
        if (method === 'POST' && url.pathname === '/token') {
          ({ status, body: payload } = token(body));
        } else {
          const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
          if (bearer === undefined || !valid.has(bearer))
            throw new GoogleHttpError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token.', 'authError');
          ({ status, body: payload } = route(method, url, body));
        }
      } catch (error) {
        status = error instanceof GoogleHttpError ? error.status : 500;
        const message = error instanceof Error ? error.message : String(error);
        payload = {
          error: {
            code: status,
            message,
            errors: [{ message, domain: 'global', reason: error instanceof GoogleHttpError ? error.reason : 'backendError' }],
            status: STATUS_NAMES[status] ?? 'UNKNOWN',
          },
        };
      }
      response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      response.end(JSON.stringify(payload));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    tokenUrl: `${url}/token`,
    clientId,
    clientSecret,
    refreshToken,
    requests,
    tokensIssued,
    sent: () => messages.filter((message) => message.labelIds.includes('SENT')),
    deliver(message) {
      historyId += 1;
      const stored = { ...message, historyId };
      messages.push(stored);
      return stored;
    },
    expireAccessTokens: () => valid.clear(),
    failNext: (fault) => faults.push(fault),
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
