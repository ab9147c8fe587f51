import type { Db } from '@jbot/core';
import { ConnectorError } from '../connector-error.js';
import { callVendor } from '../vendor-call.js';
import { deductionKindOf, type AccountingConnector, type CustomerCreditNote, type ReceivableInvoice, type ReceivedPayment } from './accounting-connector.js';
import { createXeroTokenSource, type XeroCredentials } from './xero-token.js';

/** What the live Xero connector needs. */
export interface XeroAccountingOptions extends XeroCredentials {
  /** The organisation (Xero-tenant-id). */
  tenantId: string;
  /** https://api.xero.com/api.xro/2.0 unless overridden (XERO_API_BASE). */
  apiBase: string;
  timeoutMs: number;
  abortSignal?: AbortSignal;
  /** The brain: it keeps Xero's rotated refresh token. */
  db: Db;
}

type XeroModule = typeof import('xero-node');
type XeroClient = InstanceType<XeroModule['XeroClient']>;

// Xero pages lists at 100 by default; pageSize is capped at 1000.
const PAGE_SIZE = 100;

let sdk: Promise<XeroModule> | undefined;
// Loaded on first use: a bot that never reads the books never loads xero-node (and its openid-client).
const loadXero = () => (sdk ??= import('xero-node'));

// xero-node turns Xero's "/Date(1759276800000+0000)/" into a Date; a plain date string stays as sent.
function dayOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const raw = String(value ?? '');
  const ms = /^\/Date\((-?\d+)/.exec(raw);
  return ms === null ? raw.slice(0, 10) : new Date(Number(ms[1])).toISOString().slice(0, 10);
}

function instantOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const ms = /^\/Date\((-?\d+)/.exec(String(value ?? ''));
  return ms === null ? new Date(String(value)).toISOString() : new Date(Number(ms[1])).toISOString();
}

// xero-node rejects an HTTP error with a JSON string of { response: { statusCode, body } } (headers
// redacted of the token), and a non-2xx answer with { response, body }.
function statusOf(error: unknown): number | null {
  let parsed: unknown = error;
  if (typeof error === 'string') {
    try {
      parsed = JSON.parse(error);
    } catch {
      return null;
    }
  }
  const response = (parsed as { response?: { statusCode?: number; status?: number } } | null)?.response;
  const status = response?.statusCode ?? response?.status ?? null;
  return status === 0 ? null : status;
}

function xeroError(operation: string, error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const code = statusOf(error);
  return new ConnectorError(
    'xero_call_failed',
    `Xero ${operation} failed${code === null ? '' : ` (HTTP ${code})`}: check XERO_TENANT_ID and the app's scopes (accounting.transactions.read, accounting.contacts.read)`,
    {
      facts: { operation, status: code },
      cause: error instanceof Error ? error : new Error(typeof error === 'string' ? error.slice(0, 500) : String(error)),
    },
  );
}

/**
 * The books on Xero through xero-node's AccountingApi: receivable invoices with an amount due,
 * payments and credit notes, mapped to the fleet's own shapes. The customer's CRM company id is the
 * Xero contact's AccountNumber (the usual place an integration keeps it).
 */
