import { describe, expect, it } from 'vitest';
import { signalDetailMessage, statusLine, type Approval } from '../src/index.js';

// What people read on the work floor and the console: times without milliseconds.
describe('readable times in posts and approval status lines', () => {
  it('a payload timestamp in a detail post reads to the minute, UTC', () => {
    const message = signalDetailMessage({
      id: 's-1',
      type: 'stale_deals',
      severity: 'warning',
      sourceBot: 'salesbot',
      payload: { deals: [{ deal_id: 'D-1', name: 'Cedar & Co', last_activity_at: '2026-11-08T08:06:41.129Z' }], since: '2026-11-01T00:00:00.000Z' },
    });
    expect(message.text).toContain('• Cedar & Co — deal id D-1 — last activity at 2026-11-08 08:06 UTC');
    expect(message.fields).toContainEqual({ name: 'Since', value: '2026-11-01 00:00 UTC', inline: true });
    expect(JSON.stringify(message)).not.toMatch(/\.\d{3}Z/);
  });

  it('an approval status line gives times to the second', () => {
    const approval: Approval = {
      id: 'a-1',
      bot: 'salesbot',
      action: 'send_followups',
      title: 'Send 2 follow-ups',
      draft: {},
      signalId: null,
      status: 'pending',
      requestedAt: '2026-12-01T09:08:11.904Z',
      expiresAt: '2026-12-02T09:08:11.904Z',
      decidedBy: null,
      decidedVia: null,
      decidedAt: null,
      idempotencyKey: 'k',
      attempts: 0,
      executedAt: null,
      result: null,
      error: null,
      renderedStatus: null,
      retryAt: null,
    };
    expect(statusLine(approval)).toBe('Waiting for a decision · expires 2026-12-02 09:08:11 UTC');
    expect(
      statusLine({
        ...approval,
        status: 'executed',
        decidedBy: 'cli:ana',
        decidedAt: '2026-12-01T09:08:22.243Z',
        executedAt: '2026-12-01T09:08:23.001Z',
        result: { summary: 'sent 2' },
      }),
    ).toBe('Approved by cli:ana at 2026-12-01 09:08:22 UTC · done at 2026-12-01 09:08:23 UTC: sent 2');
  });
});
