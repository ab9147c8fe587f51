import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import type { Deal } from '@jbot/connectors';
import { createHygieneTasks, type HygieneTasksDraft } from '../hygiene/create-hygiene-tasks.js';
import { createSampleOrder, type SampleOrderDraft } from '../samples/create-sample-order.js';
import { localDay } from './deal-hygiene.js';
import { businessDaysBetween } from '../sales-days.js';

const DAY_MS = 86_400_000;

/** The job's settings: the catalogue's 2 business days to ship, 7 days after delivery to follow up, units per SKU. */
export const sampleRequestsSettings = envSettings({
  SALES_SAMPLE_SHIP_BUSINESS_DAYS: envInteger(2, 0, 30),
  SALES_SAMPLE_FOLLOWUP_DAYS: envInteger(7, 1, 60),
  SALES_SAMPLE_UNITS_PER_SKU: envInteger(1, 1, 24),
  FLEET_TZ: timeZone('UTC'),
});

/** One sample request that needs something done. */
export interface SampleFinding {
  deal_id: string;
  deal: string;
  account: string;
  owner_id: string | null;
  owner: string;
  /** overdue: requested too long ago with no sample draft order; follow_up: delivered a week ago, nobody followed up. */
  kind: 'overdue' | 'follow_up';
  /** Business days since the request (overdue) or days since delivery (follow_up). */
  days: number;
}

/** A deal's sample request as its CRM properties say (HubSpot custom deal properties sample_*). */
function requestOf(deal: Deal): { status: string; requestedAt: string | null; deliveredAt: string | null } | null {
  const status = deal.properties['sample_status']?.trim().toLowerCase() ?? '';
  if (status === '' || deal.isClosed) return null;
  return { status, requestedAt: deal.properties['sample_requested_at'] ?? null, deliveredAt: deal.properties['sample_delivered_at'] ?? null };
}

/**
 * Sample requests needing action, deterministically: open deals with sample_status = requested
 * more than SALES_SAMPLE_SHIP_BUSINESS_DAYS business days ago and no draft order tagged `sample`
 * for the deal → overdue; sample_status = delivered at least SALES_SAMPLE_FOLLOWUP_DAYS ago with no
 * call, email or meeting logged on the deal since → follow_up.
 */
export async function findSampleRequests(
  context: Pick<BotContext, 'connectors'>,
  now: Date,
  settings: ReturnType<typeof sampleRequestsSettings.load>,
): Promise<SampleFinding[]> {
  const { crm, draftOrders } = context.connectors;
  const today = localDay(now, settings.FLEET_TZ);
  const requests = (await crm.listDeals()).flatMap((deal) => {
    const request = requestOf(deal);
    return request === null ? [] : [{ deal, ...request }];
  });
  if (requests.length === 0) return [];
  const ordered = new Set((await draftOrders.listDraftOrders({ tag: 'sample' })).flatMap((order) => (order.dealId === null ? [] : [order.dealId])));
  const delivered = requests.filter((request) => request.status === 'delivered' && request.deliveredAt !== null);
  const oldestDelivery = Math.min(...delivered.map((request) => Date.parse(request.deliveredAt ?? '')));
  const touched =
    delivered.length === 0
      ? new Map<string, string[]>()
      : (await crm.listEngagements({ since: new Date(oldestDelivery), until: now })).reduce((byDeal, engagement) => {
          if (engagement.dealId !== null && engagement.direction !== 'incoming')
            byDeal.set(engagement.dealId, [...(byDeal.get(engagement.dealId) ?? []), engagement.occurredAt]);
          return byDeal;
        }, new Map<string, string[]>());
  const findings: SampleFinding[] = [];
  for (const { deal, status, requestedAt, deliveredAt } of requests) {
    const base = {
      deal_id: deal.id,
      deal: deal.name,
      account: deal.accountName ?? deal.name,
      owner_id: deal.ownerId,
      owner: deal.ownerName ?? 'Unassigned',
    };
    if (status === 'requested' && requestedAt !== null && !ordered.has(deal.id)) {
      const waited = businessDaysBetween(localDay(new Date(requestedAt), settings.FLEET_TZ), today);
      if (waited > settings.SALES_SAMPLE_SHIP_BUSINESS_DAYS) findings.push({ ...base, kind: 'overdue', days: waited });
    }
    if (status === 'delivered' && deliveredAt !== null) {
      const days = Math.floor((now.getTime() - Date.parse(deliveredAt)) / DAY_MS);
      const followedUp = (touched.get(deal.id) ?? []).some((at) => at >= deliveredAt);
      if (days >= settings.SALES_SAMPLE_FOLLOWUP_DAYS && !followedUp) findings.push({ ...base, kind: 'follow_up', days });
    }
  }
  return findings.sort((left, right) => left.kind.localeCompare(right.kind) || right.days - left.days || left.deal.localeCompare(right.deal));
}

/** The #sales-bot post: one line per request (`notDrafted`: overdue deals no sample order could be drafted for). */
export function sampleRequestsMessage(findings: readonly SampleFinding[], notDrafted: ReadonlySet<string> = new Set()): string {
  return [
    ...findings.map((finding) =>
      finding.kind === 'overdue'
        ? `• **${finding.account}** — samples requested ${finding.days} business days ago, no sample order yet (${finding.owner}) → ${notDrafted.has(finding.deal_id) ? 'not drafted: the deal has no line items or buyer email' : 'create_sample_order asked'}`
        : `• **${finding.account}** — samples delivered ${finding.days} days ago, no follow-up logged (${finding.owner}) → follow-up task asked`,
    ),
  ].join('\n');
}

