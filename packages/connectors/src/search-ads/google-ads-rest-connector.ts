import type { Db } from '@jbot/core';
import { GoogleApiError, googleAuth } from '../google/google-client.js';
import { createSideEffectLedger } from '../ledger/side-effect-ledger.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import type {
  ApplyKeywordsResult,
  GoogleAdsCampaign,
  GoogleAdsCampaignDay,
  GoogleAdsConnector,
  GoogleAdsKeyword,
  GoogleAdsSearchTerm,
  SetCampaignBudgetResult,
} from './google-ads-connector.js';
import { retryRead } from './retry-read.js';
import type { GoogleOAuthConfig } from './search-analytics-config.js';

/** How to reach the Google Ads account. */
export interface GoogleAdsRestOptions {
  customerId: string;
  loginCustomerId?: string;
  developerToken: string;
  oauth: GoogleOAuthConfig;
  /** https://googleads.googleapis.com, or a fake (GOOGLE_ADS_API_BASE). */
  apiBase: string;
  apiVersion: string;
  db: Db;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

type Json = Record<string, unknown>;
const micros = (value: unknown) => (Number(value ?? 0) || 0) / 1_000_000;
const numberOf = (value: unknown) => Number(value ?? 0) || 0;
const share = (value: unknown) => (value === undefined || value === null ? null : Number(value));
const idOf = (value: unknown) => String(value ?? '');

/**
 * Google Ads over its REST interface (`googleAds:search` with GAQL, `…:mutate`), a thin client on
 * fetch. Why not `google-ads-api` (catalogue §6): it and the `google-ads-node` it wraps speak
 * gRPC only, so a test fake would have to be a gRPC server carrying Google Ads' protos; the REST
 * interface takes the same GAQL and mutate operations as JSON, which testkit's fake speaks.
 * Mutates have no idempotency key at Google, so they run through the side-effect ledger.
 */
export function createGoogleAdsRestConnector(options: GoogleAdsRestOptions): GoogleAdsConnector {
  const auth = googleAuth({
    clientId: options.oauth.clientId,
    clientSecret: options.oauth.clientSecret,
    refreshToken: options.oauth.refreshToken,
    ...(options.oauth.tokenUrl === undefined ? {} : { tokenUrl: options.oauth.tokenUrl }),
  });
  const ledger = createSideEffectLedger(options.db, options.abortSignal === undefined ? {} : { signal: options.abortSignal });
  const root = `${options.apiBase}/${options.apiVersion}/customers/${options.customerId}`;
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };

