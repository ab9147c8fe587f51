import type { CrmCompany, UpdateCompanyInput, UpdateCompanyResult } from './crm-companies.js';
import type { DealPropertyChange, DealStage, RevenueGoal } from './crm-pipeline.js';
import type { CrmSearchMethods } from './crm-search.js';

/** A deal as the fleet sees it, whichever CRM it came from (HubSpot property names in `properties`). */
export interface Deal {
  id: string;
  name: string;
  /** Pipeline stage id (HubSpot: appointmentscheduled … closedwon, closedlost). */
  stage: string;
  amount: number | null;
  ownerId: string | null;
  ownerName: string | null;
  accountName: string | null;
  /** The primary contact, when the source knows it without another call. */
  contactEmail: string | null;
  contactName: string | null;
  createdAt: string;
  closedAt: string | null;
  isClosed: boolean;
  isClosedWon: boolean;
  /** Last logged activity (HubSpot `notes_last_updated`); null when never touched. */
  lastActivityAt: string | null;
  /** The expected (open) or actual (closed) close date as YYYY-MM-DD (HubSpot `closedate`); null when unset. */
  closeDate: string | null;
  /** The rep's next step (HubSpot `hs_next_step`); null when empty. */
  nextStep: string | null;
  /** Why a lost deal was lost (HubSpot `closed_lost_reason`); null when empty. */
  closedLostReason: string | null;
  /** Raw CRM properties, strings as HubSpot returns them. */
  properties: Record<string, string>;
}

/** A CRM user who owns deals. */
export interface DealOwner {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
}

/** A person at the deal's account, primary contact first. */
export interface DealContact {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  title: string | null;
  isPrimary: boolean;
}

/** A wholesale account that sells on Amazon under its own seller id (a MAP case when it takes our Buy Box below MAP). */
export interface SellerAccount {
  sellerId: string;
  accountId: string;
  accountName: string;
}

/** An email to log (HubSpot: an email engagement associated with the deal and contact). */
export interface SendEmailInput {
  dealId: string;
  to: string;
  subject: string;
  body: string;
  /** Exactly one email per key, however often the call is retried (use the approval's key). */
  idempotencyKey: string;
  contactId?: string;
}

/** What a send did; `created` is false when the key had already been used (nothing sent again). */
export interface SendEmailResult {
  emailId: string;
  created: boolean;
  sentAt: string;
}

/** A deal update: HubSpot-style string properties (e.g. `{ jbot_status: 're-engaged' }`). */
export interface UpdateDealInput {
  dealId: string;
  properties: Record<string, string>;
  idempotencyKey: string;
}

/** What an update did; `applied` is false for a repeat of the same key. */
export interface UpdateDealResult {
  dealId: string;
  applied: boolean;
  properties: Record<string, string>;
}

/** A task for a deal's owner (HubSpot: a task associated with the deal). */
export interface CreateTaskInput {
  dealId: string;
  /** The owner the task is assigned to; null leaves it unassigned (a deal without an owner). */
  ownerId: string | null;
  subject: string;
  body: string;
  /** When the task is due (ISO instant). */
  dueAt: string;
  /** Exactly one task per key, however often the call is retried (derive it from the approval's key). */
  idempotencyKey: string;
}

/** What a task create did; `created` is false when the key had already been used (no second task). */
export interface CreateTaskResult {
  taskId: string;
  created: boolean;
}

/** A logged meeting engagement (HubSpot: a meeting associated with contacts and a deal). */
export interface CrmMeeting {
  id: string;
  /** The associated contacts' email addresses (lower case). */
  contactEmails: string[];
  title: string;
  /** When it took place (ISO instant). */
  startAt: string;
}

/** A meeting to log on a contact (and its deal), once per key. */
export interface LogMeetingInput {
  contactEmail: string;
  dealId: string | null;
  title: string;
  body: string;
  startAt: string;
  endAt: string;
  idempotencyKey: string;
}

/** What logging did; `created` is false when the key had already been used. */
export interface LogMeetingResult {
  meetingId: string;
  created: boolean;
}

/** The CRM the sales bots read and, after approval, write. */
export interface CrmConnector extends CrmSearchMethods {
  readonly source: 'sample' | 'hubspot';
  listDeals(): Promise<Deal[]>;
  listOwners(): Promise<DealOwner[]>;
  listDealContacts(dealId: string): Promise<DealContact[]>;
  /** Our wholesale accounts selling on Amazon under these seller ids (company property amazon_seller_id). */
  findAccountsBySellerId(sellerIds: readonly string[]): Promise<SellerAccount[]>;
  /** Exactly once per idempotency key. */
  sendEmail(input: SendEmailInput): Promise<SendEmailResult>;
  /** Exactly once per idempotency key. */
  updateDeal(input: UpdateDealInput): Promise<UpdateDealResult>;
  /** Exactly once per idempotency key. */
  createTask(input: CreateTaskInput): Promise<CreateTaskResult>;
  /** Meetings logged since an instant (meeting-followups checks before drafting a recap). */
  listMeetings(options: { since: Date }): Promise<CrmMeeting[]>;
  /** Exactly once per idempotency key; the contact must exist in the CRM. */
  logMeeting(input: LogMeetingInput): Promise<LogMeetingResult>;
  /** Every company (wholesale account) with its owner and account properties (see crm-companies.ts). */
  listCompanies(): Promise<CrmCompany[]>;
  /** Exactly once per idempotency key (credit holds, line-review dates …). */
  updateCompany(input: UpdateCompanyInput): Promise<UpdateCompanyResult>;
  /** Changes of dealstage, amount and closedate since an instant, oldest first (see crm-pipeline.ts). */
  listDealHistory(options: { since: Date }): Promise<DealPropertyChange[]>;
  /** The deal pipeline's stages with their win probabilities. */
  listDealStages(): Promise<DealStage[]>;
  /** Revenue goals (the quarter's new-bookings target). */
  listRevenueGoals(): Promise<RevenueGoal[]>;
}

/** Stage ids that mean the deal is over. */
export const CLOSED_STAGES = new Set(['closedwon', 'closedlost']);

// HubSpot's default sales pipeline: the stage ids its API returns and the labels its UI shows.
const DEFAULT_PIPELINE_LABELS: Readonly<Record<string, string>> = {
  appointmentscheduled: 'Appointment scheduled',
  qualifiedtobuy: 'Qualified to buy',
  presentationscheduled: 'Presentation scheduled',
  decisionmakerboughtin: 'Decision maker bought-in',
  contractsent: 'Contract sent',
  closedwon: 'Closed won',
  closedlost: 'Closed lost',
};

/** The label people know a pipeline stage by (HubSpot's default pipeline); a custom stage's id as it is. */
export function dealStageLabel(stage: string): string {
  return DEFAULT_PIPELINE_LABELS[stage] ?? stage;
}

// Engagements, tasks, quotes, line items, products and leads: the sales jobs' reads and the lead
// router's writes (declared in crm-activity.ts, merged into the connector here).
import type { CrmActivity } from './crm-activity.js';
/** The CRM connector also carries the selling activity the sales jobs read. */
export interface CrmConnector extends CrmActivity {
  readonly source: 'sample' | 'hubspot';
}

// Bounced contacts and inbound email text (buyer-turnover; declared in crm-turnover.ts).
import type { CrmTurnoverMethods } from './crm-turnover.js';
/** The CRM connector also answers who bounced and what buyers wrote back. */
export interface CrmConnector extends CrmTurnoverMethods {
  readonly source: 'sample' | 'hubspot';
}
