import { probeFailure, type Db, type ServiceProbe } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { createSideEffectLedger } from '../ledger/side-effect-ledger.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import type { AdCampaign, AdInsight, AdsConnector, PauseCampaignResult } from './ads-connector.js';
import { metaAdCreative } from './meta-ad-creative.js';

/** Options for the live Meta Ads account. */
export interface MetaAdsOptions {
  accessToken: string;
  /** act_1234… */
  adAccountId: string;
  /** https://graph.facebook.com unless overridden (META_API_BASE). */
  apiBase?: string;
  db: Db;
  /** Each call's timeout (CONNECTOR_TIMEOUT_MS); default 30 s. */
  timeoutMs?: number;
  /** The run's abort signal (ctx.abortSignal). */
  abortSignal?: AbortSignal;
  /** The Facebook Page new ad creatives are published as (META_PAGE_ID). */
  pageId?: string;
}

/** The slice of facebook-nodejs-business-sdk's FacebookAdsApi used here (the SDK ships no types). */
export interface GraphApi {
  call(method: string, path: string[], params?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

// SKUs named in a campaign (our naming convention puts them in the name, e.g. "… [DW-104]").
const SKU_PATTERN = /\b[A-Z]{2,4}-\d{2,5}\b/g;

/**
 * A client of facebook-nodejs-business-sdk of its own, imported on demand. Its base URL is this
 * client's (the SDK's per-call url override), not the SDK's process-wide GRAPH getter: two
 * connectors in one process (a live account and a test's fake, or two ad accounts) each keep their own.
 */
export async function loadGraphApi(options: Pick<MetaAdsOptions, 'accessToken' | 'apiBase'>): Promise<GraphApi> {
  const module = await import('facebook-nodejs-business-sdk');
  const sdk = (module as { default?: unknown }).default ?? module;
  const { FacebookAdsApi } = sdk as { FacebookAdsApi: new (token: string, locale?: string, crashLog?: boolean) => SdkApi };
  // crash_log false: the SDK would otherwise install process-wide crash handlers.
  const client = new FacebookAdsApi(options.accessToken, 'en_US', false);
  // Always explicit: an empty override would fall back to the SDK's global GRAPH, which other code may have changed.
  const base = (options.apiBase ?? 'https://graph.facebook.com').replace(/\/+$/, '');
  return { call: (method, path, params = {}) => client.call(method, path, params, {}, false, base) };
}

// The SDK's FacebookAdsApi.call signature (it ships Flow types only).
interface SdkApi {
  call(
    method: string,
    path: string[],
    params: Record<string, unknown>,
    files: Record<string, unknown>,
    multipart: boolean,
    urlOverride: string,
  ): Promise<Record<string, unknown>>;
}

/** Whether the token can read the ad account: its name (`fleet doctor`). */
export async function probeMetaAds(options: Pick<MetaAdsOptions, 'accessToken' | 'adAccountId' | 'apiBase'>): Promise<ServiceProbe> {
  const account = options.adAccountId.startsWith('act_') ? options.adAccountId : `act_${options.adAccountId}`;
  try {
    const answer = await callVendor('Meta', 'account probe', { timeoutMs: DEFAULT_VENDOR_TIMEOUT_MS }, async () =>
      (await loadGraphApi(options)).call('GET', [account], { fields: 'name' }),
    );
    return { ok: true, detail: `ad account ${String(answer['name'] ?? options.adAccountId)}` };
  } catch (error) {
    return probeFailure(error);
  }
}

/** One ad account's Graph session: the account id (act_…), a bounded call, and the side-effect ledger. */
export interface MetaGraphSession {
  account: string;
  call: (method: string, path: string[], params: Record<string, unknown>, operation: string) => Promise<Record<string, unknown>>;
  ledger: ReturnType<typeof createSideEffectLedger>;
}

/** The SDK client (loaded on first call), timeouts, abort and error mapping every Meta Ads adapter shares. */
export function createMetaGraphSession(options: MetaAdsOptions): MetaGraphSession {
  const ledger = createSideEffectLedger(options.db, options.abortSignal === undefined ? {} : { signal: options.abortSignal });
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  const account = options.adAccountId.startsWith('act_') ? options.adAccountId : `act_${options.adAccountId}`;
  let apiPromise: Promise<GraphApi> | undefined;
  const api = (): Promise<GraphApi> => (apiPromise ??= loadGraphApi(options));
  const call = async (method: string, path: string[], params: Record<string, unknown>, operation: string) => {
    try {
      // The SDK's axios request takes no signal: at the timeout or abort the call is abandoned and answered.
      const graph = await api();
      return await callVendor('Meta', operation, limits, () => graph.call(method, path, params));
    } catch (error) {
      if (error instanceof ConnectorError) throw error;
      throw new ConnectorError('meta_request_failed', `Meta ${operation} failed: ${error instanceof Error ? error.message : String(error)}`, {
        facts: { operation },
        cause: error,
      });
    }
  };

  return { account, call, ledger };
}

/**
 * Meta Ads through the official facebook-nodejs-business-sdk (loaded on first use). Reads
 * campaigns and daily insights; pauses a campaign when an approved proposal is executed.
 */
export function createMetaAdsConnector(options: MetaAdsOptions): AdsConnector {
  const { call, account, ledger } = createMetaGraphSession(options);

  return {
    source: 'meta',
    async listCampaigns() {
      const response = await call(
        'GET',
        [account, 'campaigns'],
        { fields: 'id,name,status,objective,daily_budget,updated_time', limit: 200 },
        'campaigns list',
      );
      const data = (response['data'] ?? []) as Array<Record<string, string>>;
      return data.map((campaign): AdCampaign => ({
        id: String(campaign['id']),
        name: String(campaign['name']),
        status: (campaign['status'] ?? 'ACTIVE') as AdCampaign['status'],
        objective: String(campaign['objective'] ?? ''),
        // Meta reports budgets in the account currency's minor unit.
        dailyBudget: Number(campaign['daily_budget'] ?? 0) / 100,
        promotedSkus: [...new Set(String(campaign['name']).match(SKU_PATTERN) ?? [])],
        updatedAt: campaign['updated_time'] ?? null,
      }));
    },
    async listInsights(query = {}) {
      const since = (query.since ?? new Date(Date.now() - 7 * 86_400_000)).toISOString().slice(0, 10);
      const until = new Date().toISOString().slice(0, 10);
      const response = await call(
        'GET',
        [query.campaignId ?? account, 'insights'],
        {
          level: 'campaign',
          time_increment: 1,
          time_range: JSON.stringify({ since, until }),
          limit: 500,
          fields: 'campaign_id,date_start,impressions,reach,frequency,clicks,ctr,spend,actions',
        },
        'insights',
      );
      const data = (response['data'] ?? []) as Array<Record<string, unknown>>;
      return data.map((row): AdInsight => {
        const actions = (row['actions'] ?? []) as Array<{ action_type: string; value: string }>;
        return {
          campaignId: String(row['campaign_id']),
          day: String(row['date_start']),
          impressions: Number(row['impressions'] ?? 0),
          reach: Number(row['reach'] ?? 0),
          frequency: Number(row['frequency'] ?? 0),
          clicks: Number(row['clicks'] ?? 0),
          ctr: Number(row['ctr'] ?? 0),
          spend: Number(row['spend'] ?? 0),
          purchases: Number(actions.find((action) => action.action_type === 'purchase')?.value ?? 0),
        };
      });
    },
    async pauseCampaign(input) {
      const { result, performed } = await ledger.run<PauseCampaignResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'meta',
        action: 'campaign.pause',
        request: { campaignId: input.campaignId, ...(input.reason === undefined ? {} : { reason: input.reason }) },
        lookup: async () => null, // setting PAUSED again is harmless
        perform: async () => {
          await call('POST', [input.campaignId], { status: 'PAUSED' }, 'campaign pause');
          return { campaignId: input.campaignId, status: 'PAUSED', changed: true };
        },
      });
      return { ...result, changed: performed };
    },
    async resumeCampaign(input) {
      const { result, performed } = await ledger.run<PauseCampaignResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'meta',
        action: 'campaign.resume',
        request: { campaignId: input.campaignId, ...(input.reason === undefined ? {} : { reason: input.reason }) },
        lookup: async () => null, // setting ACTIVE again is harmless
        perform: async () => {
          await call('POST', [input.campaignId], { status: 'ACTIVE' }, 'campaign resume');
          return { campaignId: input.campaignId, status: 'ACTIVE', changed: true };
        },
      });
      return { ...result, changed: performed };
    },
    ...metaAdCreative({ call, account, ledger, db: options.db, ...(options.pageId === undefined ? {} : { pageId: options.pageId }) }),
  };
}
