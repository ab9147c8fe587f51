import type { SampleCompanyData } from '../sample/sample-company-data.js';
import type { HubSpotObjectSeed, HubSpotSampleObjects } from './hubspot-sample-objects.js';
import { WHOLESALE_FORM_EVENT } from './hubspot-crm-activity.js';

/** The sample company's CRM with its selling activity, as a fake HubSpot is seeded. */
export interface HubSpotActivitySeed {
  owners: Array<{ id: string; email: string; firstName: string; lastName: string; teams: Array<{ id: string; name: string; primary: boolean }> }>;
  objects: Record<string, HubSpotObjectSeed[]>;
}

interface ActivityData {
  reengaged_deals: string[];
  prospects: Array<{
    id: string;
    name: string;
    domain: string;
    state: string;
    segment: string;
    store_count: number;
    buyer_first_name: string;
    buyer_last_name: string;
    buyer_email: string;
    last_contacted_days_ago: number | null;
    open_deal: boolean;
    suppressed: boolean;
  }>;
  onboarding: Array<{ account_id: string; credit_application: boolean; resale_certificate: boolean; item_setup: boolean; first_po: boolean }>;
  leads: Array<{
    id: string;
    first_name: string;
    last_name: string;
    email: string;
    company: string;
    state: string;
    segment: string;
    store_count: number;
    message: string;
    owner_id?: string;
    created_minutes_ago: number;
  }>;
  activity_days: Array<{ owner_id: string; weekdays_ago: number; calls: number; emails: number; meetings: number }>;
  engagements: Array<{
    id: string;
    type: string;
    direction: string;
    owner_id: string;
    deal_id: string;
    contact_email: string;
    subject: string;
    weekdays_ago: number;
  }>;
  tasks: Array<{ id: string; deal_id: string; owner_id: string; subject: string; status: string; due_weekdays_ago: number }>;
  line_items: Array<{ id: string; deal_id: string; sku: string; name: string; quantity: number; price: number; discount_pct: number }>;
  quotes: Array<{ id: string; deal_id: string; title: string; status: string; amount: number; sent_weekdays_ago: number; expires_in_days: number }>;
}

const DAY_MS = 86_400_000;

