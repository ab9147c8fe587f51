import { ConnectorError } from '../connector-error.js';
import type { SideEffectLedger } from '../ledger/side-effect-ledger.js';
import type { FlowReportWindow } from './klaviyo-connector.js';
import type {
  CreateCampaignDraftResult,
  KlaviyoCampaignSummary,
  KlaviyoGrowthConnector,
  KlaviyoSegmentProfile,
  SuppressSegmentResult,
} from './klaviyo-growth-connector.js';
import type { Document, KlaviyoSdk, ReportDocument, Resource } from './klaviyo-live-connector.js';

type Answer<Body> = Promise<{ response: { data: Body } }>;

/** The klaviyo-api calls the growth and drafting methods make, typed by what we send. */
export interface KlaviyoGrowthSdk {
  forms: { getForms(options: Record<string, unknown>): Answer<Document> };
  templates: { createTemplate(query: { data: { type: 'template'; attributes: Record<string, unknown> } }): Answer<Document> };
  reporting: {
    queryFormSeries(query: { data: { type: 'form-series-report'; attributes: Record<string, unknown> } }): Answer<ReportDocument>;
  };
  metrics: {
    queryMetricAggregates(query: { data: { type: 'metric-aggregate'; attributes: Record<string, unknown> } }): Answer<MetricAggregateDocument>;
  };
  segments: { getProfilesForSegment(id: string, options: Record<string, unknown>): Answer<Document> };
  profiles: {
    bulkSuppressProfiles(query: {
      data: { type: 'profile-suppression-bulk-create-job'; attributes: Record<string, unknown>; relationships?: Record<string, unknown> };
    }): Answer<Document>;
  };
  campaigns: {
    createCampaign(query: { data: { type: 'campaign'; attributes: Record<string, unknown> } }): Answer<Document>;
    assignTemplateToCampaignMessage(query: {
      data: { type: 'campaign-message'; id: string; relationships: { template: { data: { type: 'template'; id: string } } } };
    }): Answer<Document>;
  };
}

/** A metric aggregates answer: the buckets' dates and one measurement series per dimension set. */
interface MetricAggregateDocument {
  data?: { attributes?: { dates?: string[]; data?: Array<{ dimensions?: string[]; measurements?: Record<string, number[]> }> } };
}

/** What the growth methods borrow from the live connector: its bounded call, paging and side-effect ledger. */
export interface KlaviyoGrowthDependencies {
  call<Result>(operation: string, request: (client: KlaviyoSdk) => Promise<Result>): Promise<Result>;
  everyPage(operation: string, request: (client: KlaviyoSdk, cursor: string | undefined) => Answer<Document>): Promise<Resource[]>;
  ledger: SideEffectLedger;
}

const DAY_MS = 86_400_000;
const attribute = (resource: Resource | undefined, name: string): unknown => resource?.attributes?.[name];
const asArray = (data: Document['data']): Resource[] => (data === undefined ? [] : Array.isArray(data) ? data : [data]);

function windowOf(window: FlowReportWindow): { start: Date; end: Date; days: string[] } {
  const end = new Date(`${window.end.toISOString().slice(0, 10)}T00:00:00Z`);
  const start = new Date(end.getTime() - window.days * DAY_MS);
  return { start, end, days: Array.from({ length: window.days }, (_, index) => new Date(start.getTime() + index * DAY_MS).toISOString().slice(0, 10)) };
}

// Klaviyo's list-growth metrics, by the names its integrations give them.
const SUBSCRIBED = 'Subscribed to List';
const UNSUBSCRIBED = ['Unsubscribed from List', 'Unsubscribed'];

/**
 * Forms, list growth and drafts on klaviyo-api: one form series report (the reporting endpoints
 * allow 2 calls a minute, 225 a day), one metric aggregates call per growth metric, and a draft
 * made of a campaign, a CODE template and the assignment between them, once per key.
 */
