import { gunzipSync } from 'node:zlib';
import type { Db } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { createSideEffectLedger } from '../ledger/side-effect-ledger.js';
import { createLwaTokenSource } from '../marketplace/lwa-token.js';
import { retryRead } from '../search-ads/retry-read.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import type { AmazonAdsConnector, ApplySpChangesResult, SpKeyword, SpSearchTermRow, SpTargetingRow } from './amazon-ads-connector.js';

/** How to reach the Amazon Ads profile. */
export interface AmazonAdsRestOptions {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  profileId: string;
  /** https://advertising-api.amazon.com (NA), -eu, -fe, or a fake (AMAZON_ADS_API_BASE). */
  apiBase: string;
  tokenUrl: string;
  db: Db;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
  /** Between report polls (Amazon's queue takes seconds to minutes). */
  pollIntervalMs?: number;
  /** Polls before giving up on a report. */
  maxPolls?: number;
}

type Json = Record<string, unknown>;
const numberOf = (value: unknown) => Number(value ?? 0) || 0;
const KEYWORD_TYPE = 'application/vnd.spKeyword.v3+json';
const NEGATIVE_TYPE = 'application/vnd.spNegativeKeyword.v3+json';

/** An Amazon Ads call failed: names the operation and status, never a token. */
export class AmazonAdsError extends ConnectorError {
  constructor(operation: string, status: number | null, detail: string) {
    super(
      'amazon_ads_error',
      `Amazon Ads ${operation} failed${status === null ? '' : ` (HTTP ${status})`}: ${detail}${status === 401 ? ': check AMAZON_ADS_CLIENT_ID / AMAZON_ADS_REFRESH_TOKEN' : status === 403 ? ': check AMAZON_ADS_PROFILE_ID' : ''}`,
      {
        facts: { operation, status },
      },
    );
  }
}

/**
 * Amazon Ads (Sponsored Products) as a thin typed client on fetch — there is no maintained
 * official Node SDK (catalogue §6, §10.4). LWA refresh-token auth; the v3 reports go create →
 * poll → download (GZIP_JSON); keyword bids and negative keywords are written through the
 * side-effect ledger, since Amazon takes no idempotency key.
 */
