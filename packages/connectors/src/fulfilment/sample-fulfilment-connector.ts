import type { Db } from '@jbot/core';
import { day, instant, jsonArray, numberOrNull, text } from '../sample/row-values.js';
import type { AddressVerification, ParcelConnector, ParcelShipment } from './parcel-connector.js';
import type { FulfilmentConnector, OrderRiskCase, RiskFact } from './fulfilment-connector.js';
import type { SupplyConnector } from './supply-connector.js';
import type { WarehouseConnector } from './warehouse-connector.js';

const RISK_LEVELS = new Set(['LOW', 'MEDIUM', 'HIGH', 'NONE', 'PENDING']);

/** Stock levels, order risk and holds over the sample company's Shopify-shaped tables. */
export function createSampleFulfilmentConnector(db: Db): FulfilmentConnector {
  return {
    source: 'sample',
    async listStockLevels() {
      const rows = await db.rpc('sample_fulfilment_inventory_levels');
      return rows.map((row) => ({
        sku: String(row['sku']),
        name: String(row['name']),
        price: Number(row['price']),
        location: String(row['location']),
        onHand: Number(row['on_hand']),
        committed: Number(row['committed']),
        reserved: Number(row['reserved']),
        available: Number(row['available']),
        incoming: Number(row['incoming']),
        dailyVelocity: numberOrNull(row['daily_velocity']) ?? 0,
      }));
    },
    async listOrderRisk(since) {
      const rows = await db.rpc('sample_fulfilment_order_risk', { p_since: since?.toISOString() });
      return rows.map((row): OrderRiskCase => ({
        orderId: String(row['order_id']),
        vendorId: String(row['order_id']),
        createdAt: instant(row['created_at']) ?? '',
        customerName: String(row['customer_name']),
        customerEmail: String(row['customer_email']),
        total: Number(row['total']),
        riskLevel: (RISK_LEVELS.has(String(row['risk_level'])) ? String(row['risk_level']) : 'PENDING') as OrderRiskCase['riskLevel'],
        facts: jsonArray<RiskFact>(row['facts']).map((fact) => ({ description: String(fact.description), sentiment: String(fact.sentiment) })),
        billingCountry: String(row['billing_country']),
        shippingCountry: String(row['shipping_country']),
        customerOrders: Number(row['customer_orders']),
        shippingAddress: {
          address1: text(row['ship_address1']),
          city: text(row['ship_city']),
          province: text(row['ship_province']),
          zip: text(row['ship_zip']),
          country: String(row['shipping_country']),
        },
      }));
    },
    async holdOrder(input) {
      const [row] = await db.rpc('sample_fulfilment_hold_order', {
        p_idempotency_key: input.idempotencyKey,
        p_order_id: input.orderId,
        p_kind: input.kind,
        p_reason: input.reason,
      });
      return { orderId: input.orderId, kind: input.kind, applied: row?.['applied'] === true, status: String(row?.['fulfillment_status'] ?? '') };
    },
    async listReturns(since) {
      const rows = await db.rpc('sample_fulfilment_returns', { p_since: since.toISOString() });
      return rows.map((row) => ({
        returnId: String(row['return_id']),
        orderId: String(row['order_id']),
        sku: String(row['sku']),
        quantity: Number(row['quantity']),
        reason: String(row['reason']),
        customerNote: text(row['customer_note']),
        createdAt: instant(row['created_at']) ?? '',
      }));
    },
    async sendCustomerNotice(input) {
      const [row] = await db.rpc('sample_fulfilment_send_customer_notice', {
        p_idempotency_key: input.idempotencyKey,
        p_order_id: input.orderId,
        p_to: input.to,
        p_subject: input.subject,
        p_body: input.body,
        p_kind: input.kind,
      });
      return { noticeId: String(row?.['notice_id'] ?? ''), created: row?.['created'] === true };
    },
    async setPromisedShipDate(input) {
      const [row] = await db.rpc('sample_fulfilment_set_promised_date', {
        p_idempotency_key: input.idempotencyKey,
        p_order_id: input.orderId,
        p_promised: input.date,
      });
      return { applied: row?.['applied'] === true };
    },
    async setAvailable(input) {
      const [row] = await db.rpc('sample_fulfilment_set_available', {
        p_idempotency_key: input.idempotencyKey,
        p_sku: input.sku,
        p_location: input.location,
        p_available: input.available,
        p_reason: input.reason,
      });
      return { applied: row?.['applied'] === true, previous: Number(row?.['previous_available']), available: Number(row?.['available']) };
    },
  };
}

