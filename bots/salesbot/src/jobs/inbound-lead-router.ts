import { defineJob, envInteger, envSettings, jobOutcome, reportFindings, type BotContext, type JobRunInfo } from '@jbot/core';
import { assignLeadAndReply, type AssignLeadDraft } from '../leads/assign-lead-and-reply.js';
import { draftFirstReply } from '../leads/first-reply-draft.js';
import { routeLeads, type LeadRoute } from '../leads/route-leads.js';

const DAY_MS = 86_400_000;

/** The router's settings: minutes a lead may wait unassigned (catalogue 15) and how far back to look. */
export const inboundLeadRouterSettings = envSettings({
  SALES_LEAD_ROUTE_AFTER_MINUTES: envInteger(15, 0, 24 * 60),
  SALES_LEAD_LOOKBACK_DAYS: envInteger(7, 1, 90),
});

/** One routed lead as the post and the outcome list it. */
export interface RoutedLead {
  lead_id: string;
  lead: string;
  company: string;
  state: string;
  segment: string;
  store_count: number;
  owner_id: string;
  owner: string;
  team: string | null;
  minutes_waiting: number;
  flag: string | null;
  approval_id: string;
  approval_status: string;
  drafted_now: boolean;
}

/** What a run returns. */
export interface InboundLeadRouterResult {
  routed: RoutedLead[];
  /** Model (or offline drafter) calls made this run: none when every lead was already drafted. */
  drafts: number;
}

const name = (route: LeadRoute) => `${route.lead.firstName} ${route.lead.lastName}`.trim();

/** The #sales-bot post: one line per waiting lead, with its rep and any flag. */
export function leadRouterMessage(routed: readonly RoutedLead[]): string {
  const lines = routed.map(
    (lead) =>
      `• ${lead.lead}, ${lead.company} (${lead.state}, ${lead.segment}, ${lead.store_count} store${lead.store_count === 1 ? '' : 's'}) → **${lead.owner}**${lead.team === null ? '' : ` (${lead.team})`}, waiting ${lead.minutes_waiting} min${lead.flag === null ? '' : `\n  ⚠ ${lead.flag}`}`,
  );
  return [...lines, '', 'Approve each assign_lead_and_reply to set the owner in the CRM and send the drafted first reply from the rep.'].join('\n');
}

/**
 * Run the router once: unassigned wholesale leads waiting longer than the threshold get a rep by
 * territory (round-robin in the team) and a drafted first reply, one approval per lead. A lead
 * already asked for finds its approval (no second draft, no model call), so a run with no new
 * leads calls no model.
 */
export async function runInboundLeadRouter(
  context: BotContext & JobRunInfo,
  settings = inboundLeadRouterSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; result: InboundLeadRouterResult }> {
  const { crm } = context.connectors;
  const leads = await crm.listLeads({ since: new Date(now.getTime() - settings.SALES_LEAD_LOOKBACK_DAYS * DAY_MS) });
  const waiting = leads.filter((lead) => lead.ownerId === null);
  const routes =
    waiting.length === 0
      ? []
      : routeLeads(leads, await crm.listOwners(), await crm.listOwnerTeams(), await crm.listTerritories(), now, settings.SALES_LEAD_ROUTE_AFTER_MINUTES);
  const routed: RoutedLead[] = [];
  let drafts = 0;
  for (const route of routes) {
    const requestKey = `lead-router:${route.lead.id}`;
    let approval = await context.approvals.findByRequestKey(requestKey);
    const draftedNow = approval === null;
    if (approval === null) {
      const reply = await draftFirstReply(context.llm, route);
      drafts += 1;
      const draft: AssignLeadDraft = {
        lead_id: route.lead.id,
        lead: name(route),
        company: route.lead.company,
        owner_id: route.owner.id,
        owner: `${route.owner.firstName} ${route.owner.lastName}`.trim(),
        team: route.team,
        to: route.lead.email,
        subject: reply.subject,
        body: reply.body,
        flag: route.flag,
      };
      ({ approval } = await context.approvals.request({
        action: assignLeadAndReply,
        title: `Assign ${name(route)} (${route.lead.company}) to ${draft.owner} and send the first reply`,
        draft,
        requestKey,
      }));
    }
    routed.push({
      lead_id: route.lead.id,
      lead: name(route),
      company: route.lead.company,
      state: route.lead.state,
      segment: route.lead.segment,
      store_count: route.lead.storeCount,
      owner_id: route.owner.id,
      owner: `${route.owner.firstName} ${route.owner.lastName}`.trim(),
      team: route.team,
      minutes_waiting: route.minutesWaiting,
      flag: route.flag,
      approval_id: approval.id,
      approval_status: approval.status,
      drafted_now: draftedNow,
    });
  }
  // The finding set is which lead goes to whom (not the minutes waiting), so a quarter-hour later the same queue is not reposted.
  const outcome = await reportFindings(context, {
    findings: routed.map(({ lead_id, owner_id, flag }) => ({ lead_id, owner_id, flag })),
    noun: 'new wholesale lead',
    message: () => ({
      title: `Inbound leads: ${routed.length} waiting for a rep`,
      text: leadRouterMessage(routed),
      kind: 'note',
    }),
    nothingLine: 'Every wholesale inquiry older than the routing threshold has an owner.',
  });
  context.log.info({ leads: routed.length, drafts }, `inbound-lead-router: ${routed.length} leads routed, ${drafts} drafted`);
  return { outcome, result: { routed, drafts } };
}

/** salesbot's inbound-lead-router: every 15 minutes, 08:00–17:45 on weekdays (fleet time zone). */
export const inboundLeadRouter = defineJob({
  id: 'inbound-lead-router',
  schedule: '*/15 8-17 * * 1-5',
  description: 'Unassigned wholesale inquiries older than 15 minutes → rep by territory (round-robin) + drafted first reply → assign_lead_and_reply',
  timeoutMs: 120_000,
  // A quarter-hour watch: a missed tick is covered by the next one.
  missed: 'skip',
  overlap: 'skip',
  settings: inboundLeadRouterSettings,
  async run(context) {
    const { outcome, result } = await runInboundLeadRouter(context, context.config);
    const asked = result.drafts === 0 ? '' : `; ${result.drafts} assign_lead_and_reply asked`;
    return jobOutcome(`${outcome.outcome}${asked}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, drafts: result.drafts, approvals: result.routed.map((lead) => lead.approval_id) },
    });
  },
});
