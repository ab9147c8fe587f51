// The CRM's selling activity beyond deals: engagements, tasks, quotes, line items, products,
// inbound leads and owner teams, and the writes the lead router makes. Vendor-neutral shapes:
// HubSpot's names appear only where they say what a field is.

/** A logged call, email or meeting (HubSpot engagement objects calls / emails / meetings). */
export interface CrmEngagement {
  id: string;
  type: 'call' | 'email' | 'meeting';
  /** Emails only: `outgoing` (we sent it) or `incoming` (a buyer's reply); null for calls and meetings. */
  direction: 'outgoing' | 'incoming' | null;
  ownerId: string | null;
  /** The deal it is associated with, when any. */
  dealId: string | null;
  /** The other party's address (emails), lower case; null when unknown. */
  contactEmail: string | null;
  subject: string;
  /** When it happened (ISO instant; HubSpot `hs_timestamp`). */
  occurredAt: string;
}

/** A CRM task that is not completed. */
export interface CrmTask {
  id: string;
  dealId: string | null;
  ownerId: string | null;
  subject: string;
  /** NOT_STARTED, IN_PROGRESS, WAITING … (HubSpot `hs_task_status`). */
  status: string;
  /** When it is due (ISO instant; HubSpot `hs_timestamp`). */
  dueAt: string;
}

/** A quote sent to a buyer. */
export interface CrmQuote {
  id: string;
  dealId: string | null;
  title: string;
  /** HubSpot `hs_status`: DRAFT, PENDING_APPROVAL, APPROVAL_NOT_NEEDED (published), APPROVED, REJECTED. */
  status: string;
  amount: number | null;
  /** When it went out (ISO instant). */
  sentAt: string;
  /** Its last valid day, YYYY-MM-DD. */
  expiresOn: string;
}

/** One line of a deal: a SKU at a unit price with a line discount. */
export interface CrmLineItem {
  id: string;
  dealId: string;
  sku: string;
  name: string;
  quantity: number;
  /** Unit price before the line discount. */
  price: number;
  /** Line discount in percent (HubSpot `hs_discount_percentage`). */
  discountPct: number;
}

/** A product of the price list: its wholesale list price and unit cost. */
export interface CrmProduct {
  sku: string;
  name: string;
  /** The wholesale list price (HubSpot product `price`). */
  wholesalePrice: number;
  /** Landed unit cost (HubSpot `hs_cost_of_goods_sold`); null when the CRM does not hold it. */
  unitCost: number | null;
}

/** An inbound wholesale inquiry (HubSpot: a contact with lifecyclestage = lead from the wholesale form). */
export interface CrmLead {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  company: string;
  /** Two-letter state. */
  state: string;
  /** Retail segment from the form (grocery, gift, distributor …). */
  segment: string;
  storeCount: number;
  /** The inquiry text as the buyer typed it: untrusted. */
  message: string;
  ownerId: string | null;
  createdAt: string;
}

/** A row of the territory table: leads in this state and segment go to this team ('*' = any). */
export interface CrmTerritory {
  state: string;
  segment: string;
  team: string;
}

/** Which team an owner sells in (HubSpot: the owner's primary team). */
export interface CrmOwnerTeam {
  ownerId: string;
  team: string | null;
}

/** Set a lead's owner, once per key. */
export interface AssignLeadInput {
  leadId: string;
  ownerId: string;
  idempotencyKey: string;
}

/** What an assignment did; `applied` is false for a repeat of the same key. */
export interface AssignLeadResult {
  leadId: string;
  ownerId: string;
  applied: boolean;
}

/** An email to a lead sent from (and logged for) its owner, once per key. */
export interface LeadEmailInput {
  leadId: string;
  ownerId: string;
  to: string;
  subject: string;
  body: string;
  idempotencyKey: string;
}

/** What a lead email did; `created` is false when the key had already been used. */
export interface LeadEmailResult {
  emailId: string;
  created: boolean;
}

/** The vendor-setup checklist of a newly won wholesale account (HubSpot company properties `onboarding_*`). */
export const ONBOARDING_ITEMS = ['credit_application', 'resale_certificate', 'item_setup', 'first_po'] as const;

/** One checklist item. */
export type OnboardingItem = (typeof ONBOARDING_ITEMS)[number];

/** The account a deal was won with, and which checklist items are done. */
export interface AccountOnboarding {
  dealId: string;
  accountId: string;
  account: string;
  done: Record<OnboardingItem, boolean>;
}

/** A target retailer that does not buy from us yet, with its buyer. */
export interface CrmProspect {
  id: string;
  name: string;
  domain: string;
  state: string;
  segment: string;
  storeCount: number;
  /** When anyone last reached out (HubSpot `notes_last_contacted`); null when never. */
  lastContactedAt: string | null;
  hasOpenDeal: boolean;
  /** On the suppression list: never cold-emailed. */
  suppressed: boolean;
  buyer: { contactId: string | null; firstName: string; lastName: string; email: string } | null;
}

/** A fact a rep may state about a brand. */
export interface BrandFact {
  brand: string;
  fact: string;
}

/** An intro email to a prospect's buyer, sent from and logged for the rep, once per key. */
export interface ProspectEmailInput {
  prospectId: string;
  contactId: string | null;
  ownerId: string;
  to: string;
  subject: string;
  body: string;
  idempotencyKey: string;
}

/** The activity half of the CRM, read by the sales jobs; writes exactly once per key. */
export interface CrmActivity {
  /** Calls, emails and meetings with hs_timestamp in [since, until). */
  listEngagements(options: { since: Date; until: Date }): Promise<CrmEngagement[]>;
  /** Tasks not completed, with their deal. */
  listOpenTasks(): Promise<CrmTask[]>;
  listQuotes(): Promise<CrmQuote[]>;
  /** The line items of these deals. */
  listDealLineItems(dealIds: readonly string[]): Promise<CrmLineItem[]>;
  /** The price list. */
  listProducts(): Promise<CrmProduct[]>;
  /** Inbound wholesale leads created since an instant. */
  listLeads(options: { since: Date }): Promise<CrmLead[]>;
  /** The territory table (empty when the CRM keeps none: leads then go round-robin to every owner). */
  listTerritories(): Promise<CrmTerritory[]>;
  listOwnerTeams(): Promise<CrmOwnerTeam[]>;
  /** The company of each deal with its onboarding checklist. */
  listAccountOnboarding(dealIds: readonly string[]): Promise<AccountOnboarding[]>;
  /** Target retailers with their buyer. */
  listProspects(): Promise<CrmProspect[]>;
  /** The brand facts outreach may use (kept in the brain with the company's content, whatever the CRM). */
  listBrandFacts(): Promise<BrandFact[]>;
  /** Exactly once per idempotency key; marks the company contacted. */
  sendProspectEmail(input: ProspectEmailInput): Promise<LeadEmailResult>;
  /** Exactly once per idempotency key. */
  assignLead(input: AssignLeadInput): Promise<AssignLeadResult>;
  /** Exactly once per idempotency key. */
  sendLeadEmail(input: LeadEmailInput): Promise<LeadEmailResult>;
}
