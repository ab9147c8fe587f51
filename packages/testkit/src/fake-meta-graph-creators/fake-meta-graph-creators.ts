import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestText } from '../http-body.js';

/** One Instagram media object as the Graph API returns it. */
export interface FakeIgMedia {
  id: string;
  caption?: string;
  like_count: number;
  comments_count: number;
  timestamp: string;
  permalink?: string;
  media_type?: string;
  /** Set on tagged media: who posted it. */
  username?: string;
}

/** A creator account business_discovery can find. */
export interface FakeIgCreator {
  id: string;
  username: string;
  biography: string;
  followers_count: number;
  media_count: number;
  /** Newest first. */
  media: FakeIgMedia[];
}

/** What the fake starts with. */
export interface FakeMetaGraphCreatorsSeed {
  /** Our brands' Instagram business accounts: ig-user-id → username. */
  accounts: Record<string, string>;
  /** Media tagging each account (the /tags edge), newest first. */
  tagged?: Record<string, FakeIgMedia[]>;
  creators?: FakeIgCreator[];
  /** Comments on media that mention us (mentioned_media … comments). */
  mentionedComments?: Record<string, { username: string; comments: Array<{ username: string; text: string; timestamp: string }> }>;
}

/** A write the fake applied. */
export interface FakeGraphWrite {
  kind: 'mention_reply' | 'message';
  account: string;
  body: Record<string, unknown>;
  id: string;
}

/** A fault for the next matching request. */
export interface FakeGraphFault {
  method: string;
  path: RegExp;
  status?: number;
  /** Apply the write, then answer with the error (a response lost after the write landed). */
  afterApply?: boolean;
}

/** A local HTTP server speaking the slice of the Instagram Graph API studiobot's creators connector uses. */
export interface FakeMetaGraphCreators {
  /** Point META_API_BASE here. */
  url: string;
  accessToken: string;
  requests: Array<{ method: string; path: string; query: Record<string, string>; body: unknown }>;
  writes: FakeGraphWrite[];
  failNext(fault: FakeGraphFault): void;
  /** A comment under a media that mentions us (the licensor's reply). */
  addMentionComment(mediaId: string, owner: string, comment: { username: string; text: string; timestamp: string }): void;
  close(): Promise<void>;
}

// Graph errors look like this on the wire (developers.facebook.com "Handling errors").
const graphError = (status: number, code: number, message: string, subcode?: number) => ({
  status,
  body: {
    error: {
      message,
      type: code === 190 ? 'OAuthException' : 'IGApiException',
      code,
      ...(subcode === undefined ? {} : { error_subcode: subcode }),
      fbtrace_id: 'AFakeTrace',
    },
  },
});

// fields=business_discovery.username(name){…} / mentioned_media.media_id(id){…}
const fieldCall = (fields: string, edge: string) => new RegExp(`^${edge}\\.(?:username|media_id)\\(([^)]+)\\)`).exec(fields)?.[1];

