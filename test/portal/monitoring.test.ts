import { describe, expect, it } from 'vitest';

/*
 * portal/monitoring.js: who needs the project holder's follow-up as of a week.
 * People who left are never an alarm; no hours for weeks is its own status, not
 * "OK"; someone under the threshold long ago is judged on the chosen week.
 */
type Row = { participant: string; week: string; activeHours: number };
type Person = { participant: string; referralWeek: string; exit?: { day: string; week: string; reason: string } };
type Status = { participant: string; status: string; weeksWithout?: number; atLeast?: boolean; exitReason?: string; hours: Map<string, number> };
const monitoring = (await import(new URL('../../portal/monitoring.js', import.meta.url).href)) as {
  NO_HOURS_WEEKS: number;
  weeksBetween(a: string, b: string): number;
  participantStatuses(data: { weeks: Row[]; roster: Person[]; from?: string }, asOf: string, threshold: number): Status[];
  monitoringCounts(people: Status[]): { alarms: number; present: number; exited: number };
};

const rows = (participant: string, hoursByWeek: Record<string, number>): Row[] => Object.entries(hoursByWeek).map(([week, activeHours]) => ({ participant, week, activeHours }));

describe('participantStatuses', () => {
  const data = {
    weeks: [
      ...rows('ACTIVE', { '2021-W46': 20, '2021-W47': 20, '2021-W48': 18, '2021-W49': 16 }),
      ...rows('LOW', { '2021-W46': 20, '2021-W48': 10, '2021-W49': 5 }),
      ...rows('GONE', { '2021-W40': 25, '2021-W41': 25 }),
      ...rows('LEFT', { '2021-W44': 30, '2021-W45': 2 }),
      ...rows('ABSENT', { '2021-W48': 0, '2021-W49': 0 }), // absence only: rows but no active hours
    ],
    roster: [
      { participant: 'ACTIVE', referralWeek: '2021-W30' },
      { participant: 'LOW', referralWeek: '2021-W30' },
      { participant: 'GONE', referralWeek: '2021-W30' },
      { participant: 'LEFT', referralWeek: '2021-W30', exit: { day: '2021-11-12', week: '2021-W45', reason: 'employment' } },
      { participant: 'ABSENT', referralWeek: '2021-W47' },
      { participant: 'NEW', referralWeek: '2021-W48' },
      { participant: 'LATER', referralWeek: '2022-W02' },
    ],
  };
  const byName = (asOf: string, threshold = 15) => Object.fromEntries(monitoring.participantStatuses(data, asOf, threshold).map((p) => [p.participant, p]));

  it('as of the last week: active, under the threshold, no hours for weeks, exited with its reason, waiting; not yet referred left out', () => {
    const people = byName('2021-W49');
    expect(Object.fromEntries(Object.entries(people).map(([name, p]) => [name, p.status]))).toEqual({
      ACTIVE: 'active', LOW: 'below', GONE: 'noHours', LEFT: 'exited', ABSENT: 'waiting', NEW: 'waiting',
    });
    expect(people.GONE!.weeksWithout).toBe(8);
    expect(people.LEFT!.exitReason).toBe('employment');
  });

  it('judges the chosen week, not the last one with data', () => {
    const people = byName('2021-W44');
    expect(people.LEFT!.status).toBe('active');
    expect(people.GONE!.status).toBe('below'); // 3 weeks without hours: under the threshold, not yet "no hours"
    expect(people.NEW).toBeUndefined();
    expect(byName('2021-W45').GONE!.status).toBe('noHours');
  });

  it('lists alarms first and never counts people who left among them', () => {
    const people = monitoring.participantStatuses(data, '2021-W49', 15);
    expect(people.map((p) => p.status)).toEqual(['noHours', 'below', 'waiting', 'waiting', 'active', 'exited']);
    expect(monitoring.monitoringCounts(people)).toEqual({ alarms: 2, present: 5, exited: 1 });
  });

  it('a threshold of 0 flags no one as under it', () => {
    expect(Object.values(byName('2021-W49', 0)).filter((p) => p.status === 'below')).toEqual([]);
  });

  it('with the hours of a window only, someone referred before it without hours in it has had none for at least the window', () => {
    const window = { ...data, weeks: data.weeks.filter((w) => w.week >= '2021-W43'), from: '2021-W43' };
    const people = Object.fromEntries(monitoring.participantStatuses(window, '2021-W49', 15).map((p) => [p.participant, p]));
    expect([people.GONE!.status, people.GONE!.weeksWithout, people.GONE!.atLeast]).toEqual(['noHours', 7, true]);
    expect([people.ACTIVE!.status, people.LOW!.status, people.NEW!.status]).toEqual(['active', 'below', 'waiting']);
  });

  it('counts weeks across a year end', () => {
    expect(monitoring.weeksBetween('2020-W52', '2021-W02')).toBe(3); // 2020 has 53 weeks
    expect(monitoring.weeksBetween('2021-W02', '2021-W02')).toBe(0);
  });
});
