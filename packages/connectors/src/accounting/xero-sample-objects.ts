import { createHash } from 'node:crypto';
import type { SampleCompanyData } from '../sample/sample-company-data.js';

/** A Xero Contact as the Accounting API returns it (the fields the connector reads). */
export interface XeroContactSeed {
  ContactID: string;
  Name: string;
  AccountNumber: string;
  EmailAddress: string;
  ContactStatus: 'ACTIVE';
  IsCustomer: true;
}

/** A Xero Invoice (ACCREC), dates as Xero's "/Date(ms+0000)/". */
export interface XeroInvoiceSeed {
  Type: 'ACCREC';
  InvoiceID: string;
  InvoiceNumber: string;
  Contact: { ContactID: string; Name: string };
  Date: string;
  DateString: string;
  DueDate: string;
  DueDateString: string;
  Status: 'AUTHORISED' | 'PAID';
  LineAmountTypes: 'Exclusive';
  SubTotal: number;
  TotalTax: number;
  Total: number;
  AmountDue: number;
  AmountPaid: number;
  AmountCredited: number;
  CurrencyCode: string;
  UpdatedDateUTC: string;
}

/** A Xero Payment on a receivable invoice. */
export interface XeroPaymentSeed {
  PaymentID: string;
  Date: string;
  Amount: number;
  Reference: string;
  Status: 'AUTHORISED';
  PaymentType: 'ACCRECPAYMENT';
  UpdatedDateUTC: string;
  Invoice: { InvoiceID: string; InvoiceNumber: string; Contact: { ContactID: string; Name: string } };
}

/** The sample company's books as a Xero organisation would hold them. */
export interface XeroSampleObjects {
  contacts: XeroContactSeed[];
  invoices: XeroInvoiceSeed[];
  payments: XeroPaymentSeed[];
  creditNotes: Array<Record<string, unknown>>;
}

const DAY_MS = 86_400_000;

// Xero ids are GUIDs; derive stable ones so a test can find an object again.
function guid(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const msDate = (ms: number) => `/Date(${ms}+0000)/`;

/**
 * Turn accounting.json into Xero-shaped contacts, invoices and payments with dates resolved
 * against `now` (UTC days, as the sample loader does), so a fake Xero serves the same books the
 * sample connector reads.
 */
export function xeroObjectsFromSample(data: SampleCompanyData, now: Date): XeroSampleObjects {
  const accounting = data.accounting as {
    invoices: Array<{
      id: string;
      account_id: string;
      contact_email: string;
      issued_days_ago: number;
      terms_days?: number;
      total: number;
      amount_due: number;
      currency?: string;
      status: string;
    }>;
    payments: Array<{ id: string; invoice_id: string; account_id: string; amount: number; paid_days_ago: number; reference?: string }>;
  };
  const accounts = (data.hubspot as { accounts: Array<{ id: string; name: string }> }).accounts;
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const dayMs = (daysAgo: number) => today - daysAgo * DAY_MS;
  const emailOf = new Map(accounting.invoices.map((invoice) => [invoice.account_id, invoice.contact_email]));
  const contacts = accounts.map((account): XeroContactSeed => ({
    ContactID: guid(`contact:${account.id}`),
    Name: account.name,
    AccountNumber: account.id,
    EmailAddress: emailOf.get(account.id) ?? '',
    ContactStatus: 'ACTIVE',
    IsCustomer: true,
  }));
  const contactOf = new Map(accounts.map((account) => [account.id, { ContactID: guid(`contact:${account.id}`), Name: account.name }]));
  const invoices = accounting.invoices.map((invoice): XeroInvoiceSeed => {
    const issued = dayMs(invoice.issued_days_ago);
    const due = issued + (invoice.terms_days ?? 30) * DAY_MS;
    return {
      Type: 'ACCREC',
      InvoiceID: guid(`invoice:${invoice.id}`),
      InvoiceNumber: invoice.id,
      Contact: contactOf.get(invoice.account_id) ?? { ContactID: guid(`contact:${invoice.account_id}`), Name: invoice.account_id },
      Date: msDate(issued),
      DateString: new Date(issued).toISOString().slice(0, 19),
      DueDate: msDate(due),
      DueDateString: new Date(due).toISOString().slice(0, 19),
      Status: invoice.status === 'paid' ? 'PAID' : 'AUTHORISED',
      LineAmountTypes: 'Exclusive',
      SubTotal: invoice.total,
      TotalTax: 0,
      Total: invoice.total,
      AmountDue: invoice.amount_due,
      AmountPaid: invoice.total - invoice.amount_due,
      AmountCredited: 0,
      CurrencyCode: invoice.currency ?? 'USD',
      UpdatedDateUTC: msDate(now.getTime() - invoice.issued_days_ago * DAY_MS),
    };
  });
  const invoiceById = new Map(invoices.map((invoice) => [invoice.InvoiceNumber, invoice]));
  const payments = accounting.payments.map((payment): XeroPaymentSeed => {
    const invoice = invoiceById.get(payment.invoice_id);
    return {
      PaymentID: guid(`payment:${payment.id}`),
      Date: msDate(dayMs(payment.paid_days_ago)),
      Amount: payment.amount,
      Reference: payment.reference ?? '',
      Status: 'AUTHORISED',
      PaymentType: 'ACCRECPAYMENT',
      UpdatedDateUTC: msDate(dayMs(payment.paid_days_ago)),
      Invoice: {
        InvoiceID: invoice?.InvoiceID ?? guid(`invoice:${payment.invoice_id}`),
        InvoiceNumber: payment.invoice_id,
        Contact: contactOf.get(payment.account_id) ?? { ContactID: '', Name: '' },
      },
    };
  });
  return { contacts, invoices, payments, creditNotes: [] };
}
