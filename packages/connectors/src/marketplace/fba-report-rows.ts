import { ConnectorError } from '../connector-error.js';
import type { FbaPlanningRow, FbaStorageRow, FbaStrandedRow } from './fba-connector.js';

/** A report row keyed by Amazon's column names, as the report document's header names them. */
export type ReportRecord = Record<string, string | number | null | undefined>;

function count(record: ReportRecord, column: string): number {
  const value = record[column];
  if (value === undefined || value === null || value === '') return 0;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
}

function optional(record: ReportRecord, column: string): number | null {
  const value = record[column];
  if (value === undefined || value === null || value === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

function required(record: ReportRecord, column: string, report: string): string {
  const value = record[column];
  if (value === undefined || value === null || value === '')
    throw new ConnectorError('amazon_report_malformed', `Amazon report ${report} has a row without ${column}: the report's columns changed?`, {
      facts: { report, column },
    });
  return String(value);
}

/** GET_FBA_INVENTORY_PLANNING_DATA row → the planning figures (the sample stores the same columns). */
export function planningRowOf(record: ReportRecord): FbaPlanningRow {
  const report = 'GET_FBA_INVENTORY_PLANNING_DATA';
  return {
    sku: required(record, 'sku', report),
    asin: String(record['asin'] ?? ''),
    productName: String(record['product-name'] ?? ''),
    available: count(record, 'available'),
    unitsShippedT30: count(record, 'units-shipped-t30'),
    unitsShippedT90: count(record, 'units-shipped-t90'),
    shortTermDaysOfSupply: optional(record, 'short-term-historical-days-of-supply'),
    longTermDaysOfSupply: optional(record, 'long-term-historical-days-of-supply'),
    agedOver180: count(record, 'inv-age-181-to-270-days') + count(record, 'inv-age-271-to-365-days') + count(record, 'inv-age-365-plus-days'),
    estimatedStorageCostNextMonth: count(record, 'estimated-storage-cost-next-month'),
    estimatedExcessQuantity: count(record, 'estimated-excess-quantity'),
    yourPrice: optional(record, 'your-price'),
  };
}

/** GET_STRANDED_INVENTORY_UI_DATA row → a stranded SKU. */
export function strandedRowOf(record: ReportRecord): FbaStrandedRow {
  const date = record['date-stranded'];
  return {
    sku: required(record, 'sku', 'GET_STRANDED_INVENTORY_UI_DATA'),
    asin: String(record['asin'] ?? ''),
    reason: String(record['stranded-reason'] ?? record['status-primary'] ?? 'unknown'),
    units: count(record, 'fulfillable-qty') + count(record, 'unfulfillable-qty'),
    dateStranded: date === undefined || date === null || date === '' ? null : String(date).slice(0, 10),
  };
}

/** GET_FBA_STORAGE_FEE_CHARGES_DATA row → storage volume. */
export function storageRowOf(record: ReportRecord): FbaStorageRow {
  return {
    asin: required(record, 'asin', 'GET_FBA_STORAGE_FEE_CHARGES_DATA'),
    fulfillmentCenter: String(record['fulfillment_center'] ?? ''),
    averageQuantityOnHand: count(record, 'average_quantity_on_hand'),
    volumeCubicFeet: count(record, 'estimated_total_item_volume'),
    estimatedMonthlyFee: count(record, 'estimated_monthly_storage_fee'),
  };
}

/**
 * A report document's text (tab-separated, header row first, as Amazon's FBA reports are) as
 * records. A row with a different number of fields than the header is an error naming its line,
 * never a silently shifted row.
 */
export function parseTabSeparatedReport(textBody: string, report: string): ReportRecord[] {
  const lines = textBody
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const header = lines[0]?.split('\t').map((name) => name.trim());
  if (header === undefined) return [];
  return lines.slice(1).map((line, index) => {
    const fields = line.split('\t');
    if (fields.length !== header.length)
      throw new ConnectorError(
        'amazon_report_malformed',
        `Amazon report ${report} line ${index + 2} has ${fields.length} fields, the header ${header.length}: report not read`,
        { facts: { report, line: index + 2 } },
      );
    return Object.fromEntries(header.map((name, column) => [name, fields[column] ?? '']));
  });
}
