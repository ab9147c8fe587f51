/** How a table is laid out. */
export interface TableOptions {
  /** Terminal width to fit; undefined: no limit (pipes and files get whole cells). */
  columns?: number | undefined;
  /** Show every cell whole even on a narrow terminal (`--wide`). */
  wide?: boolean | undefined;
  /** What to print instead of a table with no rows ("No signals yet."). */
  empty?: string;
}

// A column is never cut below this (or its header), so a narrow terminal still shows something of each.
const MIN_WIDTH = 6;
const GAP = 2;

/**
 * Render rows as an aligned plain-text table (what a terminal and a log file both read well).
 * On a terminal the widest columns give way first until the table fits, their cells cut with "…";
 * `wide` keeps every cell whole.
 */
export function formatTable(headers: string[], rows: Array<Array<string | number | null | undefined>>, options: TableOptions = {}): string {
  if (rows.length === 0 && options.empty !== undefined) return options.empty;
  const cells = rows.map((row) => headers.map((_, column) => flatten(row[column])));
  const widths = headers.map((header, column) => Math.max(header.length, ...cells.map((row) => (row[column] ?? '').length)));
  if (options.columns !== undefined && options.wide !== true) fit(widths, headers, options.columns);
  const line = (row: string[]) =>
    row
      .map((cell, column) => cut(cell, widths[column] ?? 0).padEnd(widths[column] ?? 0))
      .join(' '.repeat(GAP))
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}

// A cell is one line: an error message with newlines would break the table's rows.
function flatten(cell: string | number | null | undefined): string {
  return cell === null || cell === undefined ? '' : String(cell).replace(/\s*\n\s*/g, ' ');
}

function cut(cell: string, width: number): string {
  return cell.length <= width ? cell : `${cell.slice(0, Math.max(0, width - 1))}…`;
}

function fit(widths: number[], headers: string[], columns: number): void {
  const total = () => widths.reduce((sum, width) => sum + width, 0) + GAP * (widths.length - 1);
  while (total() > columns) {
    let widest = -1;
    for (let column = 0; column < widths.length; column += 1) {
      const floor = Math.max(MIN_WIDTH, headers[column]?.length ?? 0);
      if ((widths[column] ?? 0) > floor && (widest === -1 || (widths[column] ?? 0) > (widths[widest] ?? 0))) widest = column;
    }
    if (widest === -1) return;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
}

/** The short form of an id every table prints and every command accepts (a unique prefix). */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** A timestamp as tables show it: UTC to the second, no milliseconds. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** "3m ago" style age from seconds. */
export function formatAge(seconds: number): string {
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 60) return `${Math.round(seconds)}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86400)}d ago`;
}
