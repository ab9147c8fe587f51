import type { FakeKlaviyoCampaign } from './fake-klaviyo-server.js';

/** A sign-up form as the fake holds it, with its daily views and submits. */
export interface FakeKlaviyoForm {
  id: string;
  name: string;
  /** live, draft. */
  status: string;
  daily: Array<{ day: string; views: number; submits: number }>;
}

/** The growth and drafting slice's seed: forms, daily list growth by metric name. */
export interface FakeKlaviyoGrowthSeed {
  forms?: FakeKlaviyoForm[];
  /** Events per UTC day of each growth metric ("Subscribed to List", "Unsubscribed from List"). */
  metricDaily?: Record<string, Array<{ day: string; count: number }>>;
  /** Segment members by segment id, with their profile properties. */
  segmentMembers?: Record<string, Array<{ id: string; email: string; properties?: Record<string, unknown> }>>;
}

/** A profile-suppression bulk job the fake accepted: by segment or by email list. */
export interface FakeKlaviyoSuppressionJob {
  segmentId: string | null;
  emails: string[];
}

/** What the growth routes share with the rest of the fake. */
export interface FakeKlaviyoGrowthState {
  campaigns: Map<string, FakeKlaviyoCampaign>;
  metrics: Array<{ id: string; name: string }>;
  seed: FakeKlaviyoGrowthSeed;
  /** Templates created through the API, by id. */
  templates: Map<string, { id: string; name: string; html: string }>;
  suppressionJobs: FakeKlaviyoSuppressionJob[];
  /** Throws a 429 when a reporting endpoint is over its steady rate. */
  throttle(path: string): void;
  fail(status: number, code: string, message: string): never;
  base(): string;
}

type Body = { data?: { type?: string; id?: string; attributes?: Record<string, unknown>; relationships?: Record<string, unknown> } } | undefined;

function daysBetween(start: string, end: string): string[] {
  const days: string[] = [];
  for (let time = Date.parse(start.slice(0, 10)); time < Date.parse(end.slice(0, 10)); time += 86_400_000) days.push(new Date(time).toISOString().slice(0, 10));
  return days;
}

/**
 * Klaviyo's forms, form series report, metric aggregates, campaign create, template create and
 * template assignment (revision 2026-07-15 shapes); undefined for any other path.
 */
