import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRequestText } from '../http-body.js';
import { routeKlaviyoGrowth, type FakeKlaviyoGrowthSeed, type FakeKlaviyoSuppressionJob } from './fake-klaviyo-growth.js';

/** A campaign as the fake holds it (one message per campaign, as Klaviyo's email and SMS campaigns have). */
export interface FakeKlaviyoCampaign {
  id: string;
  name: string;
  channel: 'email' | 'sms';
  /** Klaviyo's capitalised status: Draft, Scheduled, Sending, Sent, Cancelled. */
  status: string;
  /** ISO instant. */
  sendTime: string | null;
  subject: string | null;
  /** Email: the template's HTML; SMS: the message body. */
  body: string;
  included: string[];
  excluded: string[];
  /** A sent campaign's figures, as the campaign values report states them (rates are fractions). */
  stats?: Record<string, number>;
}

/** A flow as the fake holds it: one message, its daily sends, and its rates (fractions). */
export interface FakeKlaviyoFlow {
  id: string;
  name: string;
  /** live, manual, draft. */
  status: string;
  triggerType: string;
  daily: Array<{ day: string; recipients: number; revenue: number }>;
  rates: { open_rate: number; click_rate: number; conversion_rate: number; unsubscribe_rate: number; spam_complaint_rate: number };
}

/** What the fake starts with. */
export interface FakeKlaviyoSeed {
  campaigns?: FakeKlaviyoCampaign[];
  flows?: FakeKlaviyoFlow[];
  /** Metrics by name (the reporting API needs the conversion metric's id). */
  metrics?: Array<{ id: string; name: string }>;
  lists?: Array<{ id: string; name: string }>;
  segments?: Array<{ id: string; name: string }>;
  /** Forms and list growth (fake-klaviyo-growth.ts). */
  growth?: FakeKlaviyoGrowthSeed;
}

/** A fault for the next matching request: an HTTP error (429 with Retry-After, 5xx) instead of the answer. */
export interface FakeKlaviyoFault {
  method: string;
  path: RegExp;
  status: number;
  /** Seconds, sent as Retry-After (Klaviyo's 429s carry it). */
  retryAfter?: number;
  /** Apply the write, then answer with the error: a response lost after the change landed. */
  afterApply?: boolean;
}

/** A local HTTP server speaking the slice of Klaviyo's JSON:API (revision 2026-07-15) the live connector uses. */
export interface FakeKlaviyo {
  /** Point KLAVIYO_API_BASE here. */
  url: string;
  apiKey: string;
  campaigns: Map<string, FakeKlaviyoCampaign>;
  /** Every request received, in order (path with query). */
  requests: Array<{ method: string; path: string; revision: string | undefined; body: unknown }>;
  /** Send-job changes applied, in order. */
  sendJobActions: Array<{ campaignId: string; action: string }>;
  /** Templates created through the API, by id. */
  templates: Map<string, { id: string; name: string; html: string }>;
  /** Profile-suppression bulk jobs accepted, in order. */
  suppressionJobs: FakeKlaviyoSuppressionJob[];
  /** Fail the next request that matches. */
  failNext(fault: FakeKlaviyoFault): void;
  close(): Promise<void>;
}

class JsonApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const JSON_API = 'application/vnd.api+json';

// Klaviyo's filter syntax, the subset used: equals(field,'value') and and(…, …).
function equalsFilters(filter: string | null): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of (filter ?? '').matchAll(/equals\(([\w.]+),'([^']*)'\)/g)) found.set(match[1] ?? '', match[2] ?? '');
  return found;
}

