import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { readRequestText } from '../http-body.js';

/** An SP keyword with its report figures. */
export interface FakeSpKeyword {
  keywordId: string;
  campaignId: string;
  adGroupId: string;
  keywordText: string;
  matchType: string;
  bid: number;
  state: 'ENABLED' | 'PAUSED' | 'ARCHIVED';
  cost: number;
  clicks: number;
  purchases14d: number;
  sales14d: number;
}

/** A customer search term's report figures. */
export interface FakeSpSearchTerm {
  campaignId: string;
  adGroupId: string;
  keywordId?: string;
  searchTerm: string;
  cost: number;
  clicks: number;
  purchases14d: number;
  sales14d: number;
}

/** An SP negative keyword. */
export interface FakeSpNegativeKeyword {
  keywordId: string;
  campaignId: string;
  adGroupId: string;
  keywordText: string;
  matchType: 'NEGATIVE_EXACT' | 'NEGATIVE_PHRASE';
  state: 'ENABLED';
}

/** A local HTTP server speaking the slice of the Amazon Ads API v3 the fleet uses, with LWA. */
export interface FakeAmazonAds {
  /** Point AMAZON_ADS_API_BASE here. */
  url: string;
  /** Point AMAZON_LWA_TOKEN_URL here. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  profileId: string;
  keywords: FakeSpKeyword[];
  negatives: FakeSpNegativeKeyword[];
  requests: Array<{ method: string; path: string; body: unknown; headers: http.IncomingHttpHeaders }>;
  /** Fail the next request whose path is this (starting with /) or contains it (one-shot); afterApply applies the change first. */
  failNext(pathPart: string, status: number, afterApply?: boolean): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

/**
 * Start a fake of Amazon Ads: the LWA refresh-token grant; v3 reporting (`POST /reporting/reports`
 * for spTargeting / spSearchTerm, `GET /reporting/reports/{id}` PENDING then COMPLETED with a
 * download URL, the GZIP_JSON file); SP keywords (`POST /sp/keywords/list`, `PUT /sp/keywords`
 * with a 207 multi-status) and negative keywords (`POST /sp/negativeKeywords/list`, `POST
 * /sp/negativeKeywords`). Every API call needs the bearer token, the client-id header and the
 * profile scope, and the v3 vendor media types.
 */
export async function startFakeAmazonAds(options: { keywords: FakeSpKeyword[]; searchTerms: FakeSpSearchTerm[]; profileId?: string }): Promise<FakeAmazonAds> {
  const clientId = 'amzn1.application-oa2-client.fakeads';
  const clientSecret = 'fake-ads-secret';
  const refreshToken = 'Atzr|fake-ads-refresh';
  const profileId = options.profileId ?? '3904417260001';
  const keywords = structuredClone(options.keywords);
  const negatives: FakeSpNegativeKeyword[] = [];
  const tokens = new Set<string>();
  const reports = new Map<string, { type: string; polls: number; rows: Json[] }>();
  const requests: FakeAmazonAds['requests'] = [];
  const faults: Array<{ pathPart: string; status: number; afterApply: boolean }> = [];
  let sequence = 0;
  let base = '';

  const route = (method: string, path: string, body: Json, headers: http.IncomingHttpHeaders): { status: number; body: unknown; gzip?: boolean } => {
    if (method === 'POST' && path === '/auth/o2/token') {
      const form = new URLSearchParams(String(body['_raw'] ?? ''));
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) return { status: 401, body: { error: 'invalid_client' } };
      if (form.get('refresh_token') !== refreshToken)
        return { status: 400, body: { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' } };
      const token = `Atza|fake-ads-${tokens.size + 1}`;
      tokens.add(token);
      return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: 3600 } };
    }
    const download = /^\/download\/(\w+)$/.exec(path);
    if (method === 'GET' && download !== null) {
      const report = reports.get(download[1] ?? '');
      return report === undefined ? { status: 404, body: { message: 'NoSuchKey' } } : { status: 200, body: report.rows, gzip: true };
    }
    const bearer = /^Bearer (.+)$/.exec(String(headers['authorization'] ?? ''))?.[1];
    if (bearer === undefined || !tokens.has(bearer))
      return { status: 401, body: { code: 'UNAUTHORIZED', details: 'Not authorized to access this advertiser' } };
    if (headers['amazon-advertising-api-clientid'] !== clientId)
      return { status: 400, body: { code: 'INVALID_ARGUMENT', details: 'Amazon-Advertising-API-ClientId is missing or wrong' } };
    if (headers['amazon-advertising-api-scope'] !== profileId)
      return { status: 403, body: { code: 'UNAUTHORIZED', details: `Invalid scope: profile ${String(headers['amazon-advertising-api-scope'])}` } };
    const mediaType = String(headers['content-type'] ?? '');
    if (method === 'POST' && path === '/reporting/reports') {
      if (!mediaType.startsWith('application/vnd.createasyncreportrequest.v3+json')) return { status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } };
      const configuration = (body['configuration'] as { reportTypeId?: string; adProduct?: string; format?: string; columns?: string[] } | undefined) ?? {};
      if (configuration.adProduct !== 'SPONSORED_PRODUCTS' || configuration.format !== 'GZIP_JSON')
        return { status: 400, body: { code: 'INVALID_ARGUMENT', detail: 'adProduct SPONSORED_PRODUCTS and format GZIP_JSON expected' } };
      const columns = configuration.columns ?? [];
      const pick = (row: Record<string, unknown>) =>
        Object.fromEntries(columns.map((column) => [column, row[column === 'keyword' ? 'keywordText' : column] ?? null]));
      let rows: Json[];
      if (configuration.reportTypeId === 'spTargeting') rows = keywords.map((keyword) => pick(keyword as unknown as Record<string, unknown>));
      else if (configuration.reportTypeId === 'spSearchTerm') rows = options.searchTerms.map((term) => pick(term as unknown as Record<string, unknown>));
      else return { status: 400, body: { code: 'INVALID_ARGUMENT', detail: `reportTypeId ${configuration.reportTypeId} is not in the fake` } };
      sequence += 1;
      const reportId = `rpt${sequence}`;
      reports.set(reportId, { type: configuration.reportTypeId, polls: 0, rows });
      return { status: 200, body: { reportId, status: 'PENDING', name: body['name'] ?? null, startDate: body['startDate'], endDate: body['endDate'] } };
    }
    const poll = /^\/reporting\/reports\/(\w+)$/.exec(path);
    if (method === 'GET' && poll !== null) {
      const report = reports.get(poll[1] ?? '');
      if (report === undefined) return { status: 404, body: { code: 'NOT_FOUND' } };
      report.polls += 1;
      // Amazon's queue: the first poll still pending, then done.
      return report.polls < 2
        ? { status: 200, body: { reportId: poll[1], status: 'PROCESSING' } }
        : { status: 200, body: { reportId: poll[1], status: 'COMPLETED', url: `${base}/download/${poll[1]}`, fileSize: 1024 } };
    }
    if (method === 'POST' && path === '/sp/keywords/list') {
      if (!mediaType.startsWith('application/vnd.spKeyword.v3+json')) return { status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } };
      const start = Number(body['nextToken'] ?? 0) || 0;
      const size = Number(body['maxResults'] ?? 100);
      const page = keywords.slice(start, start + size).map(({ keywordId, campaignId, adGroupId, keywordText, matchType, bid, state }) => ({
        keywordId,
        campaignId,
        adGroupId,
        keywordText,
        matchType,
        bid,
        state,
      }));
      return {
        status: 200,
        body: { keywords: page, totalResults: keywords.length, ...(start + size < keywords.length ? { nextToken: String(start + size) } : {}) },
      };
    }
    if (method === 'PUT' && path === '/sp/keywords') {
      if (!mediaType.startsWith('application/vnd.spKeyword.v3+json')) return { status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } };
      const success: Json[] = [];
      const error: Json[] = [];
      for (const [index, update] of ((body['keywords'] as Array<{ keywordId: string; bid?: number }> | undefined) ?? []).entries()) {
        const keyword = keywords.find((candidate) => candidate.keywordId === update.keywordId);
        if (keyword === undefined || update.bid === undefined || update.bid < 0.02)
          error.push({ index, errors: [{ errorType: 'INVALID_ARGUMENT', errorValue: { message: 'keyword not found or bid under 0.02' } }] });
        else {
          keyword.bid = update.bid;
          success.push({ index, keywordId: keyword.keywordId });
        }
      }
      return { status: 207, body: { keywords: { success, error } } };
    }
    if (method === 'POST' && path === '/sp/negativeKeywords/list') {
      return { status: 200, body: { negativeKeywords: negatives, totalResults: negatives.length } };
    }
    if (method === 'POST' && path === '/sp/negativeKeywords') {
      if (!mediaType.startsWith('application/vnd.spNegativeKeyword.v3+json')) return { status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } };
      const success: Json[] = [];
      const error: Json[] = [];
      for (const [index, item] of ((body['negativeKeywords'] as Array<Omit<FakeSpNegativeKeyword, 'keywordId'>> | undefined) ?? []).entries()) {
        if (
          negatives.some(
            (negative) => negative.adGroupId === item.adGroupId && negative.keywordText === item.keywordText && negative.matchType === item.matchType,
          )
        )
          error.push({ index, errors: [{ errorType: 'DUPLICATE_VALUE_ERROR', errorValue: { message: 'duplicate negative keyword' } }] });
        else {
          sequence += 1;
          const created = { ...item, keywordId: `nk${sequence}`, state: 'ENABLED' as const };
          negatives.push(created);
          success.push({ index, negativeKeywordId: created.keywordId });
        }
      }
      return { status: 207, body: { negativeKeywords: { success, error } } };
    }
    return { status: 404, body: { code: 'NOT_FOUND', details: `The fake has no route ${method} ${path}` } };
  };

  const server = http.createServer((request, response) => {
    void (async () => {
      const text = await readRequestText(request);
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const body = (String(request.headers['content-type'] ?? '').includes('json') && text !== '' ? JSON.parse(text) : { _raw: text }) as Json;
      requests.push({ method: request.method ?? 'GET', path, body, headers: request.headers });
      // A path starting with / matches exactly; anything else is a substring.
      const faultIndex = faults.findIndex((fault) => (fault.pathPart.startsWith('/') ? path === fault.pathPart : path.includes(fault.pathPart)));
      const fault = faultIndex === -1 ? undefined : faults.splice(faultIndex, 1)[0];
      let result: { status: number; body: unknown; gzip?: boolean };
      if (fault !== undefined && !fault.afterApply) result = { status: fault.status, body: { code: 'INTERNAL_ERROR' } };
      else {
        result = route(request.method ?? 'GET', path, body, request.headers);
        if (fault !== undefined) result = { status: fault.status, body: { code: 'INTERNAL_ERROR' } };
      }
      if (result.gzip === true) {
        response.writeHead(result.status, { 'content-type': 'application/octet-stream' });
        response.end(gzipSync(JSON.stringify(result.body)));
        return;
      }
      response.writeHead(result.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(result.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    tokenUrl: `${base}/auth/o2/token`,
    clientId,
    clientSecret,
    refreshToken,
    profileId,
    keywords,
    negatives,
    requests,
    failNext: (pathPart, status, afterApply = false) => faults.push({ pathPart, status, afterApply }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
