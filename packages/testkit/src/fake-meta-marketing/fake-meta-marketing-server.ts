import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestText } from '../http-body.js';

/** A Graph object as Graph returns it (numbers as strings where Graph sends strings). */
export type MarketingObject = Record<string, unknown>;

/** The ad account the fake serves: the account node, campaigns (with nested adsets/ads), campaign-day insights, today's spend, ads, ad sets with their learning stage. */
export interface FakeMetaMarketingSeed {
  adAccountId?: string;
  /** The account node: name, account_status (number), disable_reason, spend_cap and amount_spent (minor units, strings). */
  account?: MarketingObject;
  /** Campaigns: id, name, status, objective, daily_budget (minor units), stop_time, updated_time, adlabels, `adsets: {data}`, `ads: {data}`. */
  campaigns?: MarketingObject[];
  /** level=campaign, time_increment=1 rows: campaign_id, date_start, date_stop, spend, impressions, clicks, actions, action_values. */
  campaignInsights?: MarketingObject[];
  /** date_preset=today rows: campaign_id, spend. */
  todayInsights?: MarketingObject[];
  /** Ads: id, name, adset_id, campaign_id, effective_status, ad_review_feedback, adset {effective_status}, campaign {effective_status}. */
  ads?: MarketingObject[];
  /** Ad sets: id, campaign_id, name, status, daily_budget (minor units), optimization_goal, learning_stage_info {status, last_sig_edit_ts}. */
  adSets?: MarketingObject[];
  /** level=adset, date_preset=last_7d rows: adset_id, actions. */
  adSetWeek?: MarketingObject[];
}

/** A write the fake applied, in order. */
export interface FakeMetaMarketingWrite {
  path: string;
  body: Record<string, unknown>;
}

/** A fault for the next matching request; `afterApply` applies the write first (an answer lost after the write landed). */
export interface FakeMetaMarketingFault {
  method: string;
  path: RegExp;
  status?: number;
  afterApply?: boolean;
}

