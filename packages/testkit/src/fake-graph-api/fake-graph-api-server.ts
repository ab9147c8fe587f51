import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestText } from '../http-body.js';

/** A Graph object as the fake holds it: its fields, by name, as Graph returns them. */
export type GraphObject = Record<string, unknown>;

/** What the fake serves: the ad account's creative side and the Instagram account and Page's organic side. */
export interface FakeGraphApiSeed {
  adAccountId?: string;
  igUserId?: string;
  pageId?: string;
  adSets?: GraphObject[];
  /** Ads with `creative{…}` and `adlabels` nested as Graph returns them. */
  ads?: GraphObject[];
  /** Ad-level daily insight rows (ad_id, date_start, impressions, …). */
  adInsights?: GraphObject[];
  /** ad_id → the frequency over the last 7 days (`date_preset=last_7d`). */
  weeklyFrequency?: Record<string, number>;
  adImages?: GraphObject[];
  /** IG media (id, caption, media_type, media_product_type, permalink, timestamp). */
  media?: GraphObject[];
  /** media id → insight values by metric name. */
  mediaInsights?: Record<string, Record<string, number>>;
  /** media id → IG comments (id, text, timestamp, username, hidden, from). */
  mediaComments?: Record<string, GraphObject[]>;
  pagePosts?: GraphObject[];
  postInsights?: Record<string, Record<string, unknown>>;
  postComments?: Record<string, GraphObject[]>;
  /** platform (instagram / messenger) → conversations with `messages.data`. */
  conversations?: Record<string, GraphObject[]>;
}

/** A write the fake applied, in order. */
export interface FakeGraphApiWrite {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

/** A fault to inject into the next matching request. */
export interface FakeGraphApiFault {
  method: string;
  path: RegExp;
  status?: number;
  /** Apply the write, then answer with the error: a response lost after the write landed. */
  afterApply?: boolean;
}

/** A local HTTP server speaking the slice of the Graph API (v24.0) the Meta connectors use. */
export interface FakeGraphApi {
  /** Point META_API_BASE / META_SOCIAL_API_BASE here. */
  url: string;
  accessToken: string;
  requests: Array<{ method: string; path: string; query: Record<string, string>; body: Record<string, unknown> }>;
  writes: FakeGraphApiWrite[];
  seed: Required<FakeGraphApiSeed>;
  failNext(fault: FakeGraphApiFault): void;
  close(): Promise<void>;
}

class GraphError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 100,
    readonly type = 'GraphMethodException',
  ) {
    super(message);
  }
}

// Graph pages a list with `limit` and opaque cursors; the cursor here is the next offset.
function page(items: GraphObject[], query: Record<string, string>): GraphObject {
  const limit = Number(query['limit'] ?? 25);
  const start = query['after'] === undefined ? 0 : Number(Buffer.from(query['after'], 'base64').toString('utf8'));
  const data = items.slice(start, start + limit);
  const next = start + limit;
  const cursor = (offset: number) => Buffer.from(String(offset)).toString('base64');
  return next < items.length
    ? { data, paging: { cursors: { before: cursor(start), after: cursor(next) }, next: `https://graph.facebook.com/v24.0/next?after=${cursor(next)}` } }
    : { data, paging: { cursors: { before: cursor(start), after: cursor(start + data.length) } } };
}

