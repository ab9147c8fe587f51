import { rpcOne, type Db } from '@jbot/core';
import { instant, jsonArray, numberOrNull } from '../sample/row-values.js';
import type { FbaCapacityInputs, FbaConnector, FbaInboundShipment } from './fba-connector.js';
import { planningRowOf, storageRowOf, strandedRowOf, type ReportRecord } from './fba-report-rows.js';

/** The operator's latest IPI and capacity limit from the brain (both adapters: SP-API has neither). */
export async function latestCapacityInputs(db: Db): Promise<FbaCapacityInputs | null> {
  const [row] = await db.rpc('fba_capacity_input_latest');
  if (row === undefined) return null;
  return {
    ipi: Number(row['ipi']),
    capacityLimitCubicFeet: Number(row['capacity_limit_cuft']),
    enteredAt: instant(row['entered_at']) ?? '',
    enteredBy: String(row['entered_by']),
  };
}

/**
 * Amazon FBA over the sample company's tables: inventory summaries, the three reports under
 * Amazon's column names (parsed by the same row readers as the live documents), inbound shipments.
 * A new inbound plan goes through a SQL function keyed on its idempotency key.
 */
export function createSampleFbaConnector(db: Db): FbaConnector {
  const report = async (reportType: string): Promise<ReportRecord[]> =>
    (await db.rpc('sample_fba_report', { p_report_type: reportType })).map((row) => row['row_data'] as ReportRecord);
  return {
    source: 'sample',
    async listInventorySummaries() {
      const rows = await db.rpc('sample_fba_inventory_summaries');
      return rows.map((row) => ({
        sku: String(row['sku']),
        asin: String(row['asin']),
        fnsku: String(row['fnsku']),
        fulfillable: Number(row['fulfillable']),
        inboundWorking: Number(row['inbound_working']),
        inboundShipped: Number(row['inbound_shipped']),
        inboundReceiving: Number(row['inbound_receiving']),
        reserved: Number(row['reserved']),
        unfulfillable: Number(row['unfulfillable']),
      }));
    },
    async getPlanningReport() {
      return (await report('GET_FBA_INVENTORY_PLANNING_DATA')).map(planningRowOf);
    },
    async getStrandedReport() {
      return (await report('GET_STRANDED_INVENTORY_UI_DATA')).map(strandedRowOf);
    },
    async getStorageFeeReport() {
      return (await report('GET_FBA_STORAGE_FEE_CHARGES_DATA')).map(storageRowOf);
    },
    async listInboundShipments() {
      const rows = await db.rpc('sample_fba_inbound_shipments');
      return rows.map((row): FbaInboundShipment => ({
        shipmentId: String(row['shipment_id']),
        name: String(row['name']),
        inboundPlanId: String(row['inbound_plan_id']),
        status: String(row['status']),
        destination: String(row['destination']),
        shippedAt: instant(row['shipped_at']),
        items: jsonArray<Record<string, unknown>>(row['items']).map((item) => ({
          sku: String(item['sku']),
          shipped: numberOrNull(item['shipped']) ?? 0,
          received: numberOrNull(item['received']) ?? 0,
        })),
      }));
    },
    async createInboundPlan(input) {
      const row = await rpcOne(db, 'sample_fba_create_inbound_plan', { p_idempotency_key: input.idempotencyKey, p_items: input.items });
      return { inboundPlanId: String(row['inbound_plan_id']), created: row['created'] === true };
    },
    getCapacityInputs: () => latestCapacityInputs(db),
  };
}
