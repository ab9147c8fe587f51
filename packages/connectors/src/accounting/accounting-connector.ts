/**
 * An invoice a customer still owes, in the fleet's own words (no vendor shapes): Xero, QuickBooks
 * or NetSuite adapters all map to this. `accountId` is the customer's CRM company id, so AR joins
 * the pipeline (Xero: the contact's AccountNumber).
 */
export interface ReceivableInvoice {
  id: string;
  /** The number the customer sees (Xero InvoiceNumber). */
  number: string;
  accountId: string | null;
  customerName: string;
  /** Where the books send the invoice (the customer's AP address); null when the books have none. */
  customerEmail: string | null;
  /** YYYY-MM-DD. */
  issuedOn: string;
  /** YYYY-MM-DD. */
  dueOn: string;
  total: number;
  amountDue: number;
  currency: string;
  /** When the books last changed it (ISO instant): part of a ⟳ fingerprint. */
  updatedAt: string;
}

/** A payment received against an invoice. */
export interface ReceivedPayment {
  id: string;
  invoiceId: string;
  accountId: string | null;
  customerName: string;
  amount: number;
  /** YYYY-MM-DD. */
  paidOn: string;
  reference: string | null;
}

/** A credit note (credit memo) issued to a customer: deductions, returns, allowances. */
export interface CustomerCreditNote {
  id: string;
  accountId: string | null;
  customerName: string;
  invoiceId: string | null;
  amount: number;
  /** YYYY-MM-DD. */
  issuedOn: string;
  reason: string | null;
}

/** The books' receivables side, read by salesbot (AR, deductions). Read-only: reminders are CRM emails, sent after approval. */
export interface AccountingConnector {
  readonly source: 'sample' | 'xero';
  /** Invoices with an amount still due, oldest due date first. */
  listOpenInvoices(): Promise<ReceivableInvoice[]>;
  /** Payments received on or after a day (YYYY-MM-DD). */
  listPayments(options: { since: string }): Promise<ReceivedPayment[]>;
  /** Credit notes issued on or after a day (YYYY-MM-DD). */
  listCreditNotes(options: { since: string }): Promise<CustomerCreditNote[]>;
}

const DAY_MS = 86_400_000;

/** Whole days an invoice is past due on `today` (YYYY-MM-DD); 0 or less when not yet due. */
export function daysPastDue(invoice: Pick<ReceivableInvoice, 'dueOn'>, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${invoice.dueOn}T00:00:00Z`)) / DAY_MS);
}