/** Start the fake (on a free port unless given). */
export async function startFakeMetaGraphCreators(options: {
  seed: FakeMetaGraphCreatorsSeed;
  accessToken?: string;
  port?: number;
}): Promise<FakeMetaGraphCreators> {
  const accessToken = options.accessToken ?? 'fake-meta-token';
  const seed = options.seed;
  const mentioned = structuredClone(seed.mentionedComments ?? {});
  const requests: FakeMetaGraphCreators['requests'] = [];
  const writes: FakeGraphWrite[] = [];
  const faults: FakeGraphFault[] = [];
  let nextId = 17900000000;

  const answer = (method: string, parts: string[], query: Record<string, string>, body: Record<string, unknown>): { status: number; body: unknown } => {
    const [account, edge] = parts;
    if (account === undefined || seed.accounts[account] === undefined)
      return graphError(400, 100, `Unsupported get request. Object with ID '${account ?? ''}' does not exist`, 33);
    if (method === 'GET' && edge === 'tags') {
      const all = seed.tagged?.[account] ?? [];
      const limit = Number(query['limit'] ?? 25);
      const start = query['after'] === undefined ? 0 : Number(Buffer.from(query['after'], 'base64').toString());
      const page = all.slice(start, start + limit);
      const after = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64') : undefined;
      return {
        status: 200,
        body: { data: page, paging: { cursors: { before: Buffer.from(String(start)).toString('base64'), ...(after === undefined ? {} : { after }) } } },
      };
    }
    if (method === 'GET' && edge === undefined) {
      const fields = query['fields'] ?? '';
      const username = fieldCall(fields, 'business_discovery');
      if (username !== undefined) {
        const creator = seed.creators?.find((candidate) => candidate.username === username);
        if (creator === undefined) return graphError(400, 110, 'Invalid user id', 2207013);
        const limit = Number(/media\.limit\((\d+)\)/.exec(fields)?.[1] ?? 25);
        const { media, ...profile } = creator;
        return { status: 200, body: { business_discovery: { ...profile, media: { data: media.slice(0, limit) } }, id: account } };
      }
      const mediaId = fieldCall(fields, 'mentioned_media');
      if (mediaId !== undefined) {
        const taggedOwner = Object.values(seed.tagged ?? {})
          .flat()
          .find((media) => media.id === mediaId)?.username;
        const found = mentioned[mediaId] ?? (taggedOwner === undefined ? undefined : { username: taggedOwner, comments: [] });
        if (found === undefined) return graphError(400, 100, `media ${mediaId} does not mention this account`);
        return {
          status: 200,
          body: {
            mentioned_media: {
              id: mediaId,
              username: found.username,
              comments: { data: found.comments.map((comment, index) => ({ id: `${mediaId}_${index}`, ...comment })) },
            },
            id: account,
          },
        };
      }
      return { status: 200, body: { id: account, username: seed.accounts[account] } };
    }
    if (method === 'POST' && edge === 'mentions') {
      if (typeof body['media_id'] !== 'string' || typeof body['message'] !== 'string') return graphError(400, 100, '(#100) media_id and message are required');
      const id = String((nextId += 1));
      writes.push({ kind: 'mention_reply', account, body, id });
      return { status: 200, body: { id } };
    }
    if (method === 'POST' && edge === 'messages') {
      const recipient = body['recipient'] as { id?: string } | undefined;
      if (recipient?.id === undefined) return graphError(400, 100, '(#100) recipient.id is required');
      const id = `m_${(nextId += 1)}`;
      writes.push({ kind: 'message', account, body, id });
      return { status: 200, body: { recipient_id: recipient.id, message_id: id } };
    }
    return graphError(400, 100, `Unsupported ${method} request on ${parts.join('/')}`);
  };

  const server = http.createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://fake');
      const query = Object.fromEntries(url.searchParams.entries());
      const text = await readRequestText(request);
      let body: Record<string, unknown> = {};
      if (text !== '') {
        body =
          request.headers['content-type']?.includes('application/json') === true
            ? (JSON.parse(text) as Record<string, unknown>)
            : Object.fromEntries(new URLSearchParams(text).entries());
      }
      // Paths are /v24.0/<node>/<edge>: the version is whatever the SDK speaks.
      const parts = url.pathname.split('/').filter(Boolean);
      if (/^v\d+\.\d+$/.test(parts[0] ?? '')) parts.shift();
      requests.push({ method: request.method ?? 'GET', path: `/${parts.join('/')}`, query, body });
      const send = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(payload));
      };
      if (query['access_token'] !== accessToken) {
        const error = graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
        send(error.status, error.body);
        return;
      }
      const faultIndex = faults.findIndex((fault) => fault.method === request.method && fault.path.test(`/${parts.join('/')}`));
      const fault = faultIndex === -1 ? undefined : faults.splice(faultIndex, 1)[0];
      if (fault !== undefined && fault.afterApply !== true) {
        const error = graphError(fault.status ?? 500, 2, 'An unexpected error has occurred. Please retry your request later.');
        send(error.status, error.body);
        return;
      }
      const result = answer(request.method ?? 'GET', parts, query, body);
      if (fault !== undefined) {
        const error = graphError(fault.status ?? 500, 2, 'An unexpected error has occurred. Please retry your request later.');
        send(error.status, error.body);
        return;
      }
      send(result.status, result.body);
    })().catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: String(error), code: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accessToken,
    requests,
    writes,
    failNext: (fault) => faults.push(fault),
    addMentionComment(mediaId, owner, comment) {
      const entry = (mentioned[mediaId] ??= { username: owner, comments: [] });
      entry.comments.push(comment);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error)))),
  };
}
