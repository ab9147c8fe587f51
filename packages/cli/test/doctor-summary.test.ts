import { describe, expect, it } from 'vitest';
import { doctorSummary } from '../src/commands/doctor.js';

describe('fleet doctor summary line', () => {
  it('agrees in number with what it counts', () => {
    expect(doctorSummary(1, 0)).toBe('1 check passed');
    expect(doctorSummary(8, 0)).toBe('all 8 checks passed');
    expect(doctorSummary(0, 0)).toBe('nothing to check');
    expect(doctorSummary(7, 1)).toBe('1 problem found');
    expect(doctorSummary(3, 4)).toBe('4 problems found');
  });
});
