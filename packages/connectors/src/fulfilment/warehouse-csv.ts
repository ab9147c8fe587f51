import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { ConnectorError } from '../connector-error.js';
import type { DonationOrderInput, InventoryLot, ShipmentConfirmation, WarehouseOnHand } from './warehouse-connector.js';

// The 3PL's WMS exports one CSV per drop; header names vary in case and spacing between WMS
// versions ("Order Ref" → order_ref), so they are normalised before each row is validated.

const text = z.string().trim().min(1, 'is empty');
const count = z
  .string()
  .trim()
  .regex(/^-?\d+$/, 'is not a whole number')
  .transform(Number);
const isoDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'is not a date as YYYY-MM-DD');
const instant = z
  .string()
  .trim()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'is not a date-time (ISO 8601)')
  .transform((value) => new Date(value).toISOString());
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => ['', 'y', 'n', 'yes', 'no', 'true', 'false', '1', '0'].includes(value), 'is not yes/no')
  .transform((value) => ['y', 'yes', 'true', '1'].includes(value));

const confirmationRow = z.object({
  order_ref: text,
  warehouse: text,
  ordered_at: instant,
  shipped_at: z.union([z.literal('').transform(() => null), instant]),
  mis_ship: flag.optional().transform((value) => value ?? false),
});
const lotRow = z.object({ sku: text, lot: text, warehouse: text, qty: count, expiry: isoDay });
const onHandRow = z.object({ sku: text, warehouse: text, on_hand: count });

/** A WMS file that does not parse: the file, the row and the column, so the 3PL can fix it. Nothing is read from it. */
export class WarehouseFileError extends ConnectorError {
  constructor(fileName: string, message: string, facts: Record<string, unknown>, cause?: unknown) {
    super('warehouse_file_invalid', `3PL file ${fileName}: ${message}; the file is left on the server unread — ask the 3PL to resend it`, {
      facts: { fileName, ...facts },
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

function rows<Row>(fileName: string, csv: string, schema: z.ZodType<Row>): Row[] {
  let records: Array<Record<string, string>>;
  try {
    records = parse(csv, {
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
  } catch (error) {
    // csv-parse says where: "Invalid Record Length: columns length is 5, got 4 on line 3".
    throw new WarehouseFileError(fileName, error instanceof Error ? error.message : String(error), {}, error);
  }
  return records.map((record, index) => {
    const rowNumber = index + 2; // the header is row 1
    const result = schema.safeParse(record);
    if (!result.success) {
      const issue = result.error.issues[0];
      const column = String(issue?.path[0] ?? '');
      throw new WarehouseFileError(
        fileName,
        `row ${rowNumber}: ${column} ${issue?.message ?? 'is invalid'}${column in record ? ` ("${record[column] ?? ''}")` : ''}`,
        {
          row: rowNumber,
          column,
        },
      );
    }
    return result.data;
  });
}

/** Parse a shipment confirmation file (order_ref, warehouse, ordered_at, shipped_at, mis_ship). */
export function parseShipmentConfirmations(fileName: string, csv: string): ShipmentConfirmation[] {
  return rows(fileName, csv, confirmationRow).map((row) => ({
    orderRef: row.order_ref,
    location: row.warehouse,
    orderedAt: row.ordered_at,
    shippedAt: row.shipped_at,
    misShip: row.mis_ship,
  }));
}

/** Parse an inventory-by-lot file (sku, lot, warehouse, qty, expiry). */
export function parseInventoryLots(fileName: string, csv: string): InventoryLot[] {
  return rows(fileName, csv, lotRow).map((row) => ({ sku: row.sku, lot: row.lot, location: row.warehouse, qty: row.qty, expiry: row.expiry }));
}

/** Parse an on-hand snapshot (sku, warehouse, on_hand). */
export function parseOnHand(fileName: string, csv: string): WarehouseOnHand[] {
  return rows(fileName, csv, onHandRow).map((row) => ({ sku: row.sku, location: row.warehouse, onHand: row.on_hand }));
}

function field(value: string | number): string {
  const raw = String(value);
  return /[",\r\n]/.test(raw) ? `"${raw.replace(/"/g, '""')}"` : raw;
}

/** A donation order as the CSV the 3PL picks from (one line per lot). */
export function donationOrderCsv(input: Pick<DonationOrderInput, 'partner' | 'lines'>): string {
  return (
    ['partner,sku,lot,warehouse,qty', ...input.lines.map((line) => [input.partner, line.sku, line.lot, line.location, line.qty].map(field).join(','))].join(
      '\r\n',
    ) + '\r\n'
  );
}