export function createAmazonAdsRestConnector(options: AmazonAdsRestOptions): AmazonAdsConnector {
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  const token = createLwaTokenSource(
    { clientId: options.clientId, clientSecret: options.clientSecret, refreshToken: options.refreshToken, tokenUrl: options.tokenUrl },
    limits,
  );
  const ledger = createSideEffectLedger(options.db, options.abortSignal === undefined ? {} : { signal: options.abortSignal });
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const maxPolls = options.maxPolls ?? 100;

  // Reads (lists, report create and polls) are retried on 429/5xx; writes go through the ledger.
  async function call(operation: string, method: string, path: string, body?: Json, contentType = 'application/json'): Promise<{ status: number; json: Json }> {
    const read = method === 'GET' || path.endsWith('/list') || path === '/reporting/reports';
    return read
      ? retryRead(() => once(operation, method, path, body, contentType), limits.signal === undefined ? {} : { signal: limits.signal })
      : once(operation, method, path, body, contentType);
  }

  async function once(operation: string, method: string, path: string, body: Json | undefined, contentType: string): Promise<{ status: number; json: Json }> {
    let access: string;
    try {
      access = await token();
    } catch (error) {
      throw new AmazonAdsError('LWA token exchange', null, `${(error as Error).message.replace(/AMAZON_SP_API_/g, 'AMAZON_ADS_')}`);
    }
    return callVendor('Amazon Ads', operation, limits, async (signal) => {
      const response = await fetch(`${options.apiBase}${path}`, {
        method,
        signal,
        headers: {
          authorization: `Bearer ${access}`,
          'amazon-advertising-api-clientid': options.clientId,
          'amazon-advertising-api-scope': options.profileId,
          ...(body === undefined ? {} : { 'content-type': contentType, accept: contentType }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      const json = (text === '' ? {} : JSON.parse(text)) as Json;
      if (!response.ok) throw new AmazonAdsError(operation, response.status, String(json['details'] ?? json['detail'] ?? json['code'] ?? text.slice(0, 200)));
      return { status: response.status, json };
    });
  }

  /** A v3 report over the last `days` days ending yesterday: create, poll until done, download the gzip JSON. */
  async function report(reportTypeId: 'spTargeting' | 'spSearchTerm', range: { days: number; end: Date }, columns: string[]): Promise<Json[]> {
    const endDate = new Date(range.end.getTime() - 86_400_000).toISOString().slice(0, 10);
    const startDate = new Date(range.end.getTime() - range.days * 86_400_000).toISOString().slice(0, 10);
    const created = await call(
      `create ${reportTypeId} report`,
      'POST',
      '/reporting/reports',
      {
        name: `jbot ${reportTypeId} ${startDate}..${endDate}`,
        startDate,
        endDate,
        configuration: {
          adProduct: 'SPONSORED_PRODUCTS',
          groupBy: [reportTypeId === 'spTargeting' ? 'targeting' : 'searchTerm'],
          columns,
          reportTypeId,
          timeUnit: 'SUMMARY',
          format: 'GZIP_JSON',
        },
      },
      'application/vnd.createasyncreportrequest.v3+json',
    );
    const reportId = String(created.json['reportId'] ?? '');
    for (let poll = 0; poll < maxPolls; poll += 1) {
      const state = await call(`poll ${reportTypeId} report`, 'GET', `/reporting/reports/${reportId}`);
      const status = String(state.json['status'] ?? '');
      if (status === 'COMPLETED') {
        const url = String(state.json['url'] ?? '');
        // The download URL is pre-signed (S3): no Amazon Ads headers.
        const file = await callVendor('Amazon Ads', `download ${reportTypeId} report`, limits, async (signal) => {
          const response = await fetch(url, { signal });
          if (!response.ok) throw new AmazonAdsError(`download ${reportTypeId} report`, response.status, 'the report file could not be fetched');
          return Buffer.from(await response.arrayBuffer());
        });
        return JSON.parse(gunzipSync(file).toString('utf8')) as Json[];
      }
      if (status === 'FAILED') throw new AmazonAdsError(`${reportTypeId} report`, null, String(state.json['failureReason'] ?? 'the report failed'));
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    }
    throw new AmazonAdsError(`${reportTypeId} report`, null, `not ready after ${maxPolls} polls (report ${reportId}); the next run asks again`);
  }

  async function listKeywords(): Promise<SpKeyword[]> {
    const keywords: SpKeyword[] = [];
    let nextToken: string | undefined;
    do {
      const page = await call(
        'list SP keywords',
        'POST',
        '/sp/keywords/list',
        { stateFilter: { include: ['ENABLED', 'PAUSED'] }, maxResults: 100, ...(nextToken === undefined ? {} : { nextToken }) },
        KEYWORD_TYPE,
      );
      for (const keyword of (page.json['keywords'] as Json[] | undefined) ?? [])
        keywords.push({
          keywordId: String(keyword['keywordId']),
          campaignId: String(keyword['campaignId']),
          adGroupId: String(keyword['adGroupId']),
          keywordText: String(keyword['keywordText']),
          matchType: String(keyword['matchType']),
          bid: numberOf(keyword['bid']),
          state: String(keyword['state']),
        });
      nextToken = page.json['nextToken'] as string | undefined;
    } while (nextToken !== undefined);
    return keywords;
  }

  async function listNegativeKeywords() {
    const page = await call('list SP negative keywords', 'POST', '/sp/negativeKeywords/list', { maxResults: 1000 }, NEGATIVE_TYPE);
    return ((page.json['negativeKeywords'] as Json[] | undefined) ?? []).map((negative) => ({
      campaignId: String(negative['campaignId']),
      adGroupId: String(negative['adGroupId']),
      keywordText: String(negative['keywordText']),
      matchType: String(negative['matchType']),
    }));
  }

  return {
    source: 'amazon_ads',
    listKeywords,
    listNegativeKeywords,
    async targetingReport(range): Promise<SpTargetingRow[]> {
      const rows = await report('spTargeting', range, [
        'keywordId',
        'keyword',
        'matchType',
        'campaignId',
        'adGroupId',
        'cost',
        'clicks',
        'purchases14d',
        'sales14d',
      ]);
      return rows
        .filter((row) => row['keywordId'] !== null && row['keywordId'] !== undefined)
        .map((row) => ({
          keywordId: String(row['keywordId']),
          campaignId: String(row['campaignId']),
          adGroupId: String(row['adGroupId']),
          keywordText: String(row['keyword'] ?? ''),
          matchType: String(row['matchType'] ?? ''),
          cost: numberOf(row['cost']),
          clicks: numberOf(row['clicks']),
          purchases: numberOf(row['purchases14d']),
          sales: numberOf(row['sales14d']),
        }));
    },
    async searchTermReport(range): Promise<SpSearchTermRow[]> {
      const rows = await report('spSearchTerm', range, ['searchTerm', 'campaignId', 'adGroupId', 'keywordId', 'cost', 'clicks', 'purchases14d', 'sales14d']);
      return rows.map((row) => ({
        campaignId: String(row['campaignId']),
        adGroupId: String(row['adGroupId']),
        keywordId: row['keywordId'] === null || row['keywordId'] === undefined ? null : String(row['keywordId']),
        searchTerm: String(row['searchTerm'] ?? ''),
        cost: numberOf(row['cost']),
        clicks: numberOf(row['clicks']),
        purchases: numberOf(row['purchases14d']),
        sales: numberOf(row['sales14d']),
      }));
    },
    async applyChanges(input): Promise<ApplySpChangesResult> {
      // What is already in place counts as applied: the bid already at its target, the negative already there.
      const pending = async () => {
        const [keywords, negatives] = await Promise.all([
          input.bids.length === 0 ? [] : listKeywords(),
          input.negatives.length === 0 ? [] : listNegativeKeywords(),
        ]);
        return {
          bids: input.bids.filter((bid) => Math.abs((keywords.find((keyword) => keyword.keywordId === bid.keywordId)?.bid ?? -1) - bid.bid) >= 0.005),
          negatives: input.negatives.filter(
            (negative) =>
              !negatives.some(
                (existing) =>
                  existing.adGroupId === negative.adGroupId &&
                  existing.keywordText.toLowerCase() === negative.keywordText.toLowerCase() &&
                  existing.matchType === 'NEGATIVE_EXACT',
              ),
          ),
        };
      };
      const total = input.bids.length + input.negatives.length;
      const { result, performed } = await ledger.run<ApplySpChangesResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'amazon_ads',
        action: 'apply_sp_changes',
        request: { profileId: options.profileId, bids: input.bids.length, negatives: input.negatives.length },
        lookup: async () => {
          const left = await pending();
          return left.bids.length + left.negatives.length === 0 ? { bidsApplied: 0, negativesApplied: 0, skipped: total } : null;
        },
        perform: async () => {
          const left = await pending();
          let bidsApplied = 0;
          let negativesApplied = 0;
          if (left.bids.length > 0) {
            const answer = await call(
              'update SP keyword bids',
              'PUT',
              '/sp/keywords',
              { keywords: left.bids.map((bid) => ({ keywordId: bid.keywordId, bid: bid.bid })) },
              KEYWORD_TYPE,
            );
            const outcome = answer.json['keywords'] as
              { success?: unknown[]; error?: Array<{ index: number; errors?: Array<{ errorValue?: { message?: string } }> }> } | undefined;
            bidsApplied = outcome?.success?.length ?? 0;
            if ((outcome?.error?.length ?? 0) > 0)
              throw new AmazonAdsError(
                'update SP keyword bids',
                answer.status,
                outcome?.error?.map((item) => item.errors?.[0]?.errorValue?.message ?? 'error').join('; ') ?? 'partial failure',
              );
          }
          if (left.negatives.length > 0) {
            const answer = await call(
              'create SP negative keywords',
              'POST',
              '/sp/negativeKeywords',
              {
                negativeKeywords: left.negatives.map((negative) => ({
                  campaignId: negative.campaignId,
                  adGroupId: negative.adGroupId,
                  keywordText: negative.keywordText,
                  matchType: 'NEGATIVE_EXACT',
                  state: 'ENABLED',
                })),
              },
              NEGATIVE_TYPE,
            );
            const outcome = answer.json['negativeKeywords'] as { success?: unknown[]; error?: unknown[] } | undefined;
            negativesApplied = outcome?.success?.length ?? 0;
            if ((outcome?.error?.length ?? 0) > 0)
              throw new AmazonAdsError('create SP negative keywords', answer.status, `${outcome?.error?.length} of ${left.negatives.length} refused`);
          }
          return { bidsApplied, negativesApplied, skipped: total - bidsApplied - negativesApplied };
        },
      });
      return performed ? result : { bidsApplied: 0, negativesApplied: 0, skipped: total };
    },
  };
}