  async function post(operation: string, path: string, body: Json): Promise<Json> {
    return callVendor('Google Ads', operation, limits, async (signal) => {
      let token: string | null | undefined;
      try {
        token = (await (await auth()).getAccessToken()).token;
      } catch (error) {
        const data = (error as { response?: { status?: number; data?: { error?: string; error_description?: string } } }).response;
        throw new GoogleApiError('Ads', operation, data?.status ?? null, data?.data?.error ?? (error as Error).message, error);
      }
      const response = await fetch(`${root}/${path}`, {
        method: 'POST',
        signal,
        headers: {
          authorization: `Bearer ${token ?? ''}`,
          'developer-token': options.developerToken,
          ...(options.loginCustomerId === undefined ? {} : { 'login-customer-id': options.loginCustomerId }),
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      const json = (text === '' ? {} : JSON.parse(text)) as Json;
      if (!response.ok) {
        const error = json['error'] as { message?: string; status?: string } | undefined;
        throw new GoogleApiError('Ads', operation, response.status, `${error?.status ?? 'error'}: ${error?.message ?? text.slice(0, 200)}`, json);
      }
      return json;
    });
  }

  /** Every row of a GAQL query, following nextPageToken. */
  async function search(operation: string, query: string): Promise<Json[]> {
    const rows: Json[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const page = await retryRead(() => post(operation, 'googleAds:search', { query, ...(token === undefined ? {} : { pageToken: token }) }), {
        ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }),
      });
      rows.push(...((page['results'] as Json[] | undefined) ?? []));
      pageToken = page['nextPageToken'] as string | undefined;
    } while (pageToken !== undefined);
    return rows;
  }

  async function listCampaigns(): Promise<GoogleAdsCampaign[]> {
    const rows = await search(
      'search campaigns',
      "SELECT campaign.id, campaign.name, campaign.status, campaign_budget.resource_name, campaign_budget.amount_micros FROM campaign WHERE campaign.status != 'REMOVED'",
    );
    return rows.map((row) => {
      const campaign = row['campaign'] as Json;
      const budget = (row['campaignBudget'] as Json | undefined) ?? {};
      return {
        id: idOf(campaign['id']),
        name: String(campaign['name'] ?? ''),
        status: String(campaign['status'] ?? 'ENABLED') as GoogleAdsCampaign['status'],
        dailyBudget: micros(budget['amountMicros']),
        ...(budget['resourceName'] === undefined ? {} : { budgetResourceName: String(budget['resourceName']) }),
      };
    });
  }

  async function listKeywords(): Promise<GoogleAdsKeyword[]> {
    const [campaignLevel, adGroupLevel] = await Promise.all([
      search(
        'search campaign_criterion',
        "SELECT campaign.id, campaign_criterion.negative, campaign_criterion.keyword.text, campaign_criterion.keyword.match_type FROM campaign_criterion WHERE campaign_criterion.type = 'KEYWORD'",
      ),
      search(
        'search ad_group_criterion',
        "SELECT campaign.id, ad_group.id, ad_group_criterion.negative, ad_group_criterion.keyword.text, ad_group_criterion.keyword.match_type FROM ad_group_criterion WHERE ad_group_criterion.type = 'KEYWORD' AND ad_group_criterion.status != 'REMOVED'",
      ),
    ]);
    const keyword = (row: Json, key: 'campaignCriterion' | 'adGroupCriterion'): GoogleAdsKeyword => {
      const criterion = row[key] as { negative?: boolean; keyword?: { text?: string; matchType?: string } };
      return {
        campaignId: idOf((row['campaign'] as Json)['id']),
        text: String(criterion.keyword?.text ?? ''),
        matchType: String(criterion.keyword?.matchType ?? 'BROAD') as GoogleAdsKeyword['matchType'],
        negative: criterion.negative === true,
      };
    };
    return [...campaignLevel.map((row) => keyword(row, 'campaignCriterion')), ...adGroupLevel.map((row) => keyword(row, 'adGroupCriterion'))];
  }

  return {
    source: 'google_ads',
    listCampaigns,
    async campaignMetrics(range): Promise<GoogleAdsCampaignDay[]> {
      const rows = await search(
        'search campaign metrics',
        `SELECT campaign.id, segments.date, metrics.cost_micros, metrics.clicks, metrics.conversions, metrics.conversions_value, metrics.search_impression_share, metrics.search_budget_lost_impression_share, metrics.search_rank_lost_impression_share, metrics.search_top_impression_share FROM campaign WHERE segments.date BETWEEN '${range.from}' AND '${range.to}'`,
      );
      return rows.map((row) => {
        const metrics = (row['metrics'] as Json | undefined) ?? {};
        return {
          campaignId: idOf((row['campaign'] as Json)['id']),
          day: String((row['segments'] as Json)['date']),
          cost: micros(metrics['costMicros']),
          clicks: numberOf(metrics['clicks']),
          conversions: numberOf(metrics['conversions']),
          conversionsValue: numberOf(metrics['conversionsValue']),
          impressionShare: share(metrics['searchImpressionShare']),
          budgetLostImpressionShare: share(metrics['searchBudgetLostImpressionShare']),
          rankLostImpressionShare: share(metrics['searchRankLostImpressionShare']),
          topImpressionShare: share(metrics['searchTopImpressionShare']),
        };
      });
    },
    async searchTerms(): Promise<GoogleAdsSearchTerm[]> {
      const rows = await search(
        'search search_term_view',
        'SELECT search_term_view.search_term, campaign.id, ad_group.id, metrics.cost_micros, metrics.clicks, metrics.conversions, metrics.conversions_value FROM search_term_view WHERE segments.date DURING LAST_14_DAYS',
      );
      // One row per campaign and term: a term matched in two ad groups is summed, kept in the first.
      const terms = new Map<string, GoogleAdsSearchTerm>();
      for (const row of rows) {
        const metrics = (row['metrics'] as Json | undefined) ?? {};
        const campaignId = idOf((row['campaign'] as Json)['id']);
        const term = String((row['searchTermView'] as Json)['searchTerm'] ?? '');
        const known = terms.get(`${campaignId}:${term}`);
        const next = {
          campaignId,
          adGroupId: known?.adGroupId ?? idOf((row['adGroup'] as Json)['id']),
          term,
          cost: (known?.cost ?? 0) + micros(metrics['costMicros']),
          clicks: (known?.clicks ?? 0) + numberOf(metrics['clicks']),
          conversions: (known?.conversions ?? 0) + numberOf(metrics['conversions']),
          conversionsValue: (known?.conversionsValue ?? 0) + numberOf(metrics['conversionsValue']),
        };
        terms.set(`${campaignId}:${term}`, next);
      }
      return [...terms.values()];
    },
    listKeywords,
    async applyKeywords(input): Promise<ApplyKeywordsResult> {
      const { result, performed } = await ledger.run<ApplyKeywordsResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'google_ads',
        action: 'apply_keywords',
        request: { customerId: options.customerId, items: input.items.length },
        // After an uncertain attempt: whatever is now in the account counts as done.
        lookup: async () => {
          const existing = await listKeywords();
          const present = input.items.filter((item) =>
            existing.some(
              (keyword) =>
                keyword.campaignId === item.campaignId && keyword.negative === item.negative && keyword.text.toLowerCase() === item.text.toLowerCase(),
            ),
          );
          return present.length === input.items.length ? { applied: 0, skipped: present.length } : null;
        },
        perform: async () => {
          const existing = await listKeywords();
          const missing = input.items.filter(
            (item) =>
              !existing.some(
                (keyword) =>
                  keyword.campaignId === item.campaignId && keyword.negative === item.negative && keyword.text.toLowerCase() === item.text.toLowerCase(),
              ),
          );
          const negatives = missing.filter((item) => item.negative);
          const additions = missing.filter((item) => !item.negative);
          if (negatives.length > 0)
            await post('mutate campaignCriteria', 'campaignCriteria:mutate', {
              operations: negatives.map((item) => ({
                create: {
                  campaign: `customers/${options.customerId}/campaigns/${item.campaignId}`,
                  negative: true,
                  keyword: { text: item.text, matchType: item.matchType },
                },
              })),
            });
          if (additions.length > 0)
            await post('mutate adGroupCriteria', 'adGroupCriteria:mutate', {
              operations: additions.map((item) => {
                if (item.adGroupId === undefined)
                  throw new GoogleApiError('Ads', 'mutate adGroupCriteria', null, `keyword "${item.text}" has no ad group to go in`, null);
                return {
                  create: {
                    adGroup: `customers/${options.customerId}/adGroups/${item.adGroupId}`,
                    status: 'ENABLED',
                    keyword: { text: item.text, matchType: item.matchType },
                  },
                };
              }),
            });
          return { applied: missing.length, skipped: input.items.length - missing.length };
        },
      });
      // A repeat under the same key applied nothing this time.
      return performed ? result : { applied: 0, skipped: input.items.length };
    },
    async setCampaignBudget(input): Promise<SetCampaignBudgetResult> {
      const campaign = (await listCampaigns()).find((candidate) => candidate.id === input.campaignId);
      if (campaign?.budgetResourceName === undefined)
        throw new GoogleApiError(
          'Ads',
          'mutate campaignBudgets',
          404,
          `campaign ${input.campaignId} (or its budget) was not found in customer ${options.customerId}`,
          null,
        );
      const amountMicros = String(Math.round(input.dailyBudget * 1_000_000));
      const { result, performed } = await ledger.run<SetCampaignBudgetResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'google_ads',
        action: 'set_campaign_budget',
        request: { campaignId: input.campaignId, amountMicros },
        lookup: async () => {
          const now = (await listCampaigns()).find((candidate) => candidate.id === input.campaignId);
          return now !== undefined && Math.abs(now.dailyBudget - input.dailyBudget) < 0.005
            ? { campaignId: input.campaignId, dailyBudget: now.dailyBudget, changed: true }
            : null;
        },
        perform: async () => {
          await post('mutate campaignBudgets', 'campaignBudgets:mutate', {
            operations: [{ update: { resourceName: campaign.budgetResourceName, amountMicros }, updateMask: 'amount_micros' }],
          });
          return { campaignId: input.campaignId, dailyBudget: input.dailyBudget, changed: true };
        },
      });
      return performed ? result : { ...result, changed: false };
    },
  };
}