export function routeKlaviyoGrowth(state: FakeKlaviyoGrowthState, method: string, url: URL, body: unknown): { status: number; document?: unknown } | undefined {
  const path = url.pathname;
  const data = (body as Body)?.data;
  if (method === 'GET' && path === '/api/forms') {
    return {
      status: 200,
      document: {
        data: (state.seed.forms ?? []).map((form) => ({
          type: 'form',
          id: form.id,
          attributes: {
            name: form.name,
            status: form.status,
            ab_test: false,
            created_at: '2026-01-10T00:00:00+00:00',
            updated_at: '2026-11-01T00:00:00+00:00',
          },
          links: { self: `${state.base()}/api/forms/${form.id}` },
        })),
        links: { self: url.toString(), next: null, prev: null },
      },
    };
  }
  if (method === 'POST' && path === '/api/form-series-reports') {
    state.throttle(path);
    if (data?.type !== 'form-series-report') state.fail(400, 'invalid', 'data.type must be form-series-report');
    const request = data.attributes ?? {};
    const statistics = request['statistics'];
    if (!Array.isArray(statistics) || statistics.length === 0) state.fail(400, 'invalid', "'statistics' is required");
    const timeframe = request['timeframe'] as { start?: string; end?: string } | undefined;
    if (timeframe?.start === undefined || timeframe.end === undefined) state.fail(400, 'invalid', 'this fake answers custom timeframes {start, end} only');
    if (request['interval'] !== 'daily') state.fail(400, 'invalid', 'this fake answers daily series only');
    const days = daysBetween(timeframe.start, timeframe.end);
    const results = (state.seed.forms ?? []).map((form) => {
      const byDay = new Map(form.daily.map((entry) => [entry.day, entry]));
      const stat = (name: string) =>
        days.map((day) => {
          const entry = byDay.get(day);
          if (name === 'viewed_form') return entry?.views ?? 0;
          if (name === 'submits') return entry?.submits ?? 0;
          if (name === 'submit_rate') return entry === undefined || entry.views === 0 ? 0 : entry.submits / entry.views;
          return 0;
        });
      return { groupings: { form_id: form.id }, statistics: Object.fromEntries(statistics.map((name) => [String(name), stat(String(name))])) };
    });
    return {
      status: 200,
      document: {
        data: { type: 'form-series-report', id: 'fake-form-series', attributes: { results, date_times: days.map((day) => `${day}T00:00:00+00:00`) } },
        links: { self: url.toString(), next: null, prev: null },
      },
    };
  }
  if (method === 'POST' && path === '/api/metric-aggregates') {
    if (data?.type !== 'metric-aggregate') state.fail(400, 'invalid', 'data.type must be metric-aggregate');
    const request = data.attributes ?? {};
    const metric = state.metrics.find((candidate) => candidate.id === request['metric_id']);
    if (metric === undefined) state.fail(400, 'invalid', "'metric_id' must be a metric id");
    const filters = Array.isArray(request['filter']) ? (request['filter'] as unknown[]).map(String) : [];
    const start = /greater-or-equal\(datetime,([^)]+)\)/.exec(filters.join(' '))?.[1];
    const end = /less-than\(datetime,([^)]+)\)/.exec(filters.join(' '))?.[1];
    if (start === undefined || end === undefined) state.fail(400, 'invalid', "'filter' must bound datetime with greater-or-equal and less-than");
    if (request['interval'] !== 'day') state.fail(400, 'invalid', 'this fake answers interval day only');
    const days = daysBetween(start, end);
    const counts = new Map((state.seed.metricDaily?.[metric.name] ?? []).map((entry) => [entry.day, entry.count]));
    return {
      status: 200,
      document: {
        data: {
          type: 'metric-aggregate',
          id: `fake-aggregate-${metric.id}`,
          attributes: {
            dates: days.map((day) => `${day}T00:00:00+00:00`),
            data: [{ dimensions: [], measurements: { count: days.map((day) => counts.get(day) ?? 0) } }],
          },
        },
        links: { self: url.toString() },
      },
    };
  }
  const members = /^\/api\/segments\/([^/]+)\/profiles$/.exec(path);
  if (method === 'GET' && members !== null) {
    const all = state.seed.segmentMembers?.[decodeURIComponent(members[1] ?? '')];
    if (all === undefined) state.fail(404, 'not_found', `Segment ${members[1]} not found`);
    const size = Math.min(100, Number(url.searchParams.get('page[size]') ?? 20));
    const start = Number(url.searchParams.get('page[cursor]') ?? 0);
    const next = new URL(url.toString());
    next.searchParams.set('page[cursor]', String(start + size));
    return {
      status: 200,
      document: {
        data: all
          .slice(start, start + size)
          .map((member) => ({ type: 'profile', id: member.id, attributes: { email: member.email, properties: member.properties ?? {} } })),
        links: { self: url.toString(), next: start + size < all.length ? next.toString() : null, prev: null },
      },
    };
  }
  if (method === 'POST' && path === '/api/profile-suppression-bulk-create-jobs') {
    if (data?.type !== 'profile-suppression-bulk-create-job') state.fail(400, 'invalid', 'data.type must be profile-suppression-bulk-create-job');
    const profiles = ((data.attributes?.['profiles'] ?? {}) as { data?: Array<{ attributes?: { email?: string } }> }).data ?? [];
    const segment = (data.relationships?.['segment'] as { data?: { id?: string } } | undefined)?.data?.id ?? null;
    if (profiles.length > 100) state.fail(400, 'invalid', 'A maximum of 100 profiles can be suppressed per job.');
    if (profiles.length === 0 && segment === null) state.fail(400, 'invalid', 'Provide profiles or a list or segment relationship.');
    state.suppressionJobs.push({ segmentId: segment, emails: profiles.map((profile) => profile.attributes?.email ?? '') });
    return {
      status: 202,
      document: {
        data: { type: 'profile-suppression-bulk-create-job', id: `fake-suppression-${state.suppressionJobs.length}`, attributes: { status: 'queued' } },
      },
    };
  }
  if (method === 'POST' && path === '/api/campaigns') {
    if (data?.type !== 'campaign') state.fail(400, 'invalid', 'data.type must be campaign');
    const attributes = data.attributes ?? {};
    const audiences = (attributes['audiences'] ?? {}) as { included?: string[]; excluded?: string[] };
    const messages = ((attributes['campaign-messages'] ?? {}) as { data?: Array<{ attributes?: { definition?: Record<string, unknown> } }> }).data ?? [];
    const definition = messages[0]?.attributes?.definition;
    if (typeof attributes['name'] !== 'string' || !Array.isArray(audiences.included) || audiences.included.length === 0)
      state.fail(400, 'invalid', "'name' and 'audiences.included' are required");
    if (definition?.['channel'] !== 'email' && definition?.['channel'] !== 'sms')
      state.fail(400, 'invalid', "'campaign-messages' needs one message with a channel");
    const id = `01JNEW${String(state.campaigns.size + 1).padStart(4, '0')}`;
    const strategy = attributes['send_strategy'] as { datetime?: string } | undefined;
    const content = (definition['content'] ?? {}) as { subject?: string };
    const campaign: FakeKlaviyoCampaign = {
      id,
      name: attributes['name'],
      channel: definition['channel'],
      status: 'Draft',
      sendTime: strategy?.datetime ?? null,
      subject: content.subject ?? null,
      body: '',
      included: audiences.included,
      excluded: audiences.excluded ?? [],
    };
    state.campaigns.set(id, campaign);
    return {
      status: 201,
      document: {
        data: {
          type: 'campaign',
          id,
          attributes: { name: campaign.name, status: 'Draft', audiences: { included: campaign.included, excluded: campaign.excluded } },
          relationships: { 'campaign-messages': { data: [{ type: 'campaign-message', id: `${id}-m1` }] } },
          links: { self: `${state.base()}/api/campaigns/${id}` },
        },
      },
    };
  }
  if (method === 'POST' && path === '/api/templates') {
    if (data?.type !== 'template') state.fail(400, 'invalid', 'data.type must be template');
    const attributes = data.attributes ?? {};
    if (typeof attributes['name'] !== 'string' || attributes['editor_type'] !== 'CODE' || typeof attributes['html'] !== 'string')
      state.fail(400, 'invalid', "'name', 'editor_type' CODE and 'html' are required");
    const id = `TPL${state.templates.size + 1}`;
    state.templates.set(id, { id, name: attributes['name'], html: attributes['html'] });
    return {
      status: 201,
      document: { data: { type: 'template', id, attributes: { name: attributes['name'], editor_type: 'CODE', html: attributes['html'] } } },
    };
  }
  if (method === 'POST' && path === '/api/campaign-message-assign-template') {
    const template = (data?.relationships?.['template'] as { data?: { id?: string } } | undefined)?.data?.id;
    if (data?.type !== 'campaign-message' || data.id === undefined || template === undefined)
      state.fail(400, 'invalid', 'a campaign-message id and a template relationship are required');
    const campaign = state.campaigns.get(data.id.replace(/-m1$/, ''));
    const stored = state.templates.get(template);
    if (campaign === undefined || stored === undefined) state.fail(404, 'not_found', 'campaign message or template not found');
    campaign.body = stored.html;
    return {
      status: 200,
      document: { data: { type: 'campaign-message', id: data.id, relationships: { template: { data: { type: 'template', id: template } } } } },
    };
  }
  return undefined;
}
