import { describe, expect, it } from 'vitest';
import { withSecretsScrubbed, type Db, type Row } from '@jbot/core';

// A Db that records the arguments it was called with, so the scrubbing seam can be seen at work.
function recordingDb(calls: Array<Record<string, unknown> | undefined>): Db {
  return {
    transport: 'postgres',
    async rpc<Result extends Row>(_functionName: string, args?: Record<string, unknown>): Promise<Result[]> {
      calls.push(args);
      return [];
    },
    listen: async () => null,
    close: async () => {},
  };
}

describe('the scrubbing brain seam', () => {
  it('passes one value used twice as itself (a shared Date is not a cycle)', async () => {
    const calls: Array<Record<string, unknown> | undefined> = [];
    const db = withSecretsScrubbed(recordingDb(calls), ['s3cret-password']);
    const when = new Date('2026-12-01T10:00:00Z');
    const shared = { note: 'has s3cret-password in it' };
    await db.rpc('record_quiet_gap', { p_first: when, p_previous_tick: when, p_a: shared, p_b: shared });
    expect(calls[0]).toEqual({ p_first: when, p_previous_tick: when, p_a: { note: 'has [redacted] in it' }, p_b: { note: 'has [redacted] in it' } });
  });

  it('still cuts a real cycle', async () => {
    const calls: Array<Record<string, unknown> | undefined> = [];
    const db = withSecretsScrubbed(recordingDb(calls), ['s3cret-password']);
    const loop: Record<string, unknown> = { name: 'loop' };
    loop['self'] = loop;
    await db.rpc('f', { p_loop: loop });
    expect(calls[0]).toEqual({ p_loop: { name: 'loop', self: '[circular]' } });
  });
});
