import { describe, expect, it } from 'vitest';
import { nextTick, ScheduleError, ticksBetween, validateJobSchedule } from '@jbot/core';

// The pure cron module, without a database: validation, the next tick, ticks inside a window,
// time zones and daylight-saving transitions.

const at = (iso: string) => new Date(iso);
const isoList = (ticks: Date[]) => ticks.map((tick) => tick.toISOString());

describe('validateJobSchedule', () => {
  it("returns the job's own zone, or the default when it has none", () => {
    expect(validateJobSchedule('salesbot', { id: 'hubspot-sync', schedule: '30 8 * * 1-5', tz: 'Europe/London' }, 'UTC')).toBe('Europe/London');
    expect(validateJobSchedule('salesbot', { id: 'hubspot-sync', schedule: '30 8 * * 1-5' }, 'America/New_York')).toBe('America/New_York');
  });

  it('accepts five fields and six (with seconds)', () => {
    expect(() => validateJobSchedule('b', { id: 'j', schedule: '*/5 * * * *' }, 'UTC')).not.toThrow();
    expect(() => validateJobSchedule('b', { id: 'j', schedule: '*/10 * * * * *' }, 'UTC')).not.toThrow();
    expect(() => validateJobSchedule('b', { id: 'j', schedule: '0 9 * * mon-fri' }, 'UTC')).not.toThrow();
  });

  it('refuses a bad expression with a ScheduleError naming bot, job and expression', () => {
    for (const schedule of ['61 8 * * *', '30 25 * * *', 'every morning', '* * * *', '']) {
      const check = () => validateJobSchedule('salesbot', { id: 'hubspot-sync', schedule }, 'UTC');
      expect(check, schedule).toThrow(ScheduleError);
      expect(check, schedule).toThrow(`salesbot, job "hubspot-sync": schedule "${schedule}"`);
    }
  });

  it("refuses a zone that is not IANA, naming it (the job's own or the default)", () => {
    expect(() => validateJobSchedule('opsbot', { id: 'freight-watch', schedule: '0 * * * *', tz: 'Moon/Base' }, 'UTC')).toThrow(
      /opsbot, job "freight-watch": time zone "Moon\/Base" is not an IANA zone/,
    );
    expect(() => validateJobSchedule('opsbot', { id: 'freight-watch', schedule: '0 * * * *' }, 'CEST+2')).toThrow(/time zone "CEST\+2"/);
  });
});

describe('nextTick', () => {
  it('is strictly after the given instant', () => {
    expect(nextTick('30 8 * * *', 'UTC', at('2026-12-01T08:29:59Z')).toISOString()).toBe('2026-12-01T08:30:00.000Z');
    expect(nextTick('30 8 * * *', 'UTC', at('2026-12-01T08:30:00Z')).toISOString()).toBe('2026-12-02T08:30:00.000Z');
    expect(nextTick('* * * * * *', 'UTC', at('2026-12-01T08:30:00.400Z')).toISOString()).toBe('2026-12-01T08:30:01.000Z');
  });

  it("reads the schedule in the job's zone: weekdays, half-hour offsets, summer time", () => {
    // Friday 15:00 UTC in New York is 10:00: the next weekday 09:00 is Monday, 14:00 UTC in winter.
    expect(nextTick('0 9 * * 1-5', 'America/New_York', at('2026-01-09T15:00:00Z')).toISOString()).toBe('2026-01-12T14:00:00.000Z');
    expect(nextTick('0 9 * * *', 'America/New_York', at('2026-07-01T00:00:00Z')).toISOString()).toBe('2026-07-01T13:00:00.000Z');
    expect(nextTick('0 9 * * *', 'Asia/Kolkata', at('2026-12-01T00:00:00Z')).toISOString()).toBe('2026-12-01T03:30:00.000Z');
    expect(nextTick('0 9 * * *', 'Australia/Sydney', at('2026-12-01T00:00:00Z')).toISOString()).toBe('2026-12-01T22:00:00.000Z');
  });
});

