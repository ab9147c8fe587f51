import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb, type Db } from '@jbot/core';
import { freshDatabase, startFakeXero, type FakeXero, type TestDatabase } from '@jbot/testkit';
import {
  ConnectorError,
  createConnectors,
  daysPastDue,
  loadSampleCompany,
  readSampleCompanyData,
  xeroObjectsFromSample,
  type Connectors,
} from '../src/index.js';

// The live Xero adapter at the transport: xero-node's AccountingApi against a fake speaking Xero's
// JSON ("/Date(…)/" dates, PascalCase, page numbers), and the identity server's rotating refresh token.
describe('accounting connector: sample books and live Xero', () => {
  let database: TestDatabase;
  let db: Db;
  let xero: FakeXero;
  let live: Connectors;
  const now = new Date();
  const today = now.toISOString().slice(0, 10);

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 4 });
    await loadSampleCompany(db, { now });
    const objects = xeroObjectsFromSample(readSampleCompanyData(), now);
    xero = await startFakeXero({
      seed: { contacts: objects.contacts, invoices: objects.invoices, payments: objects.payments },
      refreshToken: 'consent-refresh',
    });
    live = createConnectors({
      db,
      env: {
        XERO_CLIENT_ID: xero.clientId,
        XERO_CLIENT_SECRET: xero.clientSecret,
        XERO_REFRESH_TOKEN: 'consent-refresh',
        XERO_TENANT_ID: xero.tenantId,
        XERO_API_BASE: xero.apiBase,
        XERO_TOKEN_URL: xero.tokenUrl,
      },
    });
  });
  afterAll(async () => {
    await xero?.close();
    await db?.close();
    await database?.drop();
  });

  const aging = (invoices: Awaited<ReturnType<Connectors['accounting']['listOpenInvoices']>>) =>
    invoices.map((invoice) => [invoice.number, invoice.accountId, invoice.customerName, invoice.dueOn, invoice.amountDue]).sort();

  it('the sample books hold 80 invoices with 7 past due, one of them more than 60 days', async () => {
    const open = await createConnectors({ db, env: {} }).accounting.listOpenInvoices();
    expect(open).toHaveLength(25);
    const overdue = open.filter((invoice) => daysPastDue(invoice, today) > 0).map((invoice) => daysPastDue(invoice, today));
    expect(overdue.sort((left, right) => left - right)).toEqual([5, 12, 21, 38, 45, 52, 74]);
  });

  it('reads the same open invoices from Xero, joined to CRM companies through the contact AccountNumber', async () => {
    const sample = await createConnectors({ db, env: {} }).accounting.listOpenInvoices();
    const fromXero = await live.accounting.listOpenInvoices();
    expect(live.accounting.source).toBe('xero');
    expect(aging(fromXero)).toEqual(aging(sample));
    expect(fromXero.find((invoice) => invoice.accountId === '90412063')?.customerEmail).toBe(
      sample.find((invoice) => invoice.accountId === '90412063')?.customerEmail,
    );
    // Asked the way Xero documents it: receivables with an amount due, authorised, paged.
    const invoiceCall = xero.requests.find((request) => request.path.endsWith('/Invoices'));
    expect(new URLSearchParams(invoiceCall?.query).get('where')).toBe('Type=="ACCREC" AND AmountDue>0');
    expect(new URLSearchParams(invoiceCall?.query).get('page')).toBe('1');
  });

  it('reads payments since a day', async () => {
    const since = new Date(now.getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
    const sample = await createConnectors({ db, env: {} }).accounting.listPayments({ since });
    const fromXero = await live.accounting.listPayments({ since });
    expect(sample.length).toBeGreaterThan(0);
    const shape = (payments: typeof sample) => payments.map((payment) => [payment.accountId, payment.amount, payment.paidOn]).sort();
    expect(shape(fromXero)).toEqual(shape(sample));
  });

  it('refreshes the access token with the rotated refresh token, kept in the brain for the next process', async () => {
    const before = xero.tokenRequests.length;
    xero.expireAccessTokens();
    await live.accounting.listOpenInvoices();
    expect(xero.tokenRequests.length).toBe(before + 1);
    expect(xero.tokenRequests.every((request) => request.granted)).toBe(true);
    // A fresh process (the standby host) starts from the brain's rotation, not the spent consent token.
    const [stored] = await db.rpc('connector_refresh_token_get', { p_connector: 'xero' });
    expect(stored?.['refresh_token']).toBe(xero.currentRefreshToken());
    const restarted = createConnectors({
      db,
      env: {
        XERO_CLIENT_ID: xero.clientId,
        XERO_CLIENT_SECRET: xero.clientSecret,
        XERO_REFRESH_TOKEN: 'consent-refresh',
        XERO_TENANT_ID: xero.tenantId,
        XERO_API_BASE: xero.apiBase,
        XERO_TOKEN_URL: xero.tokenUrl,
      },
    });
    await restarted.accounting.listOpenInvoices();
    expect(xero.tokenRequests.at(-1)).toEqual({ refreshToken: stored?.['refresh_token'], granted: true });
  });

  it('says what to do when Xero refuses the credentials, without the secret in the message', async () => {
    const other = await freshDatabase();
    const otherDb = createPostgresDb({ url: other.url, poolMax: 2 });
    try {
      const refused = createConnectors({
        db: otherDb,
        env: {
          XERO_CLIENT_ID: xero.clientId,
          XERO_CLIENT_SECRET: 'wrong-secret-value',
          XERO_REFRESH_TOKEN: 'consent-refresh',
          XERO_TENANT_ID: xero.tenantId,
          XERO_API_BASE: xero.apiBase,
          XERO_TOKEN_URL: xero.tokenUrl,
        },
      });
      const error = await refused.accounting.listOpenInvoices().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConnectorError);
      expect(String((error as Error).message)).toMatch(/XERO_REFRESH_TOKEN/);
      expect(String((error as Error).message)).not.toMatch(/wrong-secret-value/);
    } finally {
      await otherDb.close();
      await other.drop();
    }
  });

  it('names the missing variable when Xero is half configured', () => {
    expect(() => createConnectors({ db, env: { XERO_CLIENT_ID: 'x' } })).toThrow(/XERO_CLIENT_SECRET/);
  });
});
