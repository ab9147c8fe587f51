import { defineJob, envInteger, envList, envSettings, jobOutcome, listApprovals, reportFindings, timeZone, type BotContext, type JobRunInfo } from '@jbot/core';
import { localDay } from './deal-hygiene.js';
import { draftOutreach } from '../outreach/outreach-draft.js';
import { scoreProspects, type ScoredProspect } from '../outreach/score-prospects.js';
import { sendOutreach, type OutreachDraft } from '../outreach/send-outreach.js';

// The states Harbor & Pine ships wholesale to today (a region "with distribution" in the ICP).
const DISTRIBUTION_STATES = 'WA,OR,CA,ID,MT,AZ,UT,CO,NM,MN,WI,MI,TN,NC,SC,GA,VA,VT,NH,ME,CT';

/** The job's settings: five a day, once per company per 90 days, 3–200 stores (the catalogue's values). */
export const prospectOutreachSettings = envSettings({
  SALES_OUTREACH_PER_DAY: envInteger(5, 1, 50),
  SALES_OUTREACH_CONTACT_GAP_DAYS: envInteger(90, 1, 365),
  SALES_ICP_MIN_STORES: envInteger(3, 1, 100_000),
  SALES_ICP_MAX_STORES: envInteger(200, 1, 100_000),
  SALES_DISTRIBUTION_STATES: envList.transform((states) => (states.length === 0 ? DISTRIBUTION_STATES.split(',') : states)),
  FLEET_TZ: timeZone('UTC'),
});

/** What a run returns. */
export interface ProspectOutreachResult {
  picked: ScoredProspect[];
  approvalId: string | null;
  /** false: today's outreach was already drafted (no model call). */
  drafted: boolean;
}

/** The #sales-bot post: today's picks with their score and rep. */
export function outreachMessage(picked: readonly ScoredProspect[]): string {
  return [
    ...picked.map(
      (pick) =>
        `• **${pick.prospect.name}** (${pick.prospect.state}, ${pick.prospect.segment}, ${pick.prospect.storeCount} stores) — ICP ${pick.score}, ${pick.owner} writes to ${pick.prospect.buyer.firstName} ${pick.prospect.buyer.lastName}`,
    ),
    '',
    'Approve send_outreach to send the intro emails from each rep and log them on the companies.',
  ].join('\n');
}

/**
 * Run prospect-outreach once: the day's top target retailers by ICP score, one drafted intro
 * each (fast tier, brand facts in the cached system prompt), in one send_outreach approval.
 * The day's request is keyed by the date, so a rerun drafts nothing and calls no model.
 */
export async function runProspectOutreach(
  context: BotContext & JobRunInfo,
  settings = prospectOutreachSettings.load({}),
  now = new Date(),
): Promise<{ outcome: Awaited<ReturnType<typeof reportFindings>>; result: ProspectOutreachResult }> {
  const requestKey = `outreach:${localDay(now, settings.FLEET_TZ)}`;
  const asked = await context.approvals.findByRequestKey(requestKey);
  let picked: ScoredProspect[];
  let approvalId: string | null = asked?.id ?? null;
  if (asked !== null) {
    const draft = sendOutreach.draft.parse(asked.draft);
    const prospects = new Map((await context.connectors.crm.listProspects()).map((prospect) => [prospect.id, prospect]));
    picked = draft.emails.flatMap((email) => {
      const prospect = prospects.get(email.prospect_id);
      return prospect === undefined || prospect.buyer === null
        ? []
        : [{ prospect: { ...prospect, buyer: prospect.buyer }, score: email.icp_score, ownerId: email.owner_id, owner: email.owner }];
    });
  } else {
    const { crm } = context.connectors;
    // Companies in an outreach still waiting for approval are not picked twice.
    const waiting = (await listApprovals(context.db, { bot: context.bot, status: 'pending' }))
      .filter((approval) => approval.action === sendOutreach.name)
      .flatMap((approval) => sendOutreach.draft.safeParse(approval.draft).data?.emails.map((email) => email.prospect_id) ?? []);
    picked = scoreProspects(
      await crm.listProspects(),
      {
        minStores: settings.SALES_ICP_MIN_STORES,
        maxStores: settings.SALES_ICP_MAX_STORES,
        distributionStates: settings.SALES_DISTRIBUTION_STATES,
        contactGapDays: settings.SALES_OUTREACH_CONTACT_GAP_DAYS,
      },
      now,
      new Set(waiting),
      { owners: await crm.listOwners(), teams: await crm.listOwnerTeams(), territories: await crm.listTerritories() },
    ).slice(0, settings.SALES_OUTREACH_PER_DAY);
    if (picked.length > 0) {
      const facts = await crm.listBrandFacts();
      const emails: OutreachDraft['emails'] = [];
      for (const pick of picked) {
        const text = await draftOutreach(context.llm, facts, pick);
        emails.push({
          prospect_id: pick.prospect.id,
          company: pick.prospect.name,
          contact_id: pick.prospect.buyer.contactId,
          owner_id: pick.ownerId,
          owner: pick.owner,
          to: pick.prospect.buyer.email,
          icp_score: pick.score,
          ...text,
        });
      }
      const { approval } = await context.approvals.request({
        action: sendOutreach,
        title: `Send ${emails.length} intro email${emails.length === 1 ? '' : 's'} to target retailers`,
        draft: { emails },
        requestKey,
      });
      approvalId = approval.id;
    }
  }
  const outcome = await reportFindings(context, {
    findings: picked.map((pick) => [pick.prospect.id, pick.score]),
    noun: 'target retailer',
    message: () => ({
      title: `Prospect outreach: ${picked.length} intro email${picked.length === 1 ? '' : 's'} drafted`,
      text: outreachMessage(picked),
      kind: 'note',
    }),
    nothingLine: 'No target retailer fits the profile and is due for a first touch today.',
  });
  return { outcome, result: { picked, approvalId, drafted: asked === null && picked.length > 0 } };
}

/** salesbot's prospect-outreach: weekdays 10:30 (fleet time zone). */
export const prospectOutreach = defineJob({
  id: 'prospect-outreach',
  schedule: '30 10 * * 1-5',
  description: 'Five intro emails a day to target retailers that fit the ICP and were not contacted in 90 days → send_outreach',
  timeoutMs: 180_000,
  // A daily batch: a missed morning catches up once.
  missed: 'once',
  settings: prospectOutreachSettings,
  async run(context) {
    const { outcome, result } = await runProspectOutreach(context, context.config);
    const asked = result.approvalId === null ? '' : result.drafted ? '; send_outreach asked' : '; send_outreach already asked today';
    return jobOutcome(`${outcome.outcome}${asked}`, {
      ...(outcome.fingerprint === undefined ? {} : { fingerprint: outcome.fingerprint }),
      detail: { ...outcome.detail, approvalId: result.approvalId, drafted: result.drafted },
    });
  },
});
