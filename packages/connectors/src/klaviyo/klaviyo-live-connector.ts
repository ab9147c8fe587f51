import type { Db } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { createSideEffectLedger } from '../ledger/side-effect-ledger.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import type { KlaviyoAudience, KlaviyoCampaignMessage, KlaviyoConnector, UnscheduleCampaignResult } from './klaviyo-connector.js';

/** What the Klaviyo connector needs. */
export interface KlaviyoOptions {
  /** A private API key (pk_…): campaigns:read/write, lists:read, segments:read, templates:read. */
  apiKey: string;
  /** Base URL of the API (KLAVIYO_API_BASE); default https://a.klaviyo.com. */
  apiBase?: string;
  db: Db;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

/** A JSON:API resource object as Klaviyo sends it. */
interface Resource {
  type: string;
  id: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, { data?: { type: string; id: string } | Array<{ type: string; id: string }> | null }>;
}

/** A JSON:API document: primary data, included resources, pagination links. */
interface Document {
  data?: Resource | Resource[];
  included?: Resource[];
  links?: { next?: string | null };
}

/** The slice of klaviyo-api used here, typed by what we send; responses are read as raw JSON:API documents. */
interface KlaviyoSdk {
  campaigns: {
    getCampaigns(filter: string, options: Record<string, unknown>): Promise<{ response: { data: Document } }>;
    getMessagesForCampaign(id: string, options: Record<string, unknown>): Promise<{ response: { data: Document } }>;
    cancelCampaignSend(id: string, query: { data: { type: 'campaign-send-job'; id: string; attributes: { action: 'cancel' | 'revert' } } }): Promise<unknown>;
    getCampaign(id: string, options?: Record<string, unknown>): Promise<{ response: { data: Document } }>;
  };
  lists: { getLists(options: Record<string, unknown>): Promise<{ response: { data: Document } }> };
  segments: { getSegments(options: Record<string, unknown>): Promise<{ response: { data: Document } }> };
}

/** klaviyo-api's clients, imported on demand, each pointed at the configured base URL (per client, not global). */
async function loadKlaviyo(options: Pick<KlaviyoOptions, 'apiKey' | 'apiBase'>): Promise<KlaviyoSdk> {
  const module = (await import('klaviyo-api')) as unknown as Record<string, new (...args: never[]) => { basePath: string }>;
  const sdk = ((module as { default?: unknown }).default ?? module) as typeof module;
  const { ApiKeySession, CampaignsApi, ListsApi, SegmentsApi } = sdk as unknown as {
    ApiKeySession: new (key: string) => unknown;
    CampaignsApi: new (session: unknown) => { basePath: string };
    ListsApi: new (session: unknown) => { basePath: string };
    SegmentsApi: new (session: unknown) => { basePath: string };
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
  };
}

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

  return {
    source: 'klaviyo',
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