/** The fields of an object Graph was asked for (top-level names of `fields`; nested ones are returned whole). */
function pick(object: GraphObject, fields: string | undefined): GraphObject {
  if (fields === undefined) return object;
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const character of fields) {
    if (character === '{' || character === '(') depth += 1;
    if (character === '}' || character === ')') depth -= 1;
    if (character === ',' && depth === 0) {
      names.push(current);
      current = '';
    } else current += character;
  }
  names.push(current);
  const wanted = new Set(names.map((name) => name.split(/[{.(]/)[0]?.trim() ?? ''));
  return Object.fromEntries(Object.entries(object).filter(([key]) => wanted.has(key) || key === 'id'));
}

const unix = (value: unknown) => (value === undefined ? undefined : Number(value) * 1000);

/** Start the fake Graph API on a free loopback port. */
export async function startFakeGraphApi(seed: FakeGraphApiSeed = {}, options: { accessToken?: string; port?: number } = {}): Promise<FakeGraphApi> {
  const accessToken = options.accessToken ?? 'fake-meta-token';
  const state: Required<FakeGraphApiSeed> = {
    adAccountId: seed.adAccountId ?? 'act_100',
    igUserId: seed.igUserId ?? '17841400000000001',
    pageId: seed.pageId ?? '100000000000001',
    adSets: structuredClone(seed.adSets ?? []),
    ads: structuredClone(seed.ads ?? []),
    adInsights: structuredClone(seed.adInsights ?? []),
    weeklyFrequency: structuredClone(seed.weeklyFrequency ?? {}),
    adImages: structuredClone(seed.adImages ?? []),
    media: structuredClone(seed.media ?? []),
    mediaInsights: structuredClone(seed.mediaInsights ?? {}),
    mediaComments: structuredClone(seed.mediaComments ?? {}),
    pagePosts: structuredClone(seed.pagePosts ?? []),
    postInsights: structuredClone(seed.postInsights ?? {}),
    postComments: structuredClone(seed.postComments ?? {}),
    conversations: structuredClone(seed.conversations ?? {}),
  };
  const requests: FakeGraphApi['requests'] = [];
  const writes: FakeGraphApiWrite[] = [];
  const faults: FakeGraphApiFault[] = [];
  let nextId = 900_000;
  const newId = () => String((nextId += 1));

  const allComments = (): Array<{ comment: GraphObject; platform: 'instagram' | 'facebook'; parent: string }> => [
    ...Object.entries(state.mediaComments).flatMap(([parent, comments]) => comments.map((comment) => ({ comment, platform: 'instagram' as const, parent }))),
    ...Object.entries(state.postComments).flatMap(([parent, comments]) => comments.map((comment) => ({ comment, platform: 'facebook' as const, parent }))),
  ];
  const since = (rows: GraphObject[], field: string, query: Record<string, string>) => {
    const from = unix(query['since']);
    return from === undefined ? rows : rows.filter((row) => new Date(String(row[field])).getTime() >= from);
  };

  function get(segments: string[], query: Record<string, string>): GraphObject {
    const [id, edge] = segments;
    const fields = query['fields'];
    if (id === state.adAccountId) {
      if (edge === 'adsets')
        return page(
          state.adSets.map((row) => pick(row, fields)),
          query,
        );
      if (edge === 'ads') {
        const filtering = query['filtering'] === undefined ? [] : (JSON.parse(query['filtering']) as Array<{ field: string; value: string[] }>);
        const labelled = filtering.find((filter) => filter.field === 'adlabels');
        const rows =
          labelled === undefined
            ? state.ads
            : state.ads.filter((ad) => ((ad['adlabels'] as Array<{ name: string }> | undefined) ?? []).some((label) => labelled.value.includes(label.name)));
        return page(
          rows.map((row) => pick(row, fields)),
          query,
        );
      }
      if (edge === 'adimages')
        return page(
          state.adImages.map((row) => pick(row, fields)),
          query,
        );
      if (edge === 'insights') {
        if (query['level'] !== 'ad') throw new GraphError(400, 'This fake serves level=ad insights only');
        if (query['date_preset'] === 'last_7d')
          return page(
            Object.entries(state.weeklyFrequency).map(([adId, frequency]) => ({ ad_id: adId, frequency: String(frequency) })),
            query,
          );
        const range = query['time_range'] === undefined ? undefined : (JSON.parse(query['time_range']) as { since: string; until: string });
        const rows = state.adInsights.filter(
          (row) => range === undefined || (String(row['date_start']) >= range.since && String(row['date_start']) <= range.until),
        );
        return page(
          rows.map((row) => pick(row, fields)),
          query,
        );
      }
    }
    if (id === state.igUserId) {
      if (edge === undefined) return { id, username: 'harborandpine' };
      if (edge === 'media')
        return page(
          since(state.media, 'timestamp', query).map((row) => pick(row, fields)),
          query,
        );
    }
    if (id === state.pageId) {
      if (edge === undefined) return { id, name: 'Harbor & Pine' };
      if (edge === 'posts')
        return page(
          since(state.pagePosts, 'created_time', query).map((row) => pick(row, fields)),
          query,
        );
      if (edge === 'conversations') return page(state.conversations[query['platform'] ?? 'messenger'] ?? [], query);
    }
    const media = state.media.find((row) => row['id'] === id);
    if (media !== undefined && edge === 'insights') {
      const values = state.mediaInsights[String(id)] ?? {};
      return {
        data: String(query['metric'] ?? '')
          .split(',')
          .map((name) => ({ name, period: 'lifetime', values: [{ value: values[name] ?? 0 }], id: `${id}/insights/${name}/lifetime` })),
      };
    }
    if (media !== undefined && edge === 'comments')
      return page(
        (state.mediaComments[String(id)] ?? []).filter((comment) => comment['parent_id'] === undefined).map((row) => pick(row, fields)),
        query,
      );
    const post = state.pagePosts.find((row) => row['id'] === id);
    if (post !== undefined && edge === 'insights') {
      const values = state.postInsights[String(id)] ?? {};
      return {
        data: String(query['metric'] ?? '')
          .split(',')
          .map((name) => ({ name, period: 'lifetime', values: [{ value: values[name] ?? 0 }] })),
      };
    }
    if (post !== undefined && edge === 'comments')
      return page(
        (state.postComments[String(id)] ?? []).map((row) => pick(row, fields)),
        query,
      );
    const comment = allComments().find((entry) => entry.comment['id'] === id);
    if (comment !== undefined && (edge === 'replies' || edge === 'comments'))
      return page(
        ((comment.comment['replies'] as { data?: GraphObject[] } | undefined)?.data ?? []).map((row) => pick(row, fields)),
        query,
      );
    throw new GraphError(
      400,
      `Unsupported get request. Object with ID '${id ?? ''}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    );
  }

  function post(segments: string[], body: Record<string, unknown>): GraphObject {
    const [id, edge] = segments;
    if (id === state.adAccountId && edge === 'adcreatives') {
      if (typeof body['name'] !== 'string') throw new GraphError(400, '(#100) The parameter name is required');
      return { id: newId() };
    }
    if (id === state.adAccountId && edge === 'ads') {
      if (body['adset_id'] === undefined || body['creative'] === undefined) throw new GraphError(400, '(#100) adset_id and creative are required');
      const ad = {
        id: newId(),
        name: body['name'],
        adset_id: body['adset_id'],
        status: body['status'] ?? 'PAUSED',
        adlabels: body['adlabels'],
        creative: body['creative'],
        created_time: new Date().toISOString(),
      };
      state.ads.push(ad);
      return { id: ad.id };
    }
    if (id === state.igUserId && edge === 'media') {
      if (typeof body['image_url'] !== 'string' && typeof body['video_url'] !== 'string')
        throw new GraphError(400, '(#100) The parameter image_url is required');
      return { id: `container-${newId()}` };
    }
    if (id === state.igUserId && edge === 'media_publish') {
      const media = {
        id: newId(),
        caption: '',
        media_type: 'IMAGE',
        media_product_type: 'FEED',
        timestamp: new Date().toISOString(),
        creation_id: body['creation_id'],
      };
      state.media.push(media);
      return { id: media.id };
    }
    if (id === state.pageId && edge === 'feed') return { id: `${state.pageId}_${newId()}` };
    if (id === state.pageId && edge === 'messages') return { recipient_id: (body['recipient'] as { id?: string } | undefined)?.id, message_id: `m_${newId()}` };
    const comment = allComments().find((entry) => entry.comment['id'] === id);
    if (comment !== undefined && (edge === 'replies' || edge === 'comments')) {
      const reply = { id: newId(), text: body['message'], message: body['message'], timestamp: new Date().toISOString() };
      const replies = (comment.comment['replies'] as { data: GraphObject[] } | undefined) ?? { data: [] };
      replies.data.push(reply);
      comment.comment['replies'] = replies;
      comment.comment['comment_count'] = replies.data.length;
      return { id: reply.id };
    }
    if (comment !== undefined && edge === undefined) {
      if (comment.platform === 'instagram' && body['hide'] !== undefined) comment.comment['hidden'] = body['hide'] === true || body['hide'] === 'true';
      else if (comment.platform === 'facebook' && body['is_hidden'] !== undefined)
        comment.comment['is_hidden'] = body['is_hidden'] === true || body['is_hidden'] === 'true';
      else throw new GraphError(400, `(#100) Param ${comment.platform === 'instagram' ? 'hide' : 'is_hidden'} is required`);
      return { success: true };
    }
    const ad = state.ads.find((row) => row['id'] === id);
    if (ad !== undefined && edge === undefined) {
      if (body['status'] !== 'ACTIVE' && body['status'] !== 'PAUSED') throw new GraphError(400, '(#100) status must be one of ACTIVE, PAUSED');
      ad['status'] = body['status'];
      return { success: true };
    }
    throw new GraphError(400, `Unsupported post request. Object with ID '${id ?? ''}' does not exist or does not support this operation.`);
  }

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const text = await readRequestText(request);
    let body: Record<string, unknown> = {};
    if (text !== '')
      body =
        request.headers['content-type']?.includes('json') === true
          ? (JSON.parse(text) as Record<string, unknown>)
          : Object.fromEntries(new URLSearchParams(text));
    const query = Object.fromEntries(url.searchParams);
    const method = request.method ?? 'GET';
    requests.push({ method, path: url.pathname, query, body });
    const answer = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    try {
      const match = /^\/v\d+\.\d+\/(.+)$/.exec(url.pathname);
      if (match === null) throw new GraphError(400, 'Unknown path components: the version (v24.0) is required');
      if ((query['access_token'] ?? body['access_token']) !== accessToken)
        throw new GraphError(400, 'Invalid OAuth access token - Cannot parse access token', 190, 'OAuthException');
      const segments = (match[1] ?? '').split('/').map(decodeURIComponent);
      const faultIndex = faults.findIndex((fault) => fault.method === method && fault.path.test(url.pathname));
      const fault = faultIndex === -1 ? undefined : faults.splice(faultIndex, 1)[0];
      if (fault !== undefined && fault.afterApply !== true)
        throw new GraphError(fault.status ?? 500, 'An unexpected error has occurred. Please retry your request later.', 2, 'OAuthException');
      if (method === 'GET') return answer(200, get(segments, query));
      if (method !== 'POST') throw new GraphError(400, `Unsupported method ${method}`);
      const result = post(segments, body);
      writes.push({ method, path: url.pathname, body });
      if (fault !== undefined)
        throw new GraphError(fault.status ?? 500, 'An unexpected error has occurred. Please retry your request later.', 2, 'OAuthException');
      return answer(200, result);
    } catch (error) {
      if (error instanceof GraphError)
        return answer(error.status, { error: { message: error.message, type: error.type, code: error.code, fbtrace_id: 'FakeTrace' } });
      return answer(500, { error: { message: String(error), type: 'FakeError', code: 1 } });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accessToken,
    requests,
    writes,
    seed: state,
    failNext: (fault) => faults.push(fault),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // The SDK's HTTP client keeps connections alive; end them so close() returns.
        server.closeAllConnections();
      }),
  };
}