/** Open POs and supplier facts over the sample company's purchasing tables. */
export function createSampleSupplyConnector(db: Db): SupplyConnector {
  return {
    source: 'sample',
    async listOpenPurchaseOrders() {
      const rows = await db.rpc('sample_fulfilment_purchase_orders');
      return rows.map((row) => ({
        poId: String(row['po_id']),
        supplierId: String(row['supplier_id']),
        sku: String(row['sku']),
        quantity: Number(row['quantity']),
        location: String(row['location']),
        orderedAt: instant(row['ordered_at']) ?? '',
        eta: day(row['eta']),
      }));
    },
    async listSupplyFacts() {
      const rows = await db.rpc('sample_fulfilment_supply');
      return rows.map((row) => ({
        sku: String(row['sku']),
        supplierId: String(row['supplier_id']),
        leadTimeDays: Number(row['lead_time_days']),
        leadTimeSdDays: Number(row['lead_time_sd_days']),
        moq: Number(row['moq']),
        demandSd: Number(row['demand_sd']),
        abcClass: String(row['abc_class']) === 'A' ? 'A' : String(row['abc_class']) === 'B' ? 'B' : 'C',
      }));
    },
  };
}

/** The 3PL's shipment confirmation file, as the sample company's WMS table holds it. */
export function createSampleWarehouseConnector(db: Db): WarehouseConnector {
  return {
    source: 'sample',
    async listShipmentConfirmations(since) {
      const rows = await db.rpc('sample_fulfilment_shipment_confirmations', { p_since: since.toISOString() });
      return rows.map((row) => ({
        orderRef: String(row['order_ref']),
        location: String(row['location']),
        orderedAt: instant(row['ordered_at']) ?? '',
        shippedAt: instant(row['shipped_at']),
        misShip: row['mis_ship'] === true,
      }));
    },
    async listLots() {
      const rows = await db.rpc('sample_warehouse_lots');
      return rows.map((row) => ({
        sku: String(row['sku']),
        lot: String(row['lot']),
        location: String(row['location']),
        qty: Number(row['qty']),
        expiry: day(row['expiry']),
      }));
    },
    async listOnHand() {
      const rows = await db.rpc('sample_warehouse_on_hand');
      return rows.map((row) => ({ sku: String(row['sku']), location: String(row['location']), onHand: Number(row['on_hand']) }));
    },
    async sendDonationOrder(input) {
      const [row] = await db.rpc('sample_warehouse_send_donation', {
        p_idempotency_key: input.idempotencyKey,
        p_file_name: donationFileName(input.idempotencyKey),
        p_partner: input.partner,
        p_lines: input.lines,
      });
      return { fileName: String(row?.['file_name'] ?? ''), created: row?.['created'] === true };
    },
  };
}

/** The donation file's name: the key, made safe for a file system, so a repeat finds the same file. */
export function donationFileName(idempotencyKey: string): string {
  return `donation_${idempotencyKey.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100)}.csv`;
}

/** Address checks against the sample company's recorded carrier answers (every other address verifies). */
export function createSampleParcelConnector(db: Db): ParcelConnector {
  return {
    source: 'sample',
    async verifyAddress(address): Promise<AddressVerification> {
      const [row] = await db.rpc('sample_fulfilment_verify_address', { p_order_id: address.orderId });
      return {
        verified: row?.['verified'] !== false,
        errors: jsonArray<{ code: string; field: string; message: string }>(row?.['errors']).map((error) => ({
          code: String(error.code),
          field: String(error.field),
          message: String(error.message),
        })),
      };
    },
    async listShipments(since) {
      const rows = await db.rpc('sample_parcel_list_shipments', { p_since: since.toISOString() });
      return rows.map((row): ParcelShipment => ({
        shipmentId: String(row['shipment_id']),
        trackerId: String(row['tracker_id']),
        orderId: String(row['order_id']),
        customerName: String(row['customer_name']),
        customerEmail: String(row['customer_email']),
        trackingCode: String(row['tracking_code']),
        carrier: String(row['carrier']),
        service: String(row['service']),
        paidService: row['paid_service'] === 'expedited' ? 'expedited' : 'ground',
        rate: Number(row['rate']),
        fees: jsonArray<{ type: string; amount: number }>(row['fees']).map((fee) => ({ type: String(fee.type), amount: Number(fee.amount) })),
        shippingCharged: Number(row['shipping_charged']),
        orderTotal: Number(row['order_total']),
        createdAt: instant(row['created_at']) ?? '',
        status: String(row['status']),
        statusDetail: text(row['status_detail']),
        estDeliveryDate: row['est_delivery_date'] === null ? null : day(row['est_delivery_date']),
        lastScanAt: instant(row['last_scan_at']),
      }));
    },
  };
}
