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
  /** Deductions (short-pays, credit memos) taken on or after a day (YYYY-MM-DD), newest first. */
  listDeductions(options: { since: string }): Promise<CustomerDeduction[]>;
  /** Proofs of delivery for these shipments; a shipment with none on record is absent. */
  listProofsOfDelivery(options: { shipmentIds: readonly string[] }): Promise<ProofOfDelivery[]>;
}

const DAY_MS = 86_400_000;

/** Whole days an invoice is past due on `today` (YYYY-MM-DD); 0 or less when not yet due. */
export function daysPastDue(invoice: Pick<ReceivableInvoice, 'dueOn'>, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${invoice.dueOn}T00:00:00Z`)) / DAY_MS);
}

/** What a deduction claims: the retailer's category, mapped from its reason code. */
export type DeductionKind = 'shortage' | 'late_delivery' | 'promo' | 'pricing' | 'other';

/**
 * A deduction a retailer or distributor took off a payment (a short-pay on a remittance, or a
 * credit memo the books issued for it), with the reason code it gave and the last day to dispute.
 */
export interface CustomerDeduction {
  id: string;
  accountId: string | null;
  customerName: string;
  invoiceId: string | null;
  kind: DeductionKind;
  /** The retailer's reason code; null when the remittance gave none. */
  reasonCode: string | null;
  amount: number;
  /** YYYY-MM-DD. */
  takenOn: string;
  /** YYYY-MM-DD: the retailer's dispute deadline; null when the source does not say (the job applies its default window). */
  disputeBy: string | null;
  /** The shipment the deduction blames, for its proof of delivery. */
  shipmentId: string | null;
  /** The retailer's AR / deductions contact; null when the books have none. */
  arEmail: string | null;
  /** ISO instant: part of a fingerprint. */
  updatedAt: string;
}

/** A shipment's proof of delivery: when it was promised and arrived, and what was signed for. */
export interface ProofOfDelivery {
  shipmentId: string;
  invoiceId: string | null;
  /** YYYY-MM-DD. */
  promisedOn: string;
  /** YYYY-MM-DD; null when not delivered. */
  deliveredOn: string | null;
  unitsShipped: number;
  /** Units signed for; null when the POD does not count them. */
  unitsReceived: number | null;
  signedBy: string | null;
}

const KIND_BY_CODE: ReadonlyArray<[RegExp, DeductionKind]> = [
  [/short|shortage|missing|qty/i, 'shortage'],
  [/late|otif|fine|delay/i, 'late_delivery'],
  [/promo|tpr|mcb|scan|allowance/i, 'promo'],
  [/price|pricing|cost/i, 'pricing'],
];

/** The deduction kind a free reason code (a credit note's reference) names; `other` when none. */
export function deductionKindOf(reasonCode: string | null): DeductionKind {
  if (reasonCode === null) return 'other';
  return KIND_BY_CODE.find(([pattern]) => pattern.test(reasonCode))?.[1] ?? 'other';
}
