import type { Db } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { createSideEffectLedger } from '../ledger/side-effect-ledger.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import { createLiveKlaviyoGrowth, type KlaviyoGrowthSdk } from './klaviyo-live-growth.js';
import type { KlaviyoAudience, KlaviyoCampaignMessage, KlaviyoConnector, KlaviyoFlowReport, UnscheduleCampaignResult } from './klaviyo-connector.js';

/** What the Klaviyo connector needs. */
export interface KlaviyoOptions {
  /** A private API key (pk_…): campaigns:read/write, lists:read, segments:read, templates:read. */
  apiKey: string;
  /** Base URL of the API (KLAVIYO_API_BASE); default https://a.klaviyo.com. */
  apiBase?: string;
  /** The Placed Order metric for conversion statistics (KLAVIYO_CONVERSION_METRIC_ID); looked up by name when unset. */
  conversionMetricId?: string;
  db: Db;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

/** A JSON:API resource object as Klaviyo sends it. */
export interface Resource {
  type: string;
  id: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, { data?: { type: string; id: string } | Array<{ type: string; id: string }> | null }>;
}

/** A JSON:API document: primary data, included resources, pagination links. */
export interface Document {
  data?: Resource | Resource[];
  included?: Resource[];
  links?: { next?: string | null };
}

/** A reporting API answer: one report resource whose results are grouped statistics. */
export interface ReportDocument {
  data?: {
    type: string;
    id?: string;
    attributes?: {
      results?: Array<{ groupings?: Record<string, string>; statistics?: Record<string, number | number[] | null> }>;
      date_times?: string[];
    };
  };
  links?: { next?: string | null };
}

/** The slice of klaviyo-api used here, typed by what we send; responses are read as raw JSON:API documents. */
interface KlaviyoBaseSdk {
  campaigns: {
    getCampaigns(filter: string, options: Record<string, unknown>): Promise<{ response: { data: Document } }>;
    getMessagesForCampaign(id: string, options: Record<string, unknown>): Promise<{ response: { data: Document } }>;
    cancelCampaignSend(id: string, query: { data: { type: 'campaign-send-job'; id: string; attributes: { action: 'cancel' | 'revert' } } }): Promise<unknown>;
    getCampaign(id: string, options?: Record<string, unknown>): Promise<{ response: { data: Document } }>;
  };
  lists: { getLists(options: Record<string, unknown>): Promise<{ response: { data: Document } }> };
  flows: { getFlows(options: Record<string, unknown>): Promise<{ response: { data: Document } }> };
  metrics: { getMetrics(options: Record<string, unknown>): Promise<{ response: { data: Document } }> };
  reporting: {
    queryCampaignValues(
      query: { data: { type: 'campaign-values-report'; attributes: Record<string, unknown> } },
      options?: Record<string, unknown>,
    ): Promise<{ response: { data: ReportDocument } }>;
    queryFlowValues(
      query: { data: { type: 'flow-values-report'; attributes: Record<string, unknown> } },
      options?: Record<string, unknown>,
    ): Promise<{ response: { data: ReportDocument } }>;
    queryFlowSeries(
      query: { data: { type: 'flow-series-report'; attributes: Record<string, unknown> } },
      options?: Record<string, unknown>,
    ): Promise<{ response: { data: ReportDocument } }>;
  };
  segments: { getSegments(options: Record<string, unknown>): Promise<{ response: { data: Document } }> };
}

/** Every klaviyo-api call the connector makes (the growth and drafting ones in klaviyo-live-growth.ts). */
export type KlaviyoSdk = KlaviyoBaseSdk & KlaviyoGrowthSdk;

/** klaviyo-api's clients, imported on demand, each pointed at the configured base URL (per client, not global). */
async function loadKlaviyo(options: Pick<KlaviyoOptions, 'apiKey' | 'apiBase'>): Promise<KlaviyoSdk> {
  const module = (await import('klaviyo-api')) as unknown as Record<string, new (...args: never[]) => { basePath: string }>;
  const sdk = ((module as { default?: unknown }).default ?? module) as typeof module;
  type Client = new (session: unknown) => { basePath: string };
  const { ApiKeySession, CampaignsApi, ListsApi, SegmentsApi, FlowsApi, MetricsApi, ReportingApi, FormsApi, TemplatesApi, ProfilesApi } = sdk as unknown as {
    ApiKeySession: new (key: string) => unknown;
    CampaignsApi: Client;
    ListsApi: Client;
    SegmentsApi: Client;
    FlowsApi: Client;
    MetricsApi: Client;
    ReportingApi: Client;
    FormsApi: Client;
    TemplatesApi: Client;
    ProfilesApi: Client;
  };
  const session = new ApiKeySession(options.apiKey);
  const point = <Client extends { basePath: string }>(client: Client): Client => {
    if (options.apiBase !== undefined) client.basePath = options.apiBase.replace(/\/+$/, '');
    return client;
  };
  return {
    campaigns: point(new CampaignsApi(session)) as unknown as KlaviyoSdk['campaigns'],
    lists: point(new ListsApi(session)) as unknown as KlaviyoSdk['lists'],
    segments: point(new SegmentsApi(session)) as unknown as KlaviyoSdk['segments'],
    flows: point(new FlowsApi(session)) as unknown as KlaviyoSdk['flows'],
    metrics: point(new MetricsApi(session)) as unknown as KlaviyoSdk['metrics'],
    reporting: point(new ReportingApi(session)) as unknown as KlaviyoSdk['reporting'],
    forms: point(new FormsApi(session)) as unknown as KlaviyoSdk['forms'],
    templates: point(new TemplatesApi(session)) as unknown as KlaviyoSdk['templates'],
    profiles: point(new ProfilesApi(session)) as unknown as KlaviyoSdk['profiles'],
  };
}

const DAY_MS = 86_400_000;

const asArray = (data: Document['data']): Resource[] => (data === undefined ? [] : Array.isArray(data) ? data : [data]);
const attribute = (resource: Resource | undefined, name: string): unknown => resource?.attributes?.[name];
const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/** The cursor of a JSON:API `next` link (Klaviyo pages with page[cursor]). */
function nextCursor(document: Document): string | undefined {
  const next = document.links?.next;
  if (next === undefined || next === null) return undefined;
  return new URL(next).searchParams.get('page[cursor]') ?? undefined;
}

function vendorError(operation: string, error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  // axios errors carry the JSON:API error document; its detail is what a person can act on (never the key).
  const response = record(record(error)['response']);
  const status = response['status'];
  const errors = record(response['data'])['errors'];
  const detail = Array.isArray(errors) ? errors.map((entry) => String(record(entry)['detail'] ?? record(entry)['title'] ?? '')).join('; ') : '';
  const message = detail !== '' ? detail : error instanceof Error ? error.message : String(error);
  return new ConnectorError('klaviyo_request_failed', `Klaviyo ${operation} failed${status === undefined ? '' : ` (HTTP ${String(status)})`}: ${message}`, {
    facts: { operation, ...(typeof status === 'number' ? { status } : {}) },
    cause: error,
  });
}

/**
 * Klaviyo through the official klaviyo-api SDK (loaded on first use): scheduled email and SMS
 * campaigns with their message content (email HTML from the message's template) and audience
 * names; unscheduling reverts the campaign's send job to draft, once per key (side-effect ledger).
 */
export function createKlaviyoConnector(options: KlaviyoOptions): KlaviyoConnector {
  const ledger = createSideEffectLedger(options.db, options.abortSignal === undefined ? {} : { signal: options.abortSignal });
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  let sdkPromise: Promise<KlaviyoSdk> | undefined;
  const sdk = (): Promise<KlaviyoSdk> => (sdkPromise ??= loadKlaviyo(options));
  const call = async <Result>(operation: string, request: (client: KlaviyoSdk) => Promise<Result>): Promise<Result> => {
    try {
      const client = await sdk();
      // The SDK's axios request takes no signal: at the timeout or abort the call is abandoned and answered.
      return await callVendor('Klaviyo', operation, limits, () => request(client));
    } catch (error) {
      throw vendorError(operation, error);
    }
  };

  // Audience ids → names (lists and segments), one paged read of each per run.
  const audienceNames = async (): Promise<Map<string, string>> => {
    const names = new Map<string, string>();
    for (const kind of ['lists', 'segments'] as const) {
      let cursor: string | undefined;
      do {
        const page: Document = (
          await call(`${kind} list`, (client) =>
            kind === 'lists'
              ? client.lists.getLists({ fieldsList: ['name'], ...(cursor === undefined ? {} : { pageCursor: cursor }) })
              : client.segments.getSegments({ fieldsSegment: ['name'], ...(cursor === undefined ? {} : { pageCursor: cursor }) }),
          )
        ).response.data;
        for (const resource of asArray(page.data)) names.set(resource.id, String(attribute(resource, 'name') ?? resource.id));
        cursor = nextCursor(page);
      } while (cursor !== undefined);
    }
    return names;
  };

  const messageBody = async (
    campaignId: string,
    channel: 'email' | 'sms',
    message: Resource | undefined,
  ): Promise<{ subject: string | null; body: string }> => {
    const content = record(record(attribute(message, 'definition'))['content']);
    if (channel === 'sms') return { subject: null, body: String(content['body'] ?? '') };
    // An email's HTML lives in the message's template.
    const document = (
      await call('campaign messages', (client) =>
        client.campaigns.getMessagesForCampaign(campaignId, { include: ['template'], fieldsTemplate: ['html', 'text'] }),
      )
    ).response.data;
    const template = (document.included ?? []).find((resource) => resource.type === 'template');
    return {
      subject: content['subject'] === undefined ? null : String(content['subject']),
      body: String(attribute(template, 'html') ?? attribute(template, 'text') ?? ''),
    };
  };

  // Every page of a JSON:API listing.
  const everyPage = async (operation: string, request: (client: KlaviyoSdk, cursor: string | undefined) => Promise<{ response: { data: Document } }>) => {
    const resources: Resource[] = [];
    let cursor: string | undefined;
    do {
      const page: Document = (await call(operation, (client) => request(client, cursor))).response.data;
      resources.push(...asArray(page.data));
      cursor = nextCursor(page);
    } while (cursor !== undefined);
    return resources;
  };

  let metricPromise: Promise<string> | undefined;
  const conversionMetricId = (): Promise<string> =>
    (metricPromise ??= (async () => {
      if (options.conversionMetricId !== undefined) return options.conversionMetricId;
      const metrics = await everyPage('metrics list', (client, cursor) =>
        client.metrics.getMetrics({ fieldsMetric: ['name'], ...(cursor === undefined ? {} : { pageCursor: cursor }) }),
      );
      const placed = metrics.find((metric) => attribute(metric, 'name') === 'Placed Order');
      if (placed === undefined)
        throw new ConnectorError(
          'klaviyo_no_conversion_metric',
          'Klaviyo has no "Placed Order" metric: set KLAVIYO_CONVERSION_METRIC_ID to the metric flows convert on',
          {
            facts: { operation: 'metrics list' },
          },
        );
      return placed.id;
    })()).catch((error: unknown) => {
      metricPromise = undefined;
      throw error;
    });

  return {
    source: 'klaviyo',
    ...createLiveKlaviyoGrowth({ call, everyPage, ledger }),
    async flowReports(window) {
      const endDay = window.end.toISOString().slice(0, 10);
      const end = new Date(`${endDay}T00:00:00Z`);
      const start = new Date(end.getTime() - window.days * DAY_MS);
      const last30Start = new Date(end.getTime() - 30 * DAY_MS);
      const metric = await conversionMetricId();
      const flows = await everyPage('flows list', (client, cursor) =>
        client.flows.getFlows({ fieldsFlow: ['name', 'status', 'trigger_type'], ...(cursor === undefined ? {} : { pageCursor: cursor }) }),
      );
      // The reporting endpoints allow 2 calls a minute and 225 a day: one series and one values call per run, all flows at once.
      const series = (
        await call('flow series report', (client) =>
          client.reporting.queryFlowSeries({
            data: {
              type: 'flow-series-report',
              attributes: {
                statistics: ['recipients', 'conversion_value'],
                timeframe: { start: start.toISOString(), end: end.toISOString() },
                interval: 'daily',
                conversionMetricId: metric,
                groupBy: ['flow_id', 'flow_message_id'],
              },
            },
          }),
        )
      ).response.data;
      const values = (
        await call('flow values report', (client) =>
          client.reporting.queryFlowValues({
            data: {
              type: 'flow-values-report',
              attributes: {
                statistics: ['recipients', 'conversion_value', 'open_rate', 'click_rate', 'conversion_rate', 'unsubscribe_rate', 'spam_complaint_rate'],
                timeframe: { start: last30Start.toISOString(), end: end.toISOString() },
                conversionMetricId: metric,
                groupBy: ['flow_id', 'flow_message_id'],
              },
            },
          }),
        )
      ).response.data;
      const dayKeys = Array.from({ length: window.days }, (_, index) => new Date(start.getTime() + index * DAY_MS).toISOString().slice(0, 10));
      const seriesDays = (series.data?.attributes?.date_times ?? []).map((time) => new Date(time).toISOString().slice(0, 10));
      const daily = new Map<string, Map<string, { recipients: number; revenue: number }>>();
      for (const result of series.data?.attributes?.results ?? []) {
        const flowId = result.groupings?.['flow_id'];
        if (flowId === undefined) continue;
        const days = daily.get(flowId) ?? new Map<string, { recipients: number; revenue: number }>();
        const recipients = result.statistics?.['recipients'];
        const revenue = result.statistics?.['conversion_value'];
        seriesDays.forEach((day, index) => {
          const entry = days.get(day) ?? { recipients: 0, revenue: 0 };
          entry.recipients += Array.isArray(recipients) ? (recipients[index] ?? 0) : 0;
          entry.revenue += Array.isArray(revenue) ? (revenue[index] ?? 0) : 0;
          days.set(day, entry);
        });
        daily.set(flowId, days);
      }
      // Rates come per message; a flow's rate is its messages' rates weighted by recipients.
      const totals = new Map<string, { recipients: number; revenue: number; weighted: Record<string, number> }>();
      const rateNames = ['open_rate', 'click_rate', 'conversion_rate', 'unsubscribe_rate', 'spam_complaint_rate'];
      for (const result of values.data?.attributes?.results ?? []) {
        const flowId = result.groupings?.['flow_id'];
        if (flowId === undefined) continue;
        const entry = totals.get(flowId) ?? { recipients: 0, revenue: 0, weighted: {} };
        const recipients = Number(result.statistics?.['recipients'] ?? 0);
        entry.recipients += recipients;
        entry.revenue += Number(result.statistics?.['conversion_value'] ?? 0);
        for (const rate of rateNames) entry.weighted[rate] = (entry.weighted[rate] ?? 0) + Number(result.statistics?.[rate] ?? 0) * recipients;
        totals.set(flowId, entry);
      }
      return flows.map((flow): KlaviyoFlowReport => {
        const days = daily.get(flow.id);
        const total = totals.get(flow.id) ?? { recipients: 0, revenue: 0, weighted: {} };
        const rate = (name: string) => (total.recipients === 0 ? 0 : (total.weighted[name] ?? 0) / total.recipients);
        return {
          id: flow.id,
          name: String(attribute(flow, 'name') ?? flow.id),
          status: String(attribute(flow, 'status') ?? 'draft').toLowerCase(),
          trigger: attribute(flow, 'trigger_type') === undefined ? null : String(attribute(flow, 'trigger_type')),
          days: dayKeys.map((day) => ({ day, recipients: days?.get(day)?.recipients ?? 0, revenue: Math.round((days?.get(day)?.revenue ?? 0) * 100) / 100 })),
          last30: {
            recipients: total.recipients,
            revenue: Math.round(total.revenue * 100) / 100,
            openRate: rate('open_rate'),
            clickRate: rate('click_rate'),
            conversionRate: rate('conversion_rate'),
            unsubscribeRate: rate('unsubscribe_rate'),
            spamComplaintRate: rate('spam_complaint_rate'),
          },
        };
      });
    },
    async listSentCampaigns(listing) {
      const sent: Array<{ id: string; name: string; channel: 'email' | 'sms'; sentAt: string }> = [];
      for (const channel of ['email', 'sms'] as const) {
        const page: Document = (
          await call(`${channel} sent campaigns`, (client) =>
            client.campaigns.getCampaigns(`and(equals(messages.channel,'${channel}'),equals(status,'Sent'))`, {
              fieldsCampaign: ['name', 'status', 'send_time', 'scheduled_at'],
              sort: '-scheduled_at',
              pageSize: Math.min(100, Math.max(1, listing.limit)),
            }),
          )
        ).response.data;
        for (const campaign of asArray(page.data)) {
          const sentAt = attribute(campaign, 'send_time') ?? attribute(campaign, 'scheduled_at');
          if (sentAt === undefined || sentAt === null) continue;
          sent.push({ id: campaign.id, name: String(attribute(campaign, 'name') ?? campaign.id), channel, sentAt: new Date(String(sentAt)).toISOString() });
        }
      }
      const newest = sent.sort((left, right) => right.sentAt.localeCompare(left.sentAt) || left.id.localeCompare(right.id)).slice(0, listing.limit);
      if (newest.length === 0) return [];
      const metric = await conversionMetricId();
      const oldest = Date.parse(newest[newest.length - 1]?.sentAt ?? new Date().toISOString());
      // One values report for every campaign at once (the reporting endpoints allow 2 calls a minute).
      const values = (
        await call('campaign values report', (client) =>
          client.reporting.queryCampaignValues({
            data: {
              type: 'campaign-values-report',
              attributes: {
                statistics: ['recipients', 'open_rate', 'click_rate', 'revenue_per_recipient', 'unsubscribe_rate', 'spam_complaint_rate', 'bounce_rate'],
                timeframe: { start: new Date(oldest - DAY_MS).toISOString(), end: new Date().toISOString() },
                conversionMetricId: metric,
                filter: `contains-any(campaign_id,[${newest.map((campaign) => `"${campaign.id}"`).join(',')}])`,
              },
            },
          }),
        )
      ).response.data;
      const rateNames = ['open_rate', 'click_rate', 'revenue_per_recipient', 'unsubscribe_rate', 'spam_complaint_rate', 'bounce_rate'];
      const totals = new Map<string, { recipients: number; weighted: Record<string, number> }>();
      for (const result of values.data?.attributes?.results ?? []) {
        const campaignId = result.groupings?.['campaign_id'];
        if (campaignId === undefined) continue;
        const entry = totals.get(campaignId) ?? { recipients: 0, weighted: {} };
        const recipients = Number(result.statistics?.['recipients'] ?? 0);
        entry.recipients += recipients;
        for (const rate of rateNames) entry.weighted[rate] = (entry.weighted[rate] ?? 0) + Number(result.statistics?.[rate] ?? 0) * recipients;
        totals.set(campaignId, entry);
      }
      return newest.map((campaign) => {
        const total = totals.get(campaign.id);
        const rate = (name: string) => (total === undefined || total.recipients === 0 ? null : (total.weighted[name] ?? 0) / total.recipients);
        return {
          ...campaign,
          recipients: total?.recipients ?? 0,
          openRate: rate('open_rate'),
          clickRate: rate('click_rate'),
          revenuePerRecipient: rate('revenue_per_recipient'),
          unsubscribeRate: rate('unsubscribe_rate'),
          spamComplaintRate: rate('spam_complaint_rate'),
          bounceRate: rate('bounce_rate'),
        };
      });
    },
    async listScheduledCampaigns() {
      const names = await audienceNames();
      const audiences = (ids: unknown): KlaviyoAudience[] =>
        Array.isArray(ids) ? ids.map((id) => ({ id: String(id), name: names.get(String(id)) ?? String(id) })) : [];
      const campaigns: KlaviyoCampaignMessage[] = [];
      // Klaviyo requires a channel filter: one listing per channel.
      for (const channel of ['email', 'sms'] as const) {
        let cursor: string | undefined;
        do {
          const page: Document = (
            await call(`${channel} campaigns list`, (client) =>
              client.campaigns.getCampaigns(`and(equals(messages.channel,'${channel}'),equals(status,'Scheduled'))`, {
                include: ['campaign-messages'],
                fieldsCampaign: ['name', 'status', 'audiences', 'send_strategy', 'send_time', 'scheduled_at'],
                ...(cursor === undefined ? {} : { pageCursor: cursor }),
              }),
            )
          ).response.data;
          const included = new Map((page.included ?? []).map((resource) => [`${resource.type}:${resource.id}`, resource]));
          for (const campaign of asArray(page.data)) {
            const related = campaign.relationships?.['campaign-messages']?.data;
            const firstMessage = Array.isArray(related) ? related[0] : (related ?? undefined);
            const message = firstMessage === undefined ? undefined : included.get(`campaign-message:${firstMessage.id}`);
            const strategy = record(attribute(campaign, 'send_strategy'));
            const sendAt = attribute(campaign, 'send_time') ?? strategy['datetime'] ?? null;
            const content = await messageBody(campaign.id, channel, message);
            const audience = record(attribute(campaign, 'audiences'));
            campaigns.push({
              id: campaign.id,
              name: String(attribute(campaign, 'name') ?? campaign.id),
              channel,
              status: String(attribute(campaign, 'status') ?? 'Scheduled').toLowerCase(),
              sendAt: sendAt === null ? null : new Date(String(sendAt)).toISOString(),
              subject: content.subject,
              body: content.body,
              includedAudiences: audiences(audience['included']),
              excludedAudiences: audiences(audience['excluded']),
            });
          }
          cursor = nextCursor(page);
        } while (cursor !== undefined);
      }
      return campaigns.sort((left, right) => (left.sendAt ?? '').localeCompare(right.sendAt ?? ''));
    },
    async unscheduleCampaign(input) {
      const { result, performed } = await ledger.run<UnscheduleCampaignResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'klaviyo',
        action: 'campaign.unschedule',
        request: { campaignId: input.campaignId, ...(input.reason === undefined ? {} : { reason: input.reason }) },
        // After an uncertain attempt: a campaign already back in draft was reverted.
        lookup: async () => {
          const document = (await call('campaign read', (client) => client.campaigns.getCampaign(input.campaignId, { fieldsCampaign: ['status'] }))).response
            .data;
          const status = String(attribute(asArray(document.data)[0], 'status') ?? '').toLowerCase();
          return status === 'draft' ? { campaignId: input.campaignId, status, changed: true } : null;
        },
        perform: async () => {
          // The send job of a scheduled campaign has the campaign's id; `revert` puts it back to draft (`cancel` would end it for good).
          await call('campaign unschedule', (client) =>
            client.campaigns.cancelCampaignSend(input.campaignId, {
              data: { type: 'campaign-send-job', id: input.campaignId, attributes: { action: 'revert' } },
            }),
          );
          return { campaignId: input.campaignId, status: 'draft', changed: true };
        },
      });
      return { ...result, changed: performed && result.changed };
    },
  };
}
