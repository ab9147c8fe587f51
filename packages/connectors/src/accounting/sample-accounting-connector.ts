import type { Db } from '@jbot/core';
import { day, instant, numberOrNull, text } from '../sample/row-values.js';
import type { AccountingConnector } from './accounting-connector.js';

/** The books over the sample company's tables (accounting.json). */
export function createSampleAccountingConnector(db: Db): AccountingConnector {
  return {
    source: 'sample',
    async listOpenInvoices() {
      const rows = await db.rpc('sample_accounting_open_invoices');
      return rows.map((row) => ({
        id: String(row['invoice_id']),
        number: String(row['invoice_id']),
        accountId: text(row['account_id']),
        customerName: text(row['account_name']) ?? String(row['account_id']),
        customerEmail: text(row['contact_email']),
        issuedOn: day(row['issued_on']),
        dueOn: day(row['due_on']),
        total: numberOrNull(row['total']) ?? 0,
        amountDue: numberOrNull(row['amount_due']) ?? 0,
        currency: String(row['currency']),
        updatedAt: instant(row['updated_at']) ?? '',
      }));
    },
    async listPayments({ since }) {
      const rows = await db.rpc('sample_accounting_payments', { p_since: since });
      return rows.map((row) => ({
        id: String(row['payment_id']),
        invoiceId: String(row['invoice_id']),
        accountId: text(row['account_id']),
        customerName: text(row['account_name']) ?? String(row['account_id']),
        amount: numberOrNull(row['amount']) ?? 0,
        paidOn: day(row['paid_on']),
        reference: text(row['reference']),
      }));
    },
    async listCreditNotes({ since }) {
      const rows = await db.rpc('sample_accounting_credit_notes', { p_since: since });
      return rows.map((row) => ({
        id: String(row['credit_note_id']),
        accountId: text(row['account_id']),
        customerName: text(row['account_name']) ?? String(row['account_id']),
        invoiceId: text(row['invoice_id']),
        amount: numberOrNull(row['amount']) ?? 0,
        issuedOn: day(row['issued_on']),
        reason: text(row['reason']),
      }));
    },
  };
}
