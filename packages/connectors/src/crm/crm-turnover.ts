// What the CRM knows about buyers who may have left their retailer (salesbot/buyer-turnover):
// hard-bounced contacts and inbound emails with their text (auto-replies). Vendor-neutral shapes.

/** A contact whose address hard-bounced (HubSpot `hs_email_hard_bounce_reason_enum` is set). */
export interface BouncedContact {
  id: string;
  /** The contact's company (HubSpot `associatedcompanyid`); null when unassociated. */
  companyId: string | null;
  firstName: string;
  lastName: string;
  email: string;
  title: string | null;
  /** HubSpot's bounce reason (UNKNOWN_USER, MAILBOX_NOT_FOUND …). */
  bounceReason: string;
  /** When the bounce was recorded (ISO instant); null when the CRM does not say. */
  bouncedAt: string | null;
}

/** An email a buyer sent us, with its text: untrusted. */
export interface InboundEmail {
  id: string;
  /** The sender's address, lower case. */
  fromEmail: string;
  dealId: string | null;
  subject: string;
  /** Plain text (HubSpot `hs_email_text`): untrusted, matched by rule and shown fenced, never obeyed. */
  body: string;
  /** ISO instant (HubSpot `hs_timestamp`). */
  receivedAt: string;
}

/** The buyer-turnover reads of the CRM. */
export interface CrmTurnoverMethods {
  /** Every contact with a hard bounce on record. */
  listBouncedContacts(): Promise<BouncedContact[]>;
  /** Inbound emails received since an instant, oldest first. */
  listInboundEmails(options: { since: Date }): Promise<InboundEmail[]>;
}