/** What a run returns. */
export interface SampleRequestsResult {
  findings: SampleFinding[];
  approvals: string[];
  /** Requests that could not be drafted (no line items or no buyer email), said in the log and the outcome. */
  skipped: string[];
}

/**
 * Run sample-requests once: post the requests needing action when they changed; per overdue
 * request one `create_sample_order` (the deal's SKUs, one unit each by default), per silent delivery
 * one follow-up task (`create_hygiene_tasks`), each keyed by the deal so it is asked once.
 */
export async function runSampleRequests(
  context: BotContext & JobRunInfo,
  settings = sampleRequestsSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; result: SampleRequestsResult }> {
  const { crm } = context.connectors;
  const findings = await findSampleRequests(context, now, settings);
  const approvals: string[] = [];
  const skipped: string[] = [];
  const skippedIds: string[] = [];
  const overdue = findings.filter((finding) => finding.kind === 'overdue');
  const lineItems = overdue.length === 0 ? [] : await crm.listDealLineItems(overdue.map((finding) => finding.deal_id));
  for (const finding of findings) {
    if (finding.kind === 'follow_up') {
      const draft: HygieneTasksDraft = {
        due_at: new Date(now.getTime() + DAY_MS).toISOString(),
        tasks: [
          {
            deal_id: finding.deal_id,
            deal: finding.deal,
            kind: 'sample_followup',
            owner_id: finding.owner_id,
            owner: finding.owner,
            subject: `Follow up on the samples at ${finding.account}`,
            body: `The samples for ${finding.deal} were delivered ${finding.days} days ago and no call, email or meeting is logged since. Ask the buyer how they tested and what they would order.`,
          },
        ],
      };
      const { approval } = await context.approvals.request({
        action: createHygieneTasks,
        title: `Task ${finding.owner}: follow up on the samples at ${finding.account}`,
        draft,
        requestKey: `sample-followup:${finding.deal_id}`,
      });
      approvals.push(approval.id);
      continue;
    }
    const requestKey = `sample-order:${finding.deal_id}`;
    const asked = await context.approvals.findByRequestKey(requestKey);
    if (asked !== null) {
      approvals.push(asked.id);
      continue;
    }
    const lines = lineItems.filter((item) => item.dealId === finding.deal_id && item.sku !== '');
    const contacts = await crm.listDealContacts(finding.deal_id);
    const buyer = contacts.find((contact) => contact.isPrimary && contact.email !== '') ?? contacts.find((contact) => contact.email !== '');
    if (lines.length === 0 || buyer === undefined) {
      const why = lines.length === 0 ? 'no line items on the deal' : 'no buyer email on the deal';
      context.log.warn({ dealId: finding.deal_id }, `sample order for ${finding.account} not drafted: ${why}`);
      skipped.push(`${finding.account} (${why})`);
      skippedIds.push(finding.deal_id);
      continue;
    }
    const draft: SampleOrderDraft = {
      deal_id: finding.deal_id,
      deal: finding.deal,
      account: finding.account,
      email: buyer.email,
      lines: [...new Map(lines.map((item) => [item.sku, { sku: item.sku, name: item.name, quantity: settings.SALES_SAMPLE_UNITS_PER_SKU }])).values()],
      note: `Samples for ${finding.deal} (requested ${finding.days} business days ago). Ship to ${`${buyer.firstName} ${buyer.lastName}`.trim()}.`,
    };
    const { approval } = await context.approvals.request({
      action: createSampleOrder,
      title: `Create the sample order for ${finding.account} (${draft.lines.length} SKUs)`,
      draft,
      requestKey,
    });
    approvals.push(approval.id);
  }
  // Posted after asking, so the post says which requests could not be drafted.
  const skippedDeals = new Set(skippedIds);
  const outcome = await reportFindings(context, {
    findings: findings.map((finding) => [finding.deal_id, finding.kind]),
    noun: 'sample request',
    message: (items) => ({
      title: `Sample requests: ${items.length} need${items.length === 1 ? 's' : ''} action`,
      text: sampleRequestsMessage(findings, skippedDeals),
      kind: 'note',
    }),
    nothingLine: 'Every sample request shipped within 2 business days, and every delivered sample got its follow-up.',
  });
  return { outcome, result: { findings, approvals, skipped } };
}

/** salesbot's sample-requests: weekdays 11:15 (fleet time zone). */
export const sampleRequests = defineJob({
  id: 'sample-requests',
  schedule: '15 11 * * 1-5',
  description: 'Sample requests not shipped within 2 business days → create_sample_order; delivered a week ago with no follow-up → follow-up task',
  timeoutMs: 120_000,
  // A daily check: a missed morning catches up once.
  missed: 'once',
  settings: sampleRequestsSettings,
  async run(context) {
    const { outcome, result } = await runSampleRequests(context, context.config);
    const skipped = result.skipped.length === 0 ? '' : `; not drafted: ${result.skipped.join(', ')}`;
    return jobOutcome(`${outcome.outcome}${skipped}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvals: result.approvals },
    });
  },
});