export function createXeroAccountingConnector(options: XeroAccountingOptions): AccountingConnector {
  const limits = { timeoutMs: options.timeoutMs, ...(options.abortSignal === undefined ? {} : { signal: options.abortSignal }) };
  const accessToken = createXeroTokenSource(options.db, options, limits);
  let client: XeroClient | undefined;

  async function call<Result>(operation: string, run: (api: XeroClient['accountingApi']) => Promise<{ body: Result }>): Promise<Result> {
    const attempt = async () => {
      const token = await accessToken();
      return callVendor('Xero', operation, limits, async () => {
        if (client === undefined) {
          const { XeroClient } = await loadXero();
          client = new XeroClient();
          client.accountingApi.basePath = options.apiBase;
        }
        client.setTokenSet({ access_token: token, token_type: 'Bearer' });
        return (await run(client.accountingApi)).body;
      });
    };
    try {
      try {
        return await attempt();
      } catch (error) {
        // An access token Xero no longer accepts (revoked or expired early): refresh once and retry the read.
        if (statusOf(error) !== 401) throw error;
        accessToken.invalidate();
        return await attempt();
      }
    } catch (error) {
      throw xeroError(operation, error);
    }
  }

  // Pages until a short page: Xero has no "next" cursor, only page numbers.
  async function allPages<Item>(operation: string, fetchPage: (api: XeroClient['accountingApi'], page: number) => Promise<{ body: Item[] }>): Promise<Item[]> {
    const items: Item[] = [];
    for (let page = 1; ; page += 1) {
      const batch = await call(operation, (api) => fetchPage(api, page));
      items.push(...batch);
      if (batch.length < PAGE_SIZE) return items;
    }
  }

  async function contactsById(ids: readonly string[]): Promise<Map<string, { accountNumber: string | null; email: string | null }>> {
    const found = new Map<string, { accountNumber: string | null; email: string | null }>();
    for (let start = 0; start < ids.length; start += 50) {
      const body = await call('contacts get', (api) => api.getContacts(options.tenantId, undefined, undefined, undefined, ids.slice(start, start + 50)));
      for (const contact of body.contacts ?? [])
        if (contact.contactID !== undefined)
          found.set(contact.contactID, {
            accountNumber: contact.accountNumber ?? null,
            email: contact.emailAddress === undefined || contact.emailAddress === '' ? null : contact.emailAddress,
          });
    }
    return found;
  }

  return {
    source: 'xero',
    async listOpenInvoices() {
      const invoices = await allPages('invoices list', async (api, page) => {
        const result = await api.getInvoices(
          options.tenantId,
          undefined,
          'Type=="ACCREC" AND AmountDue>0',
          'DueDate ASC',
          undefined,
          undefined,
          undefined,
          ['AUTHORISED'],
          page,
          false,
          undefined,
          undefined,
          false,
          PAGE_SIZE,
        );
        return { body: result.body.invoices ?? [] };
      });
      const contacts = await contactsById([
        ...new Set(invoices.flatMap((invoice) => (invoice.contact?.contactID === undefined ? [] : [invoice.contact.contactID]))),
      ]);
      return invoices.map((invoice): ReceivableInvoice => {
        const contact = contacts.get(invoice.contact?.contactID ?? '');
        return {
          id: invoice.invoiceID ?? '',
          number: invoice.invoiceNumber ?? invoice.invoiceID ?? '',
          accountId: contact?.accountNumber ?? null,
          customerName: invoice.contact?.name ?? '',
          customerEmail: contact?.email ?? null,
          issuedOn: dayOf(invoice.date),
          dueOn: dayOf(invoice.dueDate),
          total: invoice.total ?? 0,
          amountDue: invoice.amountDue ?? 0,
          currency: String(invoice.currencyCode ?? 'USD'),
          updatedAt: invoice.updatedDateUTC === undefined ? '' : instantOf(invoice.updatedDateUTC),
        };
      });
    },
    async listPayments({ since }) {
      const [year, month, day] = since.split('-').map(Number);
      const payments = await allPages('payments list', async (api, page) => {
        const result = await api.getPayments(
          options.tenantId,
          undefined,
          `PaymentType=="ACCRECPAYMENT" AND Date>=DateTime(${year}, ${month}, ${day})`,
          'Date DESC',
          page,
          PAGE_SIZE,
        );
        return { body: result.body.payments ?? [] };
      });
      const contacts = await contactsById([
        ...new Set(payments.flatMap((payment) => (payment.invoice?.contact?.contactID === undefined ? [] : [payment.invoice.contact.contactID]))),
      ]);
      return payments.map((payment): ReceivedPayment => ({
        id: payment.paymentID ?? '',
        invoiceId: payment.invoice?.invoiceID ?? '',
        accountId: contacts.get(payment.invoice?.contact?.contactID ?? '')?.accountNumber ?? null,
        customerName: payment.invoice?.contact?.name ?? '',
        amount: payment.amount ?? 0,
        paidOn: dayOf(payment.date),
        reference: payment.reference === undefined || payment.reference === '' ? null : payment.reference,
      }));
    },
    async listCreditNotes({ since }) {
      const [year, month, day] = since.split('-').map(Number);
      const notes = await allPages('credit notes list', async (api, page) => {
        const result = await api.getCreditNotes(
          options.tenantId,
          undefined,
          `Type=="ACCRECCREDIT" AND Date>=DateTime(${year}, ${month}, ${day})`,
          'Date DESC',
          page,
          undefined,
          PAGE_SIZE,
        );
        return { body: result.body.creditNotes ?? [] };
      });
      const contacts = await contactsById([...new Set(notes.flatMap((note) => (note.contact?.contactID === undefined ? [] : [note.contact.contactID])))]);
      return notes.map((note): CustomerCreditNote => ({
        id: note.creditNoteID ?? '',
        accountId: contacts.get(note.contact?.contactID ?? '')?.accountNumber ?? null,
        customerName: note.contact?.name ?? '',
        invoiceId: note.allocations?.[0]?.invoice?.invoiceID ?? null,
        amount: note.total ?? 0,
        issuedOn: dayOf(note.date),
        reason: note.reference === undefined || note.reference === '' ? null : note.reference,
      }));
    },
    // Xero holds a deduction as an ACCREC credit note whose Reference is the retailer's reason
    // code; it has no dispute deadline (the job applies its default window) and no shipment link.
    async listDeductions({ since }) {
      const notes = await this.listCreditNotes({ since });
      return notes.map((note) => ({
        id: note.id,
        accountId: note.accountId,
        customerName: note.customerName,
        invoiceId: note.invoiceId,
        kind: deductionKindOf(note.reason),
        reasonCode: note.reason,
        amount: note.amount,
        takenOn: note.issuedOn,
        disputeBy: null,
        shipmentId: null,
        arEmail: null,
        updatedAt: note.issuedOn,
      }));
    },
    // Proofs of delivery are not in the books: shipbot's POD table, once it exists.
    async listProofsOfDelivery() {
      return [];
    },
  };
}