export function createLiveKlaviyoGrowth(dependencies: KlaviyoGrowthDependencies): KlaviyoGrowthConnector {
  const { call, everyPage, ledger } = dependencies;

  const listCampaigns = async (): Promise<KlaviyoCampaignSummary[]> => {
    const campaigns: KlaviyoCampaignSummary[] = [];
    for (const channel of ['email', 'sms'] as const) {
      const resources = await everyPage(`${channel} campaigns (all)`, (client, cursor) =>
        client.campaigns.getCampaigns(`equals(messages.channel,'${channel}')`, {
          fieldsCampaign: ['name', 'status', 'send_time'],
          ...(cursor === undefined ? {} : { pageCursor: cursor }),
        }),
      );
      for (const campaign of resources) {
        const sendTime = attribute(campaign, 'send_time');
        campaigns.push({
          id: campaign.id,
          name: String(attribute(campaign, 'name') ?? campaign.id),
          channel,
          status: String(attribute(campaign, 'status') ?? '').toLowerCase(),
          sendAt: sendTime === undefined || sendTime === null ? null : new Date(String(sendTime)).toISOString(),
        });
      }
    }
    return campaigns;
  };

  // A segment's members with the profile properties list hygiene reads (set by the store integration or our own flows).
  const segmentMembers = async (segmentId: string): Promise<KlaviyoSegmentProfile[]> => {
    const members = await everyPage('segment profiles', (client, cursor) =>
      client.segments.getProfilesForSegment(segmentId, {
        fieldsProfile: ['email', 'properties'],
        pageSize: 100,
        ...(cursor === undefined ? {} : { pageCursor: cursor }),
      }),
    );
    const date = (value: unknown) => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null);
    return members.map((member) => {
      const properties = (attribute(member, 'properties') ?? {}) as Record<string, unknown>;
      const email = attribute(member, 'email');
      return {
        id: member.id,
        email: typeof email === 'string' ? email : null,
        lastEngagedAt: date(properties['last_engaged_at']),
        lastOrderAt: date(properties['last_order_at']),
        sunsetFlowAt: date(properties['sunset_flow_at']),
      };
    });
  };

  return {
    async formReports(window) {
      const { start, end, days } = windowOf(window);
      const forms = await everyPage('forms list', (client, cursor) =>
        client.forms.getForms({ fieldsForm: ['name', 'status'], ...(cursor === undefined ? {} : { pageCursor: cursor }) }),
      );
      const series = (
        await call('form series report', (client) =>
          client.reporting.queryFormSeries({
            data: {
              type: 'form-series-report',
              attributes: {
                statistics: ['viewed_form', 'submits'],
                timeframe: { start: start.toISOString(), end: end.toISOString() },
                interval: 'daily',
                groupBy: ['form_id'],
              },
            },
          }),
        )
      ).response.data;
      const seriesDays = (series.data?.attributes?.date_times ?? []).map((time) => new Date(time).toISOString().slice(0, 10));
      const byForm = new Map<string, Map<string, { views: number; submits: number }>>();
      for (const result of series.data?.attributes?.results ?? []) {
        const formId = result.groupings?.['form_id'];
        if (formId === undefined) continue;
        const entries = byForm.get(formId) ?? new Map<string, { views: number; submits: number }>();
        const views = result.statistics?.['viewed_form'];
        const submits = result.statistics?.['submits'];
        seriesDays.forEach((day, index) => {
          const entry = entries.get(day) ?? { views: 0, submits: 0 };
          entry.views += Array.isArray(views) ? (views[index] ?? 0) : 0;
          entry.submits += Array.isArray(submits) ? (submits[index] ?? 0) : 0;
          entries.set(day, entry);
        });
        byForm.set(formId, entries);
      }
      return forms.map((form) => ({
        id: form.id,
        name: String(attribute(form, 'name') ?? form.id),
        status: String(attribute(form, 'status') ?? 'draft').toLowerCase(),
        days: days.map((day) => ({ day, views: byForm.get(form.id)?.get(day)?.views ?? 0, submits: byForm.get(form.id)?.get(day)?.submits ?? 0 })),
      }));
    },
    async subscriberGrowth(window) {
      const { start, end, days } = windowOf(window);
      const metrics = await everyPage('metrics list', (client, cursor) =>
        client.metrics.getMetrics({ fieldsMetric: ['name'], ...(cursor === undefined ? {} : { pageCursor: cursor }) }),
      );
      const idOf = (names: string[]) => metrics.find((metric) => names.includes(String(attribute(metric, 'name'))))?.id;
      const subscribedId = idOf([SUBSCRIBED]);
      const unsubscribedId = idOf(UNSUBSCRIBED);
      if (subscribedId === undefined || unsubscribedId === undefined)
        throw new ConnectorError(
          'klaviyo_no_growth_metric',
          `Klaviyo has no "${SUBSCRIBED}" or "${UNSUBSCRIBED.join('"/"')}" metric: list growth cannot be read`,
          {
            facts: { operation: 'metrics list' },
          },
        );
      const daily = async (metricId: string, operation: string): Promise<Map<string, number>> => {
        const answer = (
          await call(operation, (client) =>
            client.metrics.queryMetricAggregates({
              data: {
                type: 'metric-aggregate',
                attributes: {
                  metricId,
                  measurements: ['count'],
                  interval: 'day',
                  timezone: 'UTC',
                  filter: [`greater-or-equal(datetime,${start.toISOString()})`, `less-than(datetime,${end.toISOString()})`],
                },
              },
            }),
          )
        ).response.data;
        const dates = (answer.data?.attributes?.dates ?? []).map((date) => new Date(date).toISOString().slice(0, 10));
        const counts = new Map<string, number>();
        for (const bucket of answer.data?.attributes?.data ?? [])
          dates.forEach((day, index) => counts.set(day, (counts.get(day) ?? 0) + (bucket.measurements?.['count']?.[index] ?? 0)));
        return counts;
      };
      const subscribed = await daily(subscribedId, 'subscribed aggregates');
      const unsubscribed = await daily(unsubscribedId, 'unsubscribed aggregates');
      return days.map((day) => ({ day, subscribed: subscribed.get(day) ?? 0, unsubscribed: unsubscribed.get(day) ?? 0 }));
    },
    listCampaigns,
    segmentProfiles: (segmentId) => segmentMembers(segmentId),
    async suppressSegment(input) {
      const { result, performed } = await ledger.run<SuppressSegmentResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'klaviyo',
        action: 'profiles.suppress_segment',
        request: { segmentId: input.segmentId, excluded: input.excludeProfileIds.length },
        // Suppressing a profile twice is harmless: an uncertain attempt is simply made again.
        lookup: async () => null,
        perform: async () => {
          if (input.excludeProfileIds.length === 0) {
            // Nobody to keep: one job for the whole segment.
            await call('suppress segment', (client) =>
              client.profiles.bulkSuppressProfiles({
                data: {
                  type: 'profile-suppression-bulk-create-job',
                  attributes: { profiles: { data: [] } },
                  relationships: { segment: { data: { type: 'segment', id: input.segmentId } } },
                },
              }),
            );
            return { segmentId: input.segmentId, suppressed: (await segmentMembers(input.segmentId)).length, jobs: 1, changed: true };
          }
          // Members to keep: suppress the others by email, 100 to a job (the endpoint's limit).
          const keep = new Set(input.excludeProfileIds);
          const emails = (await segmentMembers(input.segmentId))
            .filter((member) => !keep.has(member.id) && member.email !== null)
            .map((member) => member.email ?? '');
          let jobs = 0;
          for (let start = 0; start < emails.length; start += 100) {
            const chunk = emails.slice(start, start + 100);
            await call('suppress profiles', (client) =>
              client.profiles.bulkSuppressProfiles({
                data: {
                  type: 'profile-suppression-bulk-create-job',
                  attributes: { profiles: { data: chunk.map((email) => ({ type: 'profile', attributes: { email } })) } },
                },
              }),
            );
            jobs += 1;
          }
          return { segmentId: input.segmentId, suppressed: emails.length, jobs, changed: true };
        },
      });
      return { ...result, changed: performed && result.changed };
    },
    async createCampaignDraft(input) {
      const { result, performed } = await ledger.run<CreateCampaignDraftResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'klaviyo',
        action: 'campaign.create_draft',
        request: { name: input.name, calendarEntryId: input.calendarEntryId },
        // After an uncertain attempt: a campaign of this name is the draft that attempt made.
        lookup: async () => {
          const found = (await listCampaigns()).find((campaign) => campaign.name === input.name);
          return found === undefined ? null : { campaignId: found.id, status: found.status, created: true };
        },
        perform: async () => {
          const campaign = (
            await call('campaign create', (client) =>
              client.campaigns.createCampaign({
                data: {
                  type: 'campaign',
                  attributes: {
                    name: input.name,
                    audiences: {
                      included: input.includedAudiences.map((audience) => audience.id),
                      excluded: input.excludedAudiences.map((audience) => audience.id),
                    },
                    ...(input.sendAt === null ? {} : { sendStrategy: { method: 'static', datetime: input.sendAt } }),
                    campaignMessages: {
                      data: [
                        {
                          type: 'campaign-message',
                          attributes: {
                            definition: { channel: 'email', label: input.name, content: { subject: input.subject, previewText: input.previewText } },
                          },
                        },
                      ],
                    },
                  },
                },
              }),
            )
          ).response.data;
          const created = asArray(campaign.data)[0];
          const related = created?.relationships?.['campaign-messages']?.data;
          const messageId = (Array.isArray(related) ? related[0] : (related ?? undefined))?.id;
          if (created === undefined || messageId === undefined)
            throw new ConnectorError('klaviyo_unexpected_answer', 'Klaviyo created the campaign but named no campaign message to put the template on', {
              facts: { operation: 'campaign create' },
            });
          const template = asArray(
            (
              await call('template create', (client) =>
                client.templates.createTemplate({ data: { type: 'template', attributes: { name: input.name, editorType: 'CODE', html: input.html } } }),
              )
            ).response.data.data,
          )[0];
          if (template === undefined)
            throw new ConnectorError('klaviyo_unexpected_answer', 'Klaviyo answered the template create without a template', {
              facts: { operation: 'template create' },
            });
          await call('template assign', (client) =>
            client.campaigns.assignTemplateToCampaignMessage({
              data: { type: 'campaign-message', id: messageId, relationships: { template: { data: { type: 'template', id: template.id } } } },
            }),
          );
          return { campaignId: created.id, status: String(attribute(created, 'status') ?? 'Draft').toLowerCase(), created: true };
        },
      });
      return { ...result, created: performed && result.created };
    },
  };
}
