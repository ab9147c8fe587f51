/** The headers of one received email: what triage reads (never the body; the snippet is untrusted text). */
export interface MailHeader {
  id: string;
  threadId: string;
  /** The sender's address (lower case). */
  fromEmail: string;
  /** The sender's display name, or the address. */
  fromName: string;
  to: string[];
  subject: string;
  /** The first line or so of the body, as the mail service gives it (untrusted). */
  snippet: string;
  /** ISO instant received. */
  receivedAt: string;
  labels: string[];
  /** The List-Unsubscribe header was present: a newsletter or bulk mail. */
  bulk: boolean;
}

/** An email to send (plain text, optional attachments). */
export interface SendMailInput {
  to: string[];
  subject: string;
  body: string;
  attachments?: Array<{ filename: string; mimeType: string; content: string }>;
  /** The approval's key: a retry after a crash or on another host sends nothing twice. */
  idempotencyKey: string;
}

/** What sending did. */
export interface SendMailResult {
  messageId: string;
  /** false: already sent under this key (nothing sent now). */
  sent: boolean;
}

/** New mail since a cursor, and the cursor to pass next time. */
export interface NewMail {
  messages: MailHeader[];
  /** Gmail's historyId (or the sample's): pass it to the next listNew. */
  cursor: string;
}

/** The operator's mailbox: new inbox mail (headers), and sending approved emails. */
export interface MailConnector {
  readonly source: 'sample' | 'gmail';
  /** The executive distribution list when none is configured (the sample company's; empty for a live mailbox). */
  readonly defaultExecList: readonly string[];
  /** VIP domains the mailbox itself knows beyond the CRM's accounts (the sample's auditor and board; none for Gmail). */
  vipDomains(): Promise<string[]>;
  /** Inbox messages added after `cursor`; with no cursor, those received in the last `initialHours`. */
  listNew(cursor: string | null, options: { initialHours: number }): Promise<NewMail>;
  /** Send once per idempotency key. */
  send(input: SendMailInput): Promise<SendMailResult>;
}
