import type { Db } from '@jbot/core';
import { day, instant, jsonArray, text } from '../sample/row-values.js';
import { parseShipmentCsv } from './shipment-csv.js';
import type { FreightConnector, Shipment, ShipmentLine } from './freight-connector.js';

/** Inbound freight over the sample company's shipments; the CSV import upserts into the same table. */
export function createSampleFreightConnector(db: Db): FreightConnector {
  return {
    source: 'sample',
    async listShipments() {
      const rows = await db.rpc('sample_freight_list_shipments');
      return rows.map((row): Shipment => ({
        id: String(row['shipment_id']),
        supplierId: text(row['supplier_id']),
        supplierName: text(row['supplier_name']),
        supplierCountry: text(row['supplier_country']),
        carrier: text(row['carrier']),
        mode: String(row['mode']),
        origin: String(row['origin']),
        destination: String(row['destination']),
        container: text(row['container']),
        departedAt: instant(row['departed_at']),
        promisedEta: day(row['promised_eta']),
        expectedEta: day(row['expected_eta']),
        arrivedAt: instant(row['arrived_at']),
        status: String(row['status']),
        statusNote: text(row['status_note']),
        lines: jsonArray<ShipmentLine>(row['lines']).map((line) => ({ sku: String(line.sku), quantity: Number(line.quantity) })),
        delayDays: Number(row['delay_days']),
      }));
    },
    async importCsv(csv) {
      const rows = parseShipmentCsv(csv);
      const result = await db.rpc('sample_freight_import_shipments', {
        p_rows: rows.map((row) => ({
          shipment_id: row.shipmentId,
          carrier: row.carrier ?? null,
          mode: row.mode ?? null,
          origin: row.origin,
          destination: row.destination ?? null,
          container: row.container ?? null,
          promised_eta: row.promisedEta,
          expected_eta: row.expectedEta ?? null,
          status: row.status ?? null,
          status_note: row.statusNote ?? null,
          supplier_id: row.supplierId ?? null,
          lines: row.lines,
        })),
      });
      return {
        inserted: result.filter((row) => row['inserted'] === true).length,
        updated: result.filter((row) => row['inserted'] !== true).length,
        shipmentIds: result.map((row) => String(row['shipment_id'])),
      };
    },
  };
}
