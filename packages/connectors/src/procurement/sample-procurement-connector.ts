import type { Db } from '@jbot/core';
import { day, instant, jsonArray, text } from '../sample/row-values.js';
import type { ProcurementConnector, RegisteredPurchaseOrder, SentSupplierMessage, SupplierMessage } from './procurement-connector.js';

const dayOrNull = (value: unknown) => (value === null || value === undefined ? null : day(value));

/** Purchasing over the sample company's PO register, receipts and outboxes; every write keyed by the approval. */
export function createSampleProcurementConnector(db: Db): ProcurementConnector {
  return {
    source: 'sample',
    async listSuppliers() {
      const rows = await db.rpc('sample_procurement_suppliers');
      return rows.map((row) => ({
        id: String(row['supplier_id']),
        name: String(row['name']),
        city: String(row['city']),
        country: String(row['country']),
        email: String(row['email']),
        language: String(row['language']),
        currency: String(row['currency']),
        port: String(row['port']),
        keywords: jsonArray<string>(row['keywords']).map(String),
        lane: String(row['lane']),
      }));
    },
    async listPurchaseOrders() {
      const rows = await db.rpc('sample_procurement_purchase_orders');
      return rows.map((row): RegisteredPurchaseOrder => ({
        id: String(row['po_id']),
        supplierId: String(row['supplier_id']),
        currency: String(row['currency']),
        lines: jsonArray<Record<string, unknown>>(row['lines']).map((line) => ({
          sku: String(line['sku']),
          quantity: Number(line['quantity']),
          unitCost: Number(line['unit_cost'] ?? line['unitCost'] ?? 0),
        })),
        sentAt: instant(row['sent_at']) ?? '',
        acknowledgedAt: instant(row['acknowledged_at']),
        readyDateOriginal: dayOrNull(row['ready_date_original']),
        readyDateConfirmed: dayOrNull(row['ready_date_confirmed']),
        booked: row['booked'] === true,
        note: text(row['note']),
        status: String(row['status']) as RegisteredPurchaseOrder['status'],
      }));
    },
    async listReceipts() {
      const rows = await db.rpc('sample_procurement_receipts');
      return rows.map((row) => ({
        shipmentId: String(row['shipment_id']),
        poId: String(row['po_id']),
        supplierId: String(row['supplier_id']),
        arrivedAt: instant(row['arrived_at']) ?? '',
        postedAt: instant(row['posted_at']),
        lines: jsonArray<Record<string, unknown>>(row['lines']).map((line) => ({
          sku: String(line['sku']),
          expected: Number(line['expected']),
          received: Number(line['received']),
          damaged: Number(line['damaged'] ?? 0),
          damageCode: text(line['damage_code']),
          note: text(line['note']),
        })),
      }));
    },
    async listPurchaseOrderHistory(since) {
      const rows = await db.rpc('sample_procurement_po_history', { p_since: since });
      return rows.map((row) => ({
        poId: String(row['po_id']),
        supplierId: String(row['supplier_id']),
        sku: String(row['sku']),
        quantity: Number(row['quantity']),
        received: Number(row['received']),
        unitCost: Number(row['unit_cost']),
        orderedAt: instant(row['ordered_at']) ?? '',
        promisedReady: day(row['promised_ready']),
        readyOn: day(row['ready_on']),
        claims: Number(row['claims']),
      }));
    },
    async listHolidays(since) {
      const rows = await db.rpc('sample_procurement_holidays', { p_since: since });
      return rows.map((row) => ({
        country: String(row['country']),
        name: String(row['name']),
        startsOn: day(row['starts_on']),
        endsOn: day(row['ends_on']),
        supplierId: text(row['supplier_id']),
      }));
    },
    async listFreightRates(since) {
      const rows = await db.rpc('sample_procurement_freight_rates', { p_since: since });
      return rows.map((row) => ({ lane: String(row['lane']), weekStart: day(row['week_start']), usdPerFeu: Number(row['usd_per_feu']) }));
    },
    async createPurchaseOrder(order) {
      const [row] = await db.rpc('sample_procurement_create_purchase_order', {
        p_idempotency_key: order.idempotencyKey,
        p_supplier_id: order.supplierId,
        p_currency: order.currency,
        p_lines: order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unit_cost: line.unitCost })),
        p_location: order.location,
        p_eta: order.eta,
        p_ready_date: order.readyDate,
      });
      return { poId: String(row?.['po_id']), created: row?.['created'] === true };
    },
    async sendMessage(message: SupplierMessage) {
      const [row] = await db.rpc('sample_procurement_send_message', {
        p_idempotency_key: message.idempotencyKey,
        p_supplier_id: message.supplierId,
        p_kind: message.kind,
        p_to: message.to,
        p_subject: message.subject,
        p_body: message.body,
        p_refs: message.refs ?? {},
      });
      return { messageId: String(row?.['message_id']), created: row?.['created'] === true };
    },
    async listMessages(kind) {
      const rows = await db.rpc('sample_procurement_list_messages', { p_kind: kind ?? null });
      return rows.map((row): SentSupplierMessage => ({
        messageId: String(row['message_id']),
        idempotencyKey: String(row['idempotency_key']),
        supplierId: text(row['supplier_id']),
        kind: String(row['kind']) as SupplierMessage['kind'],
        to: String(row['to_address']),
        subject: String(row['subject']),
        body: String(row['body']),
        refs: (row['refs'] ?? {}) as Record<string, unknown>,
        createdAt: instant(row['created_at']) ?? '',
      }));
    },
    async recordLeadTimes(stats) {
      const [row] = await db.rpc('sample_procurement_record_lead_times', {
        p_rows: stats.map((stat) => ({ supplier_id: stat.supplierId, sku: stat.sku, mean_days: stat.meanDays, sd_days: stat.sdDays, samples: stat.samples })),
      });
      return Number(Object.values(row ?? {})[0] ?? 0);
    },
    async listLeadTimes() {
      const rows = await db.rpc('sample_procurement_lead_times');
      return rows.map((row) => ({
        supplierId: String(row['supplier_id']),
        sku: String(row['sku']),
        meanDays: Number(row['mean_days']),
        sdDays: Number(row['sd_days']),
        samples: Number(row['samples']),
      }));
    },
    async recordDemandBump(bump) {
      const [row] = await db.rpc('sample_procurement_record_demand_bump', {
        p_idempotency_key: bump.idempotencyKey,
        p_deal_id: bump.dealId,
        p_account: bump.account,
        p_sku: bump.sku,
        p_quantity: bump.quantity,
        p_first_ship_date: bump.firstShipDate,
        p_open_po_ids: bump.openPoIds,
      });
      return { created: row?.['created'] === true };
    },
    async listDemandBumps() {
      const rows = await db.rpc('sample_procurement_demand_bumps');
      return rows.map((row) => ({
        dealId: String(row['deal_id']),
        account: String(row['account']),
        sku: String(row['sku']),
        quantity: Number(row['quantity']),
        firstShipDate: dayOrNull(row['first_ship_date']),
        openPoIds: jsonArray<string>(row['open_po_ids']).map(String),
      }));
    },
  };
}