/** The n-th weekday strictly before `day` (UTC midnight); n <= 0 counts forward. Mirrors sample_weekday_before. */
export function weekdayBefore(day: Date, count: number): Date {
  let at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  let left = Math.abs(count);
  const step = count > 0 ? -DAY_MS : DAY_MS;
  while (left > 0) {
    at += step;
    const weekday = new Date(at).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return new Date(at);
}

const at = (day: Date, hours: number, minutes = 0) => new Date(day.getTime() + hours * 3_600_000 + minutes * 60_000).toISOString();

/**
 * Add the selling activity (hubspot-activity.json) to the sample CRM as HubSpot would hold it:
 * calls/emails/meetings, tasks, quotes, line items (associated from their deals), products,
 * the inbound leads as contacts, and owner teams — dates resolved as the sample loader does.
 */
export function hubspotActivityFromSample(data: SampleCompanyData, now: Date, base: HubSpotSampleObjects): HubSpotActivitySeed {
  const activity = data.hubspot_activity as unknown as ActivityData;
  const hubspot = data.hubspot as {
    owners: Array<{ id: string; team?: string }>;
    accounts: Array<{ id: string; name: string; domain: string; state: string; segment: string }>;
    deals: Array<{ id: string; account_id: string }>;
  };
  const accountOf = new Map(hubspot.deals.map((deal) => [deal.id, deal.account_id]));
  const onboarding = new Map(activity.onboarding.map((row) => [row.account_id, row]));
  const company = data.company as { products: Array<{ sku: string; name: string; wholesale_price: number; unit_cost: number }> };
  const teams = new Map(hubspot.owners.map((owner) => [owner.id, owner.team]));
  const engagements: Record<'calls' | 'emails' | 'meetings', HubSpotObjectSeed[]> = { calls: [], emails: [], meetings: [] };
  let nextId = 80_000_000_001;
  for (const day of activity.activity_days) {
    const date = weekdayBefore(now, day.weekdays_ago);
    for (const [type, count] of [
      ['calls', day.calls],
      ['emails', day.emails],
      ['meetings', day.meetings],
    ] as const)
      for (let touch = 1; touch <= count; touch += 1) {
        const timestamp = at(date, 16, (touch * 37) % 420);
        const title = type === 'calls' ? 'hs_call_title' : type === 'emails' ? 'hs_email_subject' : 'hs_meeting_title';
        engagements[type].push({
          id: String(nextId++),
          properties: {
            hs_timestamp: timestamp,
            hubspot_owner_id: day.owner_id,
            [title]: `${type === 'calls' ? 'Call' : type === 'emails' ? 'Email' : 'Meeting'} with a buyer`,
            ...(type === 'emails' ? { hs_email_direction: 'EMAIL' } : {}),
          },
        });
      }
  }
  for (const email of activity.engagements)
    engagements.emails.push({
      id: email.id,
      properties: {
        hs_timestamp: at(weekdayBefore(now, email.weekdays_ago), 18, 30),
        hubspot_owner_id: email.owner_id,
        hs_email_subject: email.subject,
        hs_email_direction: email.direction,
        [email.direction === 'INCOMING_EMAIL' ? 'hs_email_from_email' : 'hs_email_to_email']: email.contact_email,
      },
      associations: { deals: [email.deal_id] },
    });
  const lineItemsByDeal = new Map<string, string[]>();
  for (const item of activity.line_items) lineItemsByDeal.set(item.deal_id, [...(lineItemsByDeal.get(item.deal_id) ?? []), item.id]);
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return {
    owners: base.owners.map((owner) => {
      const team = teams.get(owner.id);
      return { ...owner, teams: team === undefined ? [] : [{ id: `team-${team.toLowerCase().replace(/\W+/g, '-')}`, name: team, primary: true }] };
    }),
    objects: {
      deals: base.deals.map((deal) => ({
        ...deal,
        properties: activity.reengaged_deals.includes(deal.id) ? { ...deal.properties, jbot_status: 're-engaged' } : deal.properties,
        associations: { ...deal.associations, line_items: lineItemsByDeal.get(deal.id) ?? [], companies: [accountOf.get(deal.id) ?? ''] },
      })),
      companies: [
        ...activity.prospects.map((prospect) => ({
          id: prospect.id,
          properties: {
            name: prospect.name,
            domain: prospect.domain,
            state: prospect.state,
            wholesale_segment: prospect.segment,
            store_count: String(prospect.store_count),
            hs_is_target_account: 'true',
            hs_num_open_deals: prospect.open_deal ? '1' : '0',
            jbot_outreach_suppressed: String(prospect.suppressed),
            ...(prospect.last_contacted_days_ago === null
              ? {}
              : { notes_last_contacted: new Date(now.getTime() - prospect.last_contacted_days_ago * DAY_MS).toISOString() }),
          },
          associations: { contacts: [`${prospect.id}1`] },
        })),
        ...hubspot.accounts.map((account) => {
          const checklist = onboarding.get(account.id);
          return {
            id: account.id,
            properties: {
              name: account.name,
              domain: account.domain,
              state: account.state,
              segment: account.segment,
              ...(checklist === undefined
                ? {}
                : {
                    onboarding_credit_application: String(checklist.credit_application),
                    onboarding_resale_certificate: String(checklist.resale_certificate),
                    onboarding_item_setup: String(checklist.item_setup),
                    onboarding_first_po: String(checklist.first_po),
                  }),
            },
          };
        }),
      ],
      contacts: [
        ...activity.prospects.map((prospect) => ({
          id: `${prospect.id}1`,
          properties: { firstname: prospect.buyer_first_name, lastname: prospect.buyer_last_name, email: prospect.buyer_email, company: prospect.name },
        })),
        ...base.contacts.map((contact) => ({ ...contact, properties: { ...contact.properties, lifecyclestage: 'customer' } })),
        ...activity.leads.map((lead) => ({
          id: lead.id,
          properties: {
            firstname: lead.first_name,
            lastname: lead.last_name,
            email: lead.email,
            company: lead.company,
            state: lead.state,
            lifecyclestage: 'lead',
            createdate: new Date(now.getTime() - lead.created_minutes_ago * 60_000).toISOString(),
            recent_conversion_event_name: WHOLESALE_FORM_EVENT,
            wholesale_segment: lead.segment,
            store_count: String(lead.store_count),
            wholesale_inquiry_message: lead.message,
            ...(lead.owner_id === undefined ? {} : { hubspot_owner_id: lead.owner_id }),
          },
        })),
      ],
      ...engagements,
      tasks: activity.tasks.map((task) => ({
        id: task.id,
        properties: {
          hs_task_subject: task.subject,
          hs_task_status: task.status,
          hs_timestamp: at(weekdayBefore(now, task.due_weekdays_ago), 17),
          hubspot_owner_id: task.owner_id,
          hs_task_type: 'TODO',
        },
        associations: { deals: [task.deal_id] },
      })),
      quotes: activity.quotes.map((quote) => ({
        id: quote.id,
        properties: {
          hs_title: quote.title,
          hs_status: quote.status,
          hs_quote_amount: String(quote.amount),
          hs_createdate: at(weekdayBefore(now, quote.sent_weekdays_ago), 17, 30),
          hs_expiration_date: new Date(today.getTime() + quote.expires_in_days * DAY_MS).toISOString(),
        },
        associations: { deals: [quote.deal_id] },
      })),
      line_items: activity.line_items.map((item) => ({
        id: item.id,
        properties: {
          hs_sku: item.sku,
          name: item.name,
          quantity: String(item.quantity),
          price: String(item.price),
          hs_discount_percentage: String(item.discount_pct),
        },
        associations: { deals: [item.deal_id] },
      })),
      products: company.products.map((product, index) => ({
        id: String(1_500_000 + index),
        properties: { hs_sku: product.sku, name: product.name, price: String(product.wholesale_price), hs_cost_of_goods_sold: String(product.unit_cost) },
      })),
    },
  };
}