/** Start the fake Klaviyo on a free loopback port. */
export async function startFakeKlaviyo(
  options: { seed?: FakeKlaviyoSeed; apiKey?: string; pageSize?: number; reportingPerMinute?: number } = {},
): Promise<FakeKlaviyo> {
  const apiKey = options.apiKey ?? 'pk_fake_klaviyo_key';
  const pageSize = options.pageSize ?? 100;
  const campaigns = new Map((options.seed?.campaigns ?? []).map((campaign) => [campaign.id, structuredClone(campaign)]));
  const lists = options.seed?.lists ?? [];
  const segments = options.seed?.segments ?? [];
  const flows = options.seed?.flows ?? [];
  const metrics = options.seed?.metrics ?? [{ id: 'RESQ6t', name: 'Placed Order' }];
  // Klaviyo's reporting endpoints: steady 2 per minute each (the burst and daily limits are not modelled).
  const reportingCalls = new Map<string, number[]>();
  const requests: FakeKlaviyo['requests'] = [];
  const sendJobActions: FakeKlaviyo['sendJobActions'] = [];
  const faults: FakeKlaviyoFault[] = [];
  const templates = new Map<string, { id: string; name: string; html: string }>();
  const suppressionJobs: FakeKlaviyoSuppressionJob[] = [];
  let base = '';

  const campaignResource = (campaign: FakeKlaviyoCampaign, fields: string[] | undefined) => {
    const attributes: Record<string, unknown> = {
      name: campaign.name,
      status: campaign.status,
      archived: false,
      audiences: { included: campaign.included, excluded: campaign.excluded },
      send_options: { use_smart_sending: true },
      tracking_options: { add_tracking_params: true, is_tracking_clicks: true, is_tracking_opens: campaign.channel === 'email' },
      send_strategy: { method: 'static', datetime: campaign.sendTime, options: { is_local: false, send_past_recipients_immediately: false } },
      created_at: '2026-11-20T15:00:00+00:00',
      scheduled_at: campaign.status === 'Scheduled' ? '2026-11-28T15:00:00+00:00' : null,
      updated_at: '2026-11-28T15:00:00+00:00',
      send_time: campaign.status === 'Draft' ? null : campaign.sendTime,
    };
    return {
      type: 'campaign',
      id: campaign.id,
      attributes: fields === undefined ? attributes : Object.fromEntries(Object.entries(attributes).filter(([key]) => fields.includes(key))),
      relationships: {
        'campaign-messages': {
          data: [{ type: 'campaign-message', id: `${campaign.id}-m1` }],
          links: {
            self: `${base}/api/campaigns/${campaign.id}/relationships/campaign-messages`,
            related: `${base}/api/campaigns/${campaign.id}/campaign-messages`,
          },
        },
        tags: { data: [] },
      },
      links: { self: `${base}/api/campaigns/${campaign.id}` },
    };
  };
  const messageResource = (campaign: FakeKlaviyoCampaign) => ({
    type: 'campaign-message',
    id: `${campaign.id}-m1`,
    attributes: {
      definition:
        campaign.channel === 'email'
          ? {
              channel: 'email',
              label: campaign.name,
              content: { subject: campaign.subject, preview_text: '', from_email: 'hello@harborandpine.com', from_label: 'Harbor & Pine' },
            }
          : {
              channel: 'sms',
              label: campaign.name,
              content: { body: campaign.body, media_url: null },
              render_options: { shorten_links: true, add_org_prefix: true },
            },
      send_times: campaign.sendTime === null ? [] : [{ datetime: campaign.sendTime, is_local: false }],
      created_at: '2026-11-20T15:00:00+00:00',
      updated_at: '2026-11-28T15:00:00+00:00',
    },
    relationships: {
      campaign: { data: { type: 'campaign', id: campaign.id } },
      ...(campaign.channel === 'email' ? { template: { data: { type: 'template', id: `${campaign.id}-t1` } } } : {}),
    },
    links: { self: `${base}/api/campaign-messages/${campaign.id}-m1` },
  });
  const templateResource = (campaign: FakeKlaviyoCampaign) => ({
    type: 'template',
    id: `${campaign.id}-t1`,
    attributes: {
      name: campaign.name,
      editor_type: 'CODE',
      html: campaign.body,
      text: null,
      created: '2026-11-20T15:00:00+00:00',
      updated: '2026-11-28T15:00:00+00:00',
    },
    links: { self: `${base}/api/templates/${campaign.id}-t1` },
  });
  const paged = <Item>(items: Item[], url: URL) => {
    const start = Number(url.searchParams.get('page[cursor]') ?? 0);
    const size = Math.min(pageSize, Number(url.searchParams.get('page[size]') ?? pageSize));
    const slice = items.slice(start, start + size);
    const nextUrl = new URL(url.toString());
    nextUrl.searchParams.set('page[cursor]', String(start + size));
    return { slice, links: { self: url.toString(), next: start + size < items.length ? nextUrl.toString() : null, prev: null } };
  };
  const fieldsOf = (url: URL, type: string) => url.searchParams.get(`fields[${type}]`)?.split(',');

  const route = async (method: string, url: URL, body: unknown): Promise<{ status: number; document?: unknown }> => {
    const path = url.pathname;
    if (method === 'GET' && path === '/api/campaigns') {
      const filters = equalsFilters(url.searchParams.get('filter'));
      const channel = filters.get('messages.channel');
      if (channel === undefined)
        throw new JsonApiError(
          400,
          'invalid',
          "A channel filter is required to list campaigns. Please provide either: ?filter=equals(messages.channel,'email') …",
        );
      const status = filters.get('status');
      const matching = [...campaigns.values()].filter((campaign) => campaign.channel === channel && (status === undefined || campaign.status === status));
      if (url.searchParams.get('sort') === '-scheduled_at') matching.sort((left, right) => (right.sendTime ?? '').localeCompare(left.sendTime ?? ''));
      const { slice, links } = paged(matching, url);
      const include = url.searchParams.get('include')?.split(',') ?? [];
      return {
        status: 200,
        document: {
          data: slice.map((campaign) => campaignResource(campaign, fieldsOf(url, 'campaign'))),
          ...(include.includes('campaign-messages') ? { included: slice.map(messageResource) } : {}),
          links,
        },
      };
    }
    const one = /^\/api\/campaigns\/([^/]+)(\/campaign-messages)?$/.exec(path);
    if (method === 'GET' && one !== null) {
      const campaign = campaigns.get(decodeURIComponent(one[1] ?? ''));
      if (campaign === undefined) throw new JsonApiError(404, 'not_found', `Campaign ${one[1]} not found`);
      if (one[2] === undefined)
        return { status: 200, document: { data: campaignResource(campaign, fieldsOf(url, 'campaign')), links: { self: url.toString() } } };
      const include = url.searchParams.get('include')?.split(',') ?? [];
      return {
        status: 200,
        document: {
          data: [messageResource(campaign)],
          ...(include.includes('template') && campaign.channel === 'email' ? { included: [templateResource(campaign)] } : {}),
          links: { self: url.toString(), next: null, prev: null },
        },
      };
    }
    const job = /^\/api\/campaign-send-jobs\/([^/]+)$/.exec(path);
    if (method === 'PATCH' && job !== null) {
      const id = decodeURIComponent(job[1] ?? '');
      const data = (body as { data?: { type?: string; id?: string; attributes?: { action?: string } } } | undefined)?.data;
      if (data?.type !== 'campaign-send-job' || data.id !== id)
        throw new JsonApiError(400, 'invalid', 'data.type must be campaign-send-job and data.id the send job id');
      const action = data.attributes?.action;
      if (action !== 'cancel' && action !== 'revert') throw new JsonApiError(400, 'invalid', `'${String(action)}' is not a valid choice for 'action'`);
      const campaign = campaigns.get(id);
      if (campaign === undefined) throw new JsonApiError(404, 'not_found', `Campaign send job ${id} not found`);
      if (campaign.status !== 'Scheduled' && campaign.status !== 'Sending')
        throw new JsonApiError(400, 'invalid', `Campaign ${id} is ${campaign.status}: only a scheduled or sending campaign can be cancelled or reverted`);
      campaign.status = action === 'revert' ? 'Draft' : 'Cancelled';
      sendJobActions.push({ campaignId: id, action });
      return { status: 204 };
    }
    if (method === 'GET' && path === '/api/flows') {
      const { slice, links } = paged(flows, url);
      return {
        status: 200,
        document: {
          data: slice.map((flow) => ({
            type: 'flow',
            id: flow.id,
            attributes: {
              name: flow.name,
              status: flow.status,
              archived: false,
              trigger_type: flow.triggerType,
              created: '2025-03-01T00:00:00+00:00',
              updated: '2026-11-01T00:00:00+00:00',
            },
            links: { self: `${base}/api/flows/${flow.id}` },
          })),
          links,
        },
      };
    }
    if (method === 'GET' && path === '/api/metrics') {
      const { slice, links } = paged(metrics, url);
      return {
        status: 200,
        document: {
          data: slice.map((metric) => ({
            type: 'metric',
            id: metric.id,
            attributes: { name: metric.name },
            links: { self: `${base}/api/metrics/${metric.id}` },
          })),
          links,
        },
      };
    }
    if (method === 'POST' && path === '/api/campaign-values-reports') {
      const now = Date.now();
      const recent = (reportingCalls.get(path) ?? []).filter((time) => now - time < 60_000);
      if (recent.length >= (options.reportingPerMinute ?? 2))
        throw new JsonApiError(429, 'throttled', 'Request was throttled. Expected available in 60 seconds.');
      reportingCalls.set(path, [...recent, now]);
      const data = (body as { data?: { type?: string; attributes?: Record<string, unknown> } } | undefined)?.data;
      if (data?.type !== 'campaign-values-report') throw new JsonApiError(400, 'invalid', 'data.type must be campaign-values-report');
      const request = data.attributes ?? {};
      const statistics = request['statistics'];
      if (!Array.isArray(statistics) || statistics.length === 0) throw new JsonApiError(400, 'invalid', "'statistics' is required");
      if (typeof request['conversion_metric_id'] !== 'string') throw new JsonApiError(400, 'invalid', "'conversion_metric_id' is required");
      const ids = /contains-any\(campaign_id,\[([^\]]*)\]\)/
        .exec(String(request['filter'] ?? ''))?.[1]
        ?.split(',')
        .map((id) => id.trim().replace(/^"|"$/g, ''));
      const results = [...campaigns.values()]
        .filter((campaign) => campaign.stats !== undefined && (ids === undefined || ids.includes(campaign.id)))
        .map((campaign) => ({
          groupings: { campaign_id: campaign.id, campaign_message_id: `${campaign.id}-m1`, send_channel: campaign.channel },
          statistics: Object.fromEntries(statistics.map((name) => [String(name), campaign.stats?.[String(name)] ?? 0])),
        }));
      return {
        status: 200,
        document: {
          data: { type: 'campaign-values-report', id: `fake-report-${requests.length}`, attributes: { results } },
          links: { self: url.toString(), next: null },
        },
      };
    }
    if (method === 'POST' && (path === '/api/flow-series-reports' || path === '/api/flow-values-reports')) {
      const series = path === '/api/flow-series-reports';
      const now = Date.now();
      const recent = (reportingCalls.get(path) ?? []).filter((time) => now - time < 60_000);
      if (recent.length >= (options.reportingPerMinute ?? 2))
        throw new JsonApiError(429, 'throttled', 'Request was throttled. Expected available in 60 seconds.');
      reportingCalls.set(path, [...recent, now]);
      const attributes = (body as { data?: { type?: string; attributes?: Record<string, unknown> } } | undefined)?.data;
      if (attributes?.type !== (series ? 'flow-series-report' : 'flow-values-report'))
        throw new JsonApiError(400, 'invalid', 'data.type does not match the endpoint');
      const request = attributes.attributes ?? {};
      const statistics = request['statistics'];
      if (!Array.isArray(statistics) || statistics.length === 0) throw new JsonApiError(400, 'invalid', "'statistics' is required");
      if (typeof request['conversion_metric_id'] !== 'string' || !metrics.some((metric) => metric.id === request['conversion_metric_id']))
        throw new JsonApiError(400, 'invalid', "'conversion_metric_id' must be a metric id");
      const timeframe = request['timeframe'] as { start?: string; end?: string; key?: string } | undefined;
      if (timeframe?.start === undefined || timeframe.end === undefined)
        throw new JsonApiError(400, 'invalid', 'this fake answers custom timeframes {start, end} only');
      const start = timeframe.start.slice(0, 10);
      const end = timeframe.end.slice(0, 10);
      if (series && request['interval'] !== 'daily') throw new JsonApiError(400, 'invalid', 'this fake answers daily series only');
      if (series && (Date.parse(end) - Date.parse(start)) / 86_400_000 > 60)
        throw new JsonApiError(400, 'invalid', 'If daily is used, the timeframe cannot be longer than 60 days.');
      const days: string[] = [];
      for (let time = Date.parse(start); time < Date.parse(end); time += 86_400_000) days.push(new Date(time).toISOString().slice(0, 10));
      const results = flows.map((flow) => {
        const byDay = new Map(flow.daily.map((entry) => [entry.day, entry]));
        const groupings = { flow_id: flow.id, flow_message_id: `${flow.id}-msg1`, send_channel: 'email' };
        const stat = (name: string, entries: Array<{ recipients: number; revenue: number } | undefined>): number | number[] => {
          const pick = (entry: { recipients: number; revenue: number } | undefined): number =>
            name === 'recipients'
              ? (entry?.recipients ?? 0)
              : name === 'conversion_value'
                ? (entry?.revenue ?? 0)
                : ((flow.rates as Record<string, number>)[name] ?? 0);
          if (series) return entries.map(pick);
          const total = entries.reduce<{ recipients: number; revenue: number }>(
            (sum, entry) => ({ recipients: sum.recipients + (entry?.recipients ?? 0), revenue: sum.revenue + (entry?.revenue ?? 0) }),
            { recipients: 0, revenue: 0 },
          );
          return pick(total);
        };
        const entries = days.map((day) => byDay.get(day));
        return { groupings, statistics: Object.fromEntries(statistics.map((name) => [String(name), stat(String(name), entries)])) };
      });
      return {
        status: 200,
        document: {
          data: {
            type: series ? 'flow-series-report' : 'flow-values-report',
            id: `fake-report-${requests.length}`,
            attributes: { results, ...(series ? { date_times: days.map((day) => `${day}T00:00:00+00:00`) } : {}) },
          },
          links: { self: url.toString(), next: null, prev: null },
        },
      };
    }
    if (method === 'GET' && (path === '/api/lists' || path === '/api/segments')) {
      const type = path === '/api/lists' ? 'list' : 'segment';
      const { slice, links } = paged(type === 'list' ? lists : segments, url);
      return {
        status: 200,
        document: { data: slice.map((item) => ({ type, id: item.id, attributes: { name: item.name }, links: { self: `${base}${path}/${item.id}` } })), links },
      };
    }
    const growth = routeKlaviyoGrowth(
      {
        campaigns,
        metrics,
        seed: options.seed?.growth ?? {},
        templates,
        suppressionJobs,
        throttle: (reportPath) => {
          const now = Date.now();
          const recent = (reportingCalls.get(reportPath) ?? []).filter((time) => now - time < 60_000);
          if (recent.length >= (options.reportingPerMinute ?? 2))
            throw new JsonApiError(429, 'throttled', 'Request was throttled. Expected available in 60 seconds.');
          reportingCalls.set(reportPath, [...recent, now]);
        },
        fail: (status, code, message) => {
          throw new JsonApiError(status, code, message);
        },
        base: () => base,
      },
      method,
      url,
      body,
    );
    if (growth !== undefined) return growth;
    throw new JsonApiError(404, 'not_found', `fake Klaviyo: ${method} ${path} is not implemented`);
  };

  const server = http.createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', base);
      const text = await readRequestText(request);
      const body: unknown = text === '' ? undefined : JSON.parse(text);
      const method = request.method ?? 'GET';
      const revision = typeof request.headers['revision'] === 'string' ? request.headers['revision'] : undefined;
      requests.push({ method, path: `${url.pathname}${url.search}`, revision, body });
      const send = (status: number, document?: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { ...(document === undefined ? {} : { 'content-type': JSON_API }), ...headers });
        response.end(document === undefined ? undefined : JSON.stringify(document));
      };
      const errorDocument = (status: number, code: string, detail: string) => ({
        errors: [{ id: `fake-${requests.length}`, status, code, title: code.replace(/_/g, ' '), detail, source: { pointer: '/data/' } }],
      });
      try {
        if (request.headers.authorization !== `Klaviyo-API-Key ${apiKey}`)
          return send(401, errorDocument(401, 'not_authenticated', 'Missing or invalid private key.'));
        if (revision === undefined) return send(400, errorDocument(400, 'invalid', 'Missing revision header.'));
        const faultIndex = faults.findIndex((fault) => fault.method === method && fault.path.test(url.pathname));
        const fault = faultIndex === -1 ? undefined : faults.splice(faultIndex, 1)[0];
        if (fault !== undefined && fault.afterApply !== true) {
          return send(
            fault.status,
            errorDocument(
              fault.status,
              fault.status === 429 ? 'throttled' : 'error',
              fault.status === 429 ? 'Request was throttled.' : 'A server error occurred.',
            ),
            {
              ...(fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }),
            },
          );
        }
        const answer = await route(method, url, body);
        if (fault !== undefined) return send(fault.status, errorDocument(fault.status, 'error', 'A server error occurred.'));
        return send(answer.status, answer.document);
      } catch (error) {
        if (error instanceof JsonApiError) return send(error.status, errorDocument(error.status, error.code, error.message));
        return send(500, errorDocument(500, 'error', error instanceof Error ? error.message : String(error)));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    apiKey,
    campaigns,
    requests,
    sendJobActions,
    templates,
    suppressionJobs,
    failNext: (fault) => faults.push(fault),
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error)))),
  };
}