/** A local HTTP server speaking the slice of the Marketing API (Graph v24.0) mktgbot's paid-media adapter uses. */
export interface FakeMetaMarketing {
  /** Point META_API_BASE here. */
  url: string;
  accessToken: string;
  adAccountId: string;
  requests: Array<{ method: string; path: string; query: Record<string, string>; body: Record<string, unknown> }>;
  writes: FakeMetaMarketingWrite[];
  state: Required<FakeMetaMarketingSeed>;
  failNext(fault: FakeMetaMarketingFault): void;
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

// Graph pages with `limit` and opaque base64 cursors; here the cursor is the next offset.
function page(items: MarketingObject[], query: Record<string, string>): MarketingObject {
  const limit = Number(query['limit'] ?? 25);
  const start = query['after'] === undefined ? 0 : Number(Buffer.from(query['after'], 'base64').toString('utf8'));
  const data = items.slice(start, start + limit);
  const cursor = (offset: number) => Buffer.from(String(offset)).toString('base64');
  const next = start + limit;
  return next < items.length
    ? { data, paging: { cursors: { before: cursor(start), after: cursor(next) }, next: `https://graph.facebook.com/v24.0/next?after=${cursor(next)}` } }
    : { data, paging: { cursors: { before: cursor(start), after: cursor(start + data.length) } } };
}

/** The top-level names of a Graph `fields` list (nested selections are returned whole). */
function pick(object: MarketingObject, fields: string | undefined): MarketingObject {
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

/** Start the fake Marketing API on a free loopback port. */
export async function startFakeMetaMarketing(seed: FakeMetaMarketingSeed = {}, options: { accessToken?: string } = {}): Promise<FakeMetaMarketing> {
  const accessToken = options.accessToken ?? 'fake-meta-marketing-token';
  const state: Required<FakeMetaMarketingSeed> = {
    adAccountId: seed.adAccountId ?? 'act_1183425069',
    account: structuredClone(seed.account ?? { name: 'Fake account', account_status: 1, disable_reason: 0, spend_cap: '0', amount_spent: '0' }),
    campaigns: structuredClone(seed.campaigns ?? []),
    campaignInsights: structuredClone(seed.campaignInsights ?? []),
    todayInsights: structuredClone(seed.todayInsights ?? []),
    ads: structuredClone(seed.ads ?? []),
    adSets: structuredClone(seed.adSets ?? []),
    adSetWeek: structuredClone(seed.adSetWeek ?? []),
  };
  const requests: FakeMetaMarketing['requests'] = [];
  const writes: FakeMetaMarketingWrite[] = [];
  const faults: FakeMetaMarketingFault[] = [];

  function get(segments: string[], query: Record<string, string>): MarketingObject {
    const [id, edge] = segments;
    const fields = query['fields'];
    if (id === state.adAccountId) {
      if (edge === undefined) return pick({ id, ...state.account }, fields);
      if (edge === 'campaigns')
        return page(
          state.campaigns.map((row) => pick(row, fields)),
          query,
        );
      if (edge === 'ads') {
        const filtering =
          query['filtering'] === undefined ? [] : (JSON.parse(query['filtering']) as Array<{ field: string; operator: string; value: string[] }>);
        const byStatus = filtering.find((filter) => filter.field === 'effective_status');
        const rows = byStatus === undefined ? state.ads : state.ads.filter((ad) => byStatus.value.includes(String(ad['effective_status'])));
        return page(
          rows.map((row) => pick(row, fields)),
          query,
        );
      }
      if (edge === 'adsets')
        return page(
          state.adSets.map((row) => pick(row, fields)),
          query,
        );
      if (edge === 'insights' && query['level'] === 'adset') {
        if (query['date_preset'] !== 'last_7d') throw new GraphError(400, 'This fake serves level=adset insights for date_preset=last_7d only');
        return page(
          state.adSetWeek.map((row) => pick(row, fields)),
          query,
        );
      }
      if (edge === 'insights') {
        if (query['level'] !== 'campaign') throw new GraphError(400, 'This fake serves level=campaign insights only');
        if (query['date_preset'] === 'today')
          return page(
            state.todayInsights.map((row) => pick(row, fields)),
            query,
          );
        if (query['time_increment'] !== '1') throw new GraphError(400, '(#100) time_increment=1 is expected');
        const range = query['time_range'] === undefined ? undefined : (JSON.parse(query['time_range']) as { since: string; until: string });
        if (range === undefined) throw new GraphError(400, '(#100) time_range or date_preset is required');
        const rows = state.campaignInsights.filter((row) => String(row['date_start']) >= range.since && String(row['date_start']) <= range.until);
        return page(
          rows.map((row) => pick(row, fields)),
          query,
        );
      }
    }
    const adSet = state.adSets.find((row) => row['id'] === id);
    if (adSet !== undefined && edge === undefined) return pick(adSet, fields);
    const campaign = state.campaigns.find((row) => row['id'] === id);
    if (campaign !== undefined && edge === undefined) return pick(campaign, fields);
    if (campaign !== undefined && edge === 'insights') {
      const range = query['time_range'] === undefined ? undefined : (JSON.parse(query['time_range']) as { since: string; until: string });
      const rows = state.campaignInsights.filter(
        (row) => row['campaign_id'] === id && (range === undefined || (String(row['date_start']) >= range.since && String(row['date_start']) <= range.until)),
      );
      return page(
        rows.map((row) => pick(row, fields)),
        query,
      );
    }
    throw new GraphError(
      400,
      `Unsupported get request. Object with ID '${id ?? ''}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    );
  }

  function post(segments: string[], body: Record<string, unknown>): MarketingObject {
    const [id, edge] = segments;
    if (id === state.adAccountId && edge === undefined) {
      if (body['spend_cap'] === undefined) throw new GraphError(400, '(#100) No supported parameter given');
      const cap = Number(body['spend_cap']);
      // Written in the currency's major unit, read back in minor units (as Graph does).
      if (!Number.isFinite(cap) || cap < 0) throw new GraphError(400, '(#100) Param spend_cap must be a non-negative number');
      state.account['spend_cap'] = String(Math.round(cap * 100));
      return { success: true };
    }
    const adSet = state.adSets.find((row) => row['id'] === id);
    if (adSet !== undefined && edge === undefined) {
      if (body['status'] !== undefined) {
        if (!['ACTIVE', 'PAUSED'].includes(String(body['status']))) throw new GraphError(400, '(#100) status must be one of ACTIVE, PAUSED');
        adSet['status'] = body['status'];
      }
      if (body['daily_budget'] !== undefined) {
        const cents = Number(body['daily_budget']);
        if (!Number.isInteger(cents) || cents < 100)
          throw new GraphError(400, '(#1885272) The daily budget must be an integer in the currency minor unit of at least 100');
        adSet['daily_budget'] = String(cents);
      }
      return { success: true };
    }
    const campaign = state.campaigns.find((row) => row['id'] === id);
    if (campaign !== undefined && edge === undefined) {
      if (body['status'] !== undefined) {
        if (!['ACTIVE', 'PAUSED', 'ARCHIVED'].includes(String(body['status'])))
          throw new GraphError(400, '(#100) status must be one of ACTIVE, PAUSED, ARCHIVED');
        campaign['status'] = body['status'];
      }
      if (body['daily_budget'] !== undefined) {
        const cents = Number(body['daily_budget']);
        if (!Number.isInteger(cents) || cents < 100)
          throw new GraphError(400, '(#1885272) The daily budget must be an integer in the currency minor unit of at least 100');
        campaign['daily_budget'] = String(cents);
      }
      if (body['stop_time'] !== undefined) campaign['stop_time'] = String(body['stop_time']);
      campaign['updated_time'] = new Date().toISOString().replace('Z', '+0000');
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
      writes.push({ path: url.pathname, body });
      if (fault !== undefined)
        throw new GraphError(fault.status ?? 500, 'An unexpected error has occurred. Please retry your request later.', 2, 'OAuthException');
      return answer(200, result);
    } catch (error) {
      if (error instanceof GraphError)
        return answer(error.status, { error: { message: error.message, type: error.type, code: error.code, fbtrace_id: 'FakeTrace' } });
      return answer(500, { error: { message: String(error), type: 'FakeError', code: 1 } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accessToken,
    adAccountId: state.adAccountId,
    requests,
    writes,
    state,
    failNext: (fault) => faults.push(fault),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // The SDK's HTTP client keeps connections alive; end them so close() returns.
        server.closeAllConnections();
      }),
  };
}
