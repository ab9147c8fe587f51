// Rows from db.rpc come back with timestamps as ISO strings and numerics as numbers (or strings
// on the supabase transport); these helpers normalise one column at a time.

/** A text column that may be null. */
export function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** A numeric column that may be null. */
export function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

/** A date or timestamp column as YYYY-MM-DD (UTC). */
export function day(value: unknown): string {
  const raw = String(value);
  return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : new Date(raw).toISOString().slice(0, 10);
}

/** A timestamp column as an ISO string, or null. */
export function instant(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

/** A jsonb column holding an array (the supabase transport may hand back a JSON string). */
export function jsonArray<Item>(value: unknown): Item[] {
  if (typeof value === 'string') return JSON.parse(value) as Item[];
  return Array.isArray(value) ? (value as Item[]) : [];
}

/** A jsonb column holding an object of strings. */
export function stringRecord(value: unknown): Record<string, string> {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  const record: Record<string, string> = {};
  if (parsed !== null && typeof parsed === 'object') for (const [key, item] of Object.entries(parsed)) record[key] = String(item);
  return record;
}
