import type { Db } from '@jbot/core';
import { day, instant, numberOrNull, text } from '../sample/row-values.js';
import type { AccountingConnector, DeductionKind } from './accounting-connector.js';

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
    async listDeductions({ since }) {
      const rows = await db.rpc('sample_accounting_deductions', { p_since: since });
      return rows.map((row) => ({
        id: String(row['deduction_id']),
        accountId: text(row['account_id']),
        customerName: text(row['account_name']) ?? String(row['account_id']),
        invoiceId: text(row['invoice_id']),
        kind: String(row['kind']) as DeductionKind,
        reasonCode: text(row['reason_code']),
        amount: numberOrNull(row['amount']) ?? 0,
        takenOn: day(row['taken_on']),
        disputeBy: row['dispute_by'] === null ? null : day(row['dispute_by']),
        shipmentId: text(row['shipment_id']),
        arEmail: text(row['ar_email']),
        updatedAt: instant(row['updated_at']) ?? '',
      }));
    },
    async listProofsOfDelivery({ shipmentIds }) {
      if (shipmentIds.length === 0) return [];
      const rows = await db.rpc('sample_accounting_pods', { p_shipment_ids: [...shipmentIds] });
      return rows.map((row) => ({
        shipmentId: String(row['shipment_id']),
        invoiceId: text(row['invoice_id']),
        promisedOn: day(row['promised_on']),
        deliveredOn: row['delivered_on'] === null ? null : day(row['delivered_on']),
        unitsShipped: numberOrNull(row['units_shipped']) ?? 0,
        unitsReceived: numberOrNull(row['units_received']),
        signedBy: text(row['signed_by']),
      }));
    },
  };
}
