import { describe, expect, it } from 'vitest';
import { nextMonthlyRun, previousMonth } from '../../shared/statements/schedule.ts';

describe('monthly schedule in Copenhagen time', () => {
  it('recalculates the month that just ended in Denmark, not in UTC', () => {
    expect(previousMonth(new Date('2026-01-01T00:30:00+01:00'))).toBe('2025-12'); // still 2025-12-31 in UTC
    expect(previousMonth(new Date('2026-03-31T22:30:00Z'))).toBe('2026-03'); // 1 April 00:30 CEST
    expect(previousMonth(new Date('2026-03-31T21:30:00Z'))).toBe('2026-02'); // 31 March 23:30 CEST
    expect(previousMonth(new Date('2026-07-15T12:00:00Z'))).toBe('2026-06');
  });

  it('runs next on the 1st at 06:00 local time, across daylight saving changes', () => {
    expect(nextMonthlyRun(new Date('2026-02-10T12:00:00Z')).toISOString()).toBe('2026-03-01T05:00:00.000Z'); // CET = UTC+1
    expect(nextMonthlyRun(new Date('2026-03-10T12:00:00Z')).toISOString()).toBe('2026-04-01T04:00:00.000Z'); // CEST = UTC+2
    expect(nextMonthlyRun(new Date('2026-12-20T00:00:00Z')).toISOString()).toBe('2027-01-01T05:00:00.000Z');
    expect(nextMonthlyRun(new Date('2026-04-01T03:59:00Z')).toISOString()).toBe('2026-04-01T04:00:00.000Z'); // later the same morning
    expect(nextMonthlyRun(new Date('2026-04-01T04:00:00Z')).toISOString()).toBe('2026-05-01T04:00:00.000Z');
  });
});