describe('ticksBetween', () => {
  it('holds the ticks in (from, to], oldest first', () => {
    expect(isoList(ticksBetween('*/20 * * * * *', 'UTC', at('2026-12-01T08:30:00Z'), at('2026-12-01T08:31:00Z')))).toEqual([
      '2026-12-01T08:30:20.000Z',
      '2026-12-01T08:30:40.000Z',
      '2026-12-01T08:31:00.000Z',
    ]);
  });

  it('counts `to` only when it is a whole-second tick', () => {
    expect(isoList(ticksBetween('* * * * *', 'UTC', at('2026-12-01T08:00:00Z'), at('2026-12-01T08:02:00.500Z')))).toEqual([
      '2026-12-01T08:01:00.000Z',
      '2026-12-01T08:02:00.000Z',
    ]);
  });

  it('is empty when nothing falls inside the window', () => {
    expect(ticksBetween('30 8 * * *', 'UTC', at('2026-12-01T09:00:00Z'), at('2026-12-02T08:00:00Z'))).toEqual([]);
    expect(ticksBetween('* * * * *', 'UTC', at('2026-12-01T09:00:00Z'), at('2026-12-01T09:00:00Z'))).toEqual([]);
  });

  it('keeps the newest ticks when there are more than the limit (a long outage)', () => {
    const ticks = ticksBetween('* * * * *', 'UTC', at('2026-12-01T08:00:00Z'), at('2026-12-01T09:00:00Z'), 3);
    expect(isoList(ticks)).toEqual(['2026-12-01T08:58:00.000Z', '2026-12-01T08:59:00.000Z', '2026-12-01T09:00:00.000Z']);
    expect(ticksBetween('* * * * * *', 'UTC', at('2026-12-01T00:00:00Z'), at('2026-12-02T00:00:00Z'))).toHaveLength(1000);
  });

  it('agrees with stepping nextTick, so the missed-tick sweep expects what the triggers fire', () => {
    const stepped = (schedule: string, timeZone: string, from: Date, to: Date) => {
      const out: string[] = [];
      for (let tick = nextTick(schedule, timeZone, from); tick <= to; tick = nextTick(schedule, timeZone, tick)) out.push(tick.toISOString());
      return out;
    };
    const cases: Array<[string, string, string, string]> = [
      ['30 8 * * 1-5', 'Europe/London', '2026-03-20T00:00:00Z', '2026-04-06T00:00:00Z'],
      ['0 * * * *', 'Europe/London', '2026-10-24T20:00:00Z', '2026-10-25T06:00:00Z'],
      ['*/15 * * * *', 'America/New_York', '2026-03-08T05:00:00Z', '2026-03-08T09:00:00Z'],
      ['0 9 * * *', 'Asia/Kolkata', '2026-11-25T00:00:00Z', '2026-12-05T00:00:00Z'],
    ];
    for (const [schedule, timeZone, from, to] of cases) {
      expect(isoList(ticksBetween(schedule, timeZone, at(from), at(to))), `${schedule} ${timeZone}`).toEqual(stepped(schedule, timeZone, at(from), at(to)));
    }
  });
});

describe('daylight saving', () => {
  it('a daily 08:30 in London stays 08:30 local across both transitions (07:30 UTC in summer)', () => {
    expect(isoList(ticksBetween('30 8 * * *', 'Europe/London', at('2026-03-27T00:00:00Z'), at('2026-03-31T00:00:00Z')))).toEqual([
      '2026-03-27T08:30:00.000Z',
      '2026-03-28T08:30:00.000Z',
      '2026-03-29T07:30:00.000Z',
      '2026-03-30T07:30:00.000Z',
    ]);
    expect(isoList(ticksBetween('30 8 * * *', 'Europe/London', at('2026-10-23T00:00:00Z'), at('2026-10-27T00:00:00Z')))).toEqual([
      '2026-10-23T07:30:00.000Z',
      '2026-10-24T07:30:00.000Z',
      '2026-10-25T08:30:00.000Z',
      '2026-10-26T08:30:00.000Z',
    ]);
  });

  it('an hourly job runs once per real hour: no lost hour in spring, no doubled hour in autumn', () => {
    // 29 March: 01:00 GMT jumps to 02:00 BST. 25 October: 02:00 BST falls back to 01:00 GMT.
    expect(isoList(ticksBetween('0 * * * *', 'Europe/London', at('2026-03-28T23:30:00Z'), at('2026-03-29T03:00:00Z')))).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T02:00:00.000Z',
      '2026-03-29T03:00:00.000Z',
    ]);
    expect(isoList(ticksBetween('0 * * * *', 'Europe/London', at('2026-10-24T23:30:00Z'), at('2026-10-25T03:00:00Z')))).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T01:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T03:00:00.000Z',
    ]);
  });

  it('a weekday 09:00 in New York moves from 14:00 to 13:00 UTC on the March change', () => {
    expect(isoList(ticksBetween('0 9 * * 1-5', 'America/New_York', at('2026-03-05T00:00:00Z'), at('2026-03-11T00:00:00Z')))).toEqual([
      '2026-03-05T14:00:00.000Z',
      '2026-03-06T14:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
      '2026-03-10T13:00:00.000Z',
    ]);
  });
});
