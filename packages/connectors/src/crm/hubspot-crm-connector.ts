import http from 'node:http';
import https from 'node:https';
import type { Client } from '@hubspot/api-client';
import { probeFailure, type Db, type Logger, type ServiceProbe } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { createSideEffectLedger } from '../ledger/side-effect-ledger.js';
import { hubspotCompanyMethods } from './hubspot-crm-companies.js';
import { hubspotPipelineMethods } from './hubspot-crm-pipeline.js';
import { hubspotSearchMethods } from './hubspot-crm-search.js';
import { hubspotTurnoverMethods } from './hubspot-crm-turnover.js';
import { callVendor, DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-call.js';
import { createHubSpotCrmActivity } from './hubspot-crm-activity.js';
import {
  CLOSED_STAGES,
  type CreateTaskResult,
  type CrmMeeting,
  type LogMeetingResult,
  type CrmConnector,
  type Deal,
  type DealOwner,
  type SendEmailResult,
  type UpdateDealResult,
} from './crm-connector.js';

/** Deal properties the fleet reads. `notes_last_updated` is HubSpot's "Last Activity Date". */
export const HUBSPOT_DEAL_PROPERTIES = [
  'dealname',
  'dealstage',
  'amount',
  'hubspot_owner_id',
  'createdate',
  'closedate',
  'hs_is_closed',
  'hs_is_closed_won',
  'notes_last_updated',
  'hs_next_step',
  'closed_lost_reason',
  'jbot_status',
  // Sample requests (salesbot/sample-requests): custom deal properties.
  'sample_status',
  'sample_requested_at',
  'sample_delivered_at',
];

/**
 * Email and task property holding our idempotency key, so a retry after an uncertain create can
 * find the object at HubSpot. Create it once in the portal for each object (Settings → Properties
 * → Email / Task, single-line text).
 */
export const HUBSPOT_IDEMPOTENCY_PROPERTY = 'jbot_idempotency_key';

// HubSpot-defined association type ids (v4 association labels).
const EMAIL_TO_DEAL = 210;
const EMAIL_TO_CONTACT = 198;
const TASK_TO_DEAL = 216;
const MEETING_TO_CONTACT = 200;
const MEETING_TO_DEAL = 212;

/** Options for the live HubSpot CRM. */
export interface HubSpotCrmOptions {
  accessToken: string;
  /** https://api.hubapi.com unless overridden (HUBSPOT_API_BASE): proxies and tests. */
  basePath: string;
  db: Db;
  log?: Logger;
  /** How long an attempt holds its idempotency key before a retry may recover it. */
  leaseSeconds?: number;
  /** Each HTTP call's timeout (CONNECTOR_TIMEOUT_MS); default 30 s. */
  timeoutMs?: number;
  /** The run's abort signal (ctx.abortSignal): aborting it ends the calls in flight. */
  abortSignal?: AbortSignal;
}

function hubspotError(operation: string, error: unknown, facts: Record<string, unknown> = {}): ConnectorError {
  if (error instanceof ConnectorError) return error; // a timeout or abort already says what happened
  const status = (error as { code?: unknown }).code;
  return new ConnectorError(
    'hubspot_request_failed',
    `HubSpot ${operation} failed${typeof status === 'number' ? ` with HTTP ${status}` : ''}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    {
      facts: { operation, ...(typeof status === 'number' ? { status } : {}), ...facts },
      cause: error,
    },
  );
}

// An empty or whitespace-only property counts as unset, as HubSpot's UI shows it.
function blank(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}

function dealFromObject(object: { id: string; properties: Record<string, string | null> }, owners: Map<string, DealOwner>): Deal {
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(object.properties)) if (value !== null && value !== undefined) properties[key] = value;
  const stage = properties['dealstage'] ?? '';
  const owner = properties['hubspot_owner_id'] === undefined ? undefined : owners.get(properties['hubspot_owner_id']);
  const isClosedWon = properties['hs_is_closed_won'] === 'true' || stage === 'closedwon';
  const isClosed = properties['hs_is_closed'] === 'true' || CLOSED_STAGES.has(stage);
  const amount = properties['amount'] === undefined || properties['amount'] === '' ? null : Number(properties['amount']);
  return {
    id: object.id,
    name: properties['dealname'] ?? `Deal ${object.id}`,
    stage,
    amount: amount !== null && Number.isFinite(amount) ? amount : null,
    ownerId: properties['hubspot_owner_id'] ?? null,
    ownerName: owner === undefined ? null : `${owner.firstName} ${owner.lastName}`.trim(),
    accountName: null,
    contactEmail: null,
    contactName: null,
    createdAt: properties['createdate'] ?? '',
    closedAt: isClosed ? (properties['closedate'] ?? null) : null,
    isClosed,
    isClosedWon,
    lastActivityAt: properties['notes_last_updated'] ?? null,
    // HubSpot stores a close date as midnight UTC of the day picked: the day is its first 10 characters.
    closeDate: properties['closedate'] === undefined || properties['closedate'] === '' ? null : properties['closedate'].slice(0, 10),
    nextStep: blank(properties['hs_next_step']),
    closedLostReason: blank(properties['closed_lost_reason']),
    properties,
  };
}

/** The @hubspot/api-client client, imported on demand; its own retries are off (see below). */
async function loadHubSpotClient(options: Pick<HubSpotCrmOptions, 'accessToken' | 'basePath'>, agent?: http.Agent): Promise<Client> {
  const { Client: HubSpotClient } = await import('@hubspot/api-client');
  return new HubSpotClient({
    accessToken: options.accessToken,
    basePath: options.basePath,
    numberOfApiCallRetries: 0,
    ...(agent === undefined ? {} : { httpAgent: agent }),
  });
}

/**
 * Per-call options for every SDK method. @hubspot/api-client 13 applies the configured
 * middleware (its httpAgent, its User-Agent header) only when a call passes `_options.middleware`;
 * appending none makes it use them. Typed `never`: each API group declares its own options type.
 */
const SDK_CALL_OPTIONS = { middleware: [], middlewareMergeStrategy: 'append' } as never;

/**
 * One HubSpot call under its timeout and the run's abort signal. The SDK's node-fetch takes no
 * AbortSignal, so each call gets its own client (cheap: the SDK builds its APIs lazily) on its own
 * agent, and aborting destroys that agent's sockets: the request really ends, nothing lingers.
 */
async function hubspotCall<Result>(
  options: HubSpotCrmOptions,
  operation: string,
  facts: Record<string, unknown>,
  call: (client: Client, sdkOptions: never) => Promise<Result>,
): Promise<Result> {
  try {
    return await callVendor(
      'HubSpot',
      operation,
      { timeoutMs: options.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) },
      async (signal) => {
        const agent = options.basePath.startsWith('https:') ? new https.Agent() : new http.Agent();
        // An abort can land before the SDK opens its connection (while it loads): a connection
        // opened after the abort is closed at once, so no request outlives its call.
        const connect = agent.createConnection.bind(agent) as (...args: unknown[]) => import('node:net').Socket;
        (agent as unknown as { createConnection: (...args: unknown[]) => import('node:net').Socket }).createConnection = (...args) => {
          const socket = connect(...args);
          if (signal.aborted) socket.destroy();
          return socket;
        };
        const destroy = () => agent.destroy();
        signal.addEventListener('abort', destroy, { once: true });
        try {
          return await call(await loadHubSpotClient(options, agent), SDK_CALL_OPTIONS);
        } finally {
          signal.removeEventListener('abort', destroy);
          agent.destroy();
        }
      },
    );
  } catch (error) {
    throw hubspotError(operation, error, facts);
  }
}

/** Whether the access token works: one page of one owner (`fleet doctor`). */
export async function probeHubSpot(options: Pick<HubSpotCrmOptions, 'accessToken' | 'basePath'>): Promise<ServiceProbe> {
  try {
    await callVendor('HubSpot', 'owners probe', { timeoutMs: DEFAULT_VENDOR_TIMEOUT_MS }, async () =>
      (await loadHubSpotClient(options)).crm.owners.ownersApi.getPage(undefined, undefined, 1, false),
    );
    return { ok: true, detail: 'owners readable' };
  } catch (error) {
    return probeFailure(error);
  }
}

/**
 * The CRM on HubSpot through @hubspot/api-client (loaded on first use so bots that never touch
 * HubSpot don't pay for it). Writes run through the side-effect ledger: the SDK's own retries
 * are off, because a retried POST after a lost response would create a second email.
 */
export function createHubSpotCrmConnector(options: HubSpotCrmOptions): CrmConnector {
  const ledger = createSideEffectLedger(options.db, {
    ...(options.leaseSeconds === undefined ? {} : { leaseSeconds: options.leaseSeconds }),
    ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }),
  });
  const call = <Result>(operation: string, facts: Record<string, unknown>, run: (client: Client, sdkOptions: never) => Promise<Result>) =>
    hubspotCall(options, operation, facts, run);

  async function listOwners(): Promise<DealOwner[]> {
    const owners: DealOwner[] = [];
    let after: string | undefined;
    do {
      const page = await call('owners list', {}, (hubspot, sdk) => hubspot.crm.owners.ownersApi.getPage(undefined, after, 100, false, sdk));
      for (const owner of page.results)
        owners.push({ id: owner.id, firstName: owner.firstName ?? '', lastName: owner.lastName ?? '', email: owner.email ?? '' });
      after = page.paging?.next?.after;
    } while (after !== undefined);
    return owners;
  }

  return {
    source: 'hubspot',
    listOwners,
    async listDeals() {
      const owners = new Map((await listOwners()).map((owner) => [owner.id, owner]));
      const deals: Deal[] = [];
      let after: string | undefined;
      do {
        const page = await call('deals list', {}, (hubspot, sdk) =>
          hubspot.crm.deals.basicApi.getPage(100, after, HUBSPOT_DEAL_PROPERTIES, undefined, undefined, false, sdk),
        );
        for (const object of page.results) deals.push(dealFromObject(object, owners));
        after = page.paging?.next?.after;
      } while (after !== undefined);
      return deals;
    },
    async listDealContacts(dealId) {
      const deal = await call('deal contacts', { dealId }, (hubspot, sdk) =>
        hubspot.crm.deals.basicApi.getById(dealId, ['dealname'], undefined, ['contacts'], undefined, undefined, sdk),
      );
      const ids = (deal.associations?.['contacts']?.results ?? []).map((association) => association.id);
      const contacts = await Promise.all(
        ids.map((id) =>
          call('deal contacts', { dealId }, (hubspot, sdk) =>
            hubspot.crm.contacts.basicApi.getById(id, ['firstname', 'lastname', 'email', 'jobtitle'], undefined, undefined, undefined, undefined, sdk),
          ),
        ),
      );
      return contacts.map((contact, index) => ({
        id: contact.id,
        firstName: contact.properties['firstname'] ?? '',
        lastName: contact.properties['lastname'] ?? '',
        email: contact.properties['email'] ?? '',
        title: contact.properties['jobtitle'] ?? null,
        isPrimary: index === 0,
      }));
    },
    async findAccountsBySellerId(sellerIds) {
      if (sellerIds.length === 0) return [];
      const found = await call('company search', { sellerIds: sellerIds.length }, (hubspot, sdk) =>
        hubspot.crm.companies.searchApi.doSearch(
          {
            filterGroups: [{ filters: [{ propertyName: 'amazon_seller_id', operator: 'IN' as never, values: [...sellerIds] }] }],
            properties: ['name', 'amazon_seller_id'],
            limit: 100,
          },
          sdk,
        ),
      );
      return found.results.map((company) => ({
        sellerId: company.properties['amazon_seller_id'] ?? '',
        accountId: company.id,
        accountName: company.properties['name'] ?? '',
      }));
    },
    async sendEmail(input) {
      const toResult = (object: { id: string; properties: Record<string, string | null> }): SendEmailResult => ({
        emailId: object.id,
        created: true,
        sentAt: object.properties['hs_timestamp'] ?? new Date().toISOString(),
      });
      const { result, performed } = await ledger.run<SendEmailResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'hubspot',
        action: 'email.create',
        request: { dealId: input.dealId, to: input.to, subject: input.subject },
        lookup: async () => {
          const found = await call('email search', { idempotencyKey: input.idempotencyKey }, (hubspot, sdk) =>
            hubspot.crm.objects.emails.searchApi.doSearch(
              {
                filterGroups: [{ filters: [{ propertyName: HUBSPOT_IDEMPOTENCY_PROPERTY, operator: 'EQ' as never, value: input.idempotencyKey }] }],
                properties: ['hs_timestamp', HUBSPOT_IDEMPOTENCY_PROPERTY],
                limit: 1,
              },
              sdk,
            ),
          );
          const first = found.results[0];
          return first === undefined ? null : toResult(first);
        },
        perform: async () => {
          const associations = [{ to: { id: input.dealId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: EMAIL_TO_DEAL }] }];
          if (input.contactId !== undefined)
            associations.push({
              to: { id: input.contactId },
              types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: EMAIL_TO_CONTACT }],
            });
          const created = await call('email create', { dealId: input.dealId, idempotencyKey: input.idempotencyKey }, (hubspot, sdk) =>
            hubspot.crm.objects.emails.basicApi.create(
              {
                properties: {
                  hs_timestamp: new Date().toISOString(),
                  hs_email_direction: 'EMAIL',
                  hs_email_status: 'SENT',
                  hs_email_subject: input.subject,
                  hs_email_text: input.body,
                  hs_email_headers: JSON.stringify({ to: [{ email: input.to }] }),
                  [HUBSPOT_IDEMPOTENCY_PROPERTY]: input.idempotencyKey,
                },
                associations,
              },
              sdk,
            ),
          );
          return toResult(created);
        },
      });
      options.log?.info(
        { dealId: input.dealId, emailId: result.emailId, performed },
        performed ? 'HubSpot email logged' : 'HubSpot email already logged under this key',
      );
      return { ...result, created: performed };
    },
    async updateDeal(input) {
      const { result, performed } = await ledger.run<UpdateDealResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'hubspot',
        action: 'deal.update',
        request: { dealId: input.dealId, properties: input.properties },
        // A PATCH of the same properties is harmless to repeat, so recovery simply re-applies.
        lookup: async () => null,
        perform: async () => {
          const updated = await call('deal update', { dealId: input.dealId, idempotencyKey: input.idempotencyKey }, (hubspot, sdk) =>
            hubspot.crm.deals.basicApi.update(input.dealId, { properties: input.properties }, undefined, sdk),
          );
          const properties: Record<string, string> = {};
          for (const [key, value] of Object.entries(updated.properties)) if (value !== null) properties[key] = value;
          return { dealId: updated.id, applied: true, properties };
        },
      });
      return { ...result, applied: performed };
    },
    async createTask(input) {
      const { result, performed } = await ledger.run<CreateTaskResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'hubspot',
        action: 'task.create',
        request: { dealId: input.dealId, ownerId: input.ownerId, subject: input.subject },
        // After an uncertain create, the task is looked up by the key it carries.
        lookup: async () => {
          const found = await call('task search', { idempotencyKey: input.idempotencyKey }, (hubspot, sdk) =>
            hubspot.crm.objects.tasks.searchApi.doSearch(
              {
                filterGroups: [{ filters: [{ propertyName: HUBSPOT_IDEMPOTENCY_PROPERTY, operator: 'EQ' as never, value: input.idempotencyKey }] }],
                properties: [HUBSPOT_IDEMPOTENCY_PROPERTY],
                limit: 1,
              },
              sdk,
            ),
          );
          const first = found.results[0];
          return first === undefined ? null : { taskId: first.id, created: true };
        },
        perform: async () => {
          const created = await call('task create', { dealId: input.dealId, idempotencyKey: input.idempotencyKey }, (hubspot, sdk) =>
            hubspot.crm.objects.tasks.basicApi.create(
              {
                properties: {
                  hs_timestamp: input.dueAt,
                  hs_task_subject: input.subject,
                  hs_task_body: input.body,
                  hs_task_status: 'NOT_STARTED',
                  hs_task_type: 'TODO',
                  ...(input.ownerId === null ? {} : { hubspot_owner_id: input.ownerId }),
                  [HUBSPOT_IDEMPOTENCY_PROPERTY]: input.idempotencyKey,
                },
                associations: [{ to: { id: input.dealId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: TASK_TO_DEAL }] }],
              },
              sdk,
            ),
          );
          return { taskId: created.id, created: true };
        },
      });
      options.log?.info(
        { dealId: input.dealId, taskId: result.taskId, performed },
        performed ? 'HubSpot task created' : 'HubSpot task already created under this key',
      );
      return { ...result, created: performed };
    },
    async listMeetings(listOptions) {
      const meetings: CrmMeeting[] = [];
      let after: string | undefined;
      do {
        const cursor = after;
        const page = await call('meeting search', {}, (hubspot, sdk) =>
          hubspot.crm.objects.meetings.searchApi.doSearch(
            {
              filterGroups: [{ filters: [{ propertyName: 'hs_timestamp', operator: 'GTE' as never, value: listOptions.since.toISOString() }] }],
              properties: ['hs_meeting_title', 'hs_timestamp'],
              limit: 100,
              ...(cursor === undefined ? {} : { after: cursor }),
            },
            sdk,
          ),
        );
        for (const object of page.results) {
          // Search returns no associations: read the meeting's contacts, then their addresses.
          const meeting = await call('meeting contacts', { meetingId: object.id }, (hubspot, sdk) =>
            hubspot.crm.objects.meetings.basicApi.getById(object.id, ['hs_meeting_title'], undefined, ['contacts'], undefined, undefined, sdk),
          );
          const contactIds = (meeting.associations?.['contacts']?.results ?? []).map((association) => association.id);
          const emails: string[] = [];
          for (const contactId of contactIds) {
            const contact = await call('meeting contacts', { meetingId: object.id }, (hubspot, sdk) =>
              hubspot.crm.contacts.basicApi.getById(contactId, ['email'], undefined, undefined, undefined, undefined, sdk),
            );
            if (contact.properties['email'] != null) emails.push(contact.properties['email'].toLowerCase());
          }
          meetings.push({
            id: object.id,
            contactEmails: emails,
            title: object.properties['hs_meeting_title'] ?? '',
            startAt: object.properties['hs_timestamp'] ?? '',
          });
        }
        after = page.paging?.next?.after;
      } while (after !== undefined);
      return meetings;
    },
    async logMeeting(input) {
      const { result, performed } = await ledger.run<LogMeetingResult>({
        idempotencyKey: input.idempotencyKey,
        connector: 'hubspot',
        action: 'meeting.create',
        request: { contactEmail: input.contactEmail, dealId: input.dealId, title: input.title },
        lookup: async () => {
          const found = await call('meeting search', { idempotencyKey: input.idempotencyKey }, (hubspot, sdk) =>
            hubspot.crm.objects.meetings.searchApi.doSearch(
              {
                filterGroups: [{ filters: [{ propertyName: HUBSPOT_IDEMPOTENCY_PROPERTY, operator: 'EQ' as never, value: input.idempotencyKey }] }],
                properties: [HUBSPOT_IDEMPOTENCY_PROPERTY],
                limit: 1,
              },
              sdk,
            ),
          );
          const first = found.results[0];
          return first === undefined ? null : { meetingId: first.id, created: true };
        },
        perform: async () => {
          const contacts = await call('contact search', { contactEmail: input.contactEmail }, (hubspot, sdk) =>
            hubspot.crm.contacts.searchApi.doSearch(
              { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ' as never, value: input.contactEmail }] }], properties: ['email'], limit: 1 },
              sdk,
            ),
          );
          const contactId = contacts.results[0]?.id;
          if (contactId === undefined)
            throw new ConnectorError('crm_contact_missing', `HubSpot has no contact with email ${input.contactEmail}: add the contact, then retry`, {
              facts: { contactEmail: input.contactEmail },
            });
          const associations = [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: MEETING_TO_CONTACT }] }];
          if (input.dealId !== null)
            associations.push({ to: { id: input.dealId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: MEETING_TO_DEAL }] });
          const created = await call('meeting create', { contactEmail: input.contactEmail, idempotencyKey: input.idempotencyKey }, (hubspot, sdk) =>
            hubspot.crm.objects.meetings.basicApi.create(
              {
                properties: {
                  hs_timestamp: input.startAt,
                  hs_meeting_title: input.title,
                  hs_meeting_body: input.body,
                  hs_meeting_start_time: input.startAt,
                  hs_meeting_end_time: input.endAt,
                  hs_meeting_outcome: 'COMPLETED',
                  [HUBSPOT_IDEMPOTENCY_PROPERTY]: input.idempotencyKey,
                },
                associations,
              },
              sdk,
            ),
          );
          return { meetingId: created.id, created: true };
        },
      });
      options.log?.info({ meetingId: result.meetingId, performed }, performed ? 'HubSpot meeting logged' : 'HubSpot meeting already logged under this key');
      return { ...result, created: performed };
    },
    ...createHubSpotCrmActivity({ call, ledger, db: options.db, ...(options.log === undefined ? {} : { log: options.log }) }),
    ...hubspotCompanyMethods(call, ledger, listOwners),
    ...hubspotPipelineMethods(call),
    ...hubspotSearchMethods(call, ledger, listOwners),
    ...hubspotTurnoverMethods(call),
  };
}
