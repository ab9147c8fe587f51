import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { ConnectorError } from '../connector-error.js';
import type { ShipmentLine } from './freight-connector.js';

// Forwarders' portals export one row per shipment; column names vary in case and spacing, so
// headers are normalised (“Promised ETA” → promised_eta) before validation.

const isoDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === undefined || value === '' ? undefined : value));

const csvRow = z.object({
  shipment_id: z.string().trim().min(1, 'shipment_id is empty'),
  origin: z.string().trim().min(1, 'origin is empty'),
  promised_eta: isoDay,
  expected_eta: isoDay.optional().or(z.literal('').transform(() => undefined)),
  carrier: optionalText,
  mode: optionalText,
  destination: optionalText,
  container: optionalText,
  status: optionalText,
  status_note: optionalText,
  supplier_id: optionalText,
  // "DW-104:2400; DW-109:1200"
  skus: optionalText,
});

/** One shipment row from a forwarder's CSV, validated. */
export interface ShipmentCsvRow {
  shipmentId: string;
  origin: string;
  promisedEta: string;
  expectedEta?: string;
  carrier?: string;
  mode?: string;
  destination?: string;
  container?: string;
  status?: string;
  statusNote?: string;
  supplierId?: string;
  lines: ShipmentLine[];
}

function parseLines(skus: string | undefined, rowNumber: number): ShipmentLine[] {
  if (skus === undefined) return [];
  return skus
    .split(/[;|]/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const match = /^([A-Za-z0-9-]+)\s*[:x×]\s*(\d+)$/.exec(part);
      if (match === null)
        throw new ConnectorError('freight_csv_invalid', `row ${rowNumber}: skus entry "${part}" is not SKU:QUANTITY (e.g. DW-104:2400)`, {
          facts: { row: rowNumber },
        });
      return { sku: match[1] ?? '', quantity: Number(match[2]) };
    });
}

/** Parse and validate a shipments CSV; a bad row throws naming the row and the column. */
export function parseShipmentCsv(csv: string): ShipmentCsvRow[] {
  const records = parse(csv, {
    columns: (header: string[]) =>
      header.map((name) =>
        name
          .trim()
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '_')
          .replace(/^_|_$/g, ''),
      ),
    skip_empty_lines: true,
    trim: true,
    bom: true,
  }) as Array<Record<string, string>>;
  return records.map((record, index) => {
    const rowNumber = index + 2; // header is row 1
    const result = csvRow.safeParse(record);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new ConnectorError('freight_csv_invalid', `row ${rowNumber}: ${String(issue?.path[0] ?? '')} ${issue?.message ?? 'is invalid'}`, {
        facts: { row: rowNumber },
      });
    }
    const row = result.data;
    return {
      shipmentId: row.shipment_id,
      origin: row.origin,
      promisedEta: row.promised_eta,
      ...(row.expected_eta === undefined ? {} : { expectedEta: row.expected_eta }),
      ...(row.carrier === undefined ? {} : { carrier: row.carrier }),
      ...(row.mode === undefined ? {} : { mode: row.mode }),
      ...(row.destination === undefined ? {} : { destination: row.destination }),
      ...(row.container === undefined ? {} : { container: row.container }),
      ...(row.status === undefined ? {} : { status: row.status }),
      ...(row.status_note === undefined ? {} : { statusNote: row.status_note }),
      ...(row.supplier_id === undefined ? {} : { supplierId: row.supplier_id }),
      lines: parseLines(row.skus, rowNumber),
    };
  });
}
