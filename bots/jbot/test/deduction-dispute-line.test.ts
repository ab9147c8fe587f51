import { describe, expect, it } from 'vitest';
import { synthesiseLine } from '../src/index.js';

describe('jbot line for deduction_dispute_due', () => {
  it('names the account, the count and the disputable total, and the reply that acts', () => {
    const line = synthesiseLine({
      type: 'deduction_dispute_due',
      sourceBot: 'salesbot',
      payload: {
        account_id: '90412000',
        account: 'Whole Harvest Market',
        deductions: [
          { id: 'DED-701', amount: 3200, reason: 'SHORT-SHIP', dispute_by: '2026-12-19' },
          { id: 'DED-702', amount: 2400, reason: 'OTIF-LATE', dispute_by: '2026-12-06' },
        ],
        disputable_total: 5600,
      },
    });
    expect(line).toBe('Whole Harvest Market: 2 deductions worth $5,600 to dispute (POD shows on time, in full). Reply "dispute" to draft the packets.');
  });
});
