import { describe, expect, it } from 'vitest';
import { formatTable, formatTime } from '../src/format-table.js';

describe('formatTable', () => {
  const headers = ['id', 'bot', 'title', 'detail'];
  const rows = [['ebc46e11', 'salesbot', 'Send 2 follow-up emails to stale wholesale deals', 'Waiting for a decision · expires 2026-12-02 09:08:11 UTC']];

  it('fits the terminal: the widest columns give way first, cut cells end in …', () => {
    const table = formatTable(headers, rows, { columns: 60 });
    for (const line of table.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    expect(table).toContain('ebc46e11  salesbot');
    expect(table).toContain('Send 2 follow-up e…');
    expect(table).toMatch(/Waiting for a[^\n]*…$/);
  });

  it('--wide and pipes keep every cell whole', () => {
    expect(formatTable(headers, rows, { columns: 60, wide: true })).toContain(rows[0]?.[3]);
    expect(formatTable(headers, rows)).toContain(rows[0]?.[2]);
  });

  it('says in words when there is nothing, and keeps each row on one line', () => {
    expect(formatTable(headers, [], { empty: 'No approvals yet.' })).toBe('No approvals yet.');
    expect(formatTable(['error'], [['TypeError: boom\n    at job.ts:3']]).split('\n')).toEqual(['error', '-'.repeat(27), 'TypeError: boom at job.ts:3']);
  });

  it('prints times to the second, without milliseconds', () => {
    expect(formatTime('2026-12-01T09:08:11.904Z')).toBe('2026-12-01 09:08:11Z');
  });
});
