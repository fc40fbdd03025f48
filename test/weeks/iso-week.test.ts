import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getISOWeek, getISOWeeksInYear, getISOWeekYear } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dayNumber,
  dayNumberOfDate,
  formatDay,
  isWeekday,
  mondayOf,
  monthRange,
  weekIndexOfDay,
  weekIndexOfLabel,
  weekLabel,
} from '../../shared/weeks/iso-week.ts';
import { isoWeekOf, monthOfWeek } from '../support/week-labels.ts';

const ISO_WEEK_MODULE = fileURLToPath(new URL('../../shared/weeks/iso-week.ts', import.meta.url));
const WEEK_LABELS_MODULE = fileURLToPath(new URL('../support/week-labels.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The ISO week of a y/m/d according to date-fns, on a Date built in LOCAL time. */
function dateFnsWeek(y: number, m: number, d: number): string {
  const local = new Date(y, m - 1, d);
  return `${getISOWeekYear(local)}-W${String(getISOWeek(local)).padStart(2, '0')}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Dates checked by hand against a calendar (weekday noted). */
const KNOWN_WEEKS: [string, string][] = [
  ['2020-12-28', '2020-W53'], // Monday of the 53rd week
  ['2020-12-31', '2020-W53'], // Thursday
  ['2021-01-01', '2020-W53'], // Friday
  ['2021-01-03', '2020-W53'], // Sunday
  ['2021-01-04', '2021-W01'], // Monday
  ['2024-12-29', '2024-W52'], // Sunday
  ['2024-12-30', '2025-W01'], // Monday, ISO year 2025 already
  ['2024-12-31', '2025-W01'],
  ['2025-01-05', '2025-W01'], // Sunday
  ['2019-12-29', '2019-W52'], // Sunday
  ['2019-12-30', '2020-W01'], // Monday
  ['2020-01-01', '2020-W01'],
  ['2024-01-01', '2024-W01'], // Monday, 1 January
  ['2024-01-15', '2024-W03'],
  ['2024-02-29', '2024-W09'], // leap day, Thursday
  ['2016-01-03', '2015-W53'], // Sunday: 2015 began on a Thursday
  ['2026-12-31', '2026-W53'], // 2026 begins on a Thursday
  ['2027-01-03', '2026-W53'],
  ['1970-01-01', '1970-W01'], // day 0, a Thursday
  ['1969-12-29', '1970-W01'], // negative day number, Monday
  ['1969-12-28', '1969-W52'], // Sunday before
];

describe('isoWeekOf', () => {
  it.each(KNOWN_WEEKS)('%s is in %s', (date, week) => {
    expect(isoWeekOf(date)).toBe(week);
  });

  it('agrees with date-fns on dates built in local time (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2200, 11, 31)), noInvalidDate: true }),
        (instant) => {
          const y = instant.getUTCFullYear();
          const m = instant.getUTCMonth() + 1;
          const d = instant.getUTCDate();
          expect(isoWeekOf(`${y}-${pad(m)}-${pad(d)}`)).toBe(dateFnsWeek(y, m, d));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees with date-fns on every day from 2015 to 2030', () => {
    for (let t = Date.UTC(2015, 0, 1); t <= Date.UTC(2030, 11, 31); t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      if (isoWeekOf(date) !== dateFnsWeek(y, m, d)) expect.fail(`${date}: ${isoWeekOf(date)} vs ${dateFnsWeek(y, m, d)}`);
    }
  });
});

describe('weekIndexOfLabel and weekLabel', () => {
  it('round trip over consecutive week indexes, with labels strictly increasing', () => {
    const start = weekIndexOfLabel('1999-W01');
    let previous = '';
    for (let index = start; index < start + 52 * 60; index++) {
      const label = weekLabel(index);
      expect(label).toMatch(/^\d{4}-W\d{2}$/);
      expect(weekIndexOfLabel(label)).toBe(index);
      expect(label > previous).toBe(true);
      previous = label;
    }
  });

  it('weekIndexOfDay of each day of a week gives the same index, Monday to Sunday', () => {
    const monday = dayNumber(2020, 12, 28);
    const index = weekIndexOfDay(monday);
    for (let i = 0; i < 7; i++) expect(weekIndexOfDay(monday + i)).toBe(index);
    expect(weekIndexOfDay(monday - 1)).toBe(index - 1);
    expect(weekIndexOfDay(monday + 7)).toBe(index + 1);
    expect(weekLabel(index)).toBe('2020-W53');
  });

  it('years have 52 or 53 weeks as date-fns counts them', () => {
    const long: number[] = [];
    for (let year = 2000; year <= 2040; year++) {
      const weeks = getISOWeeksInYear(new Date(year, 5, 15));
      expect(() => weekIndexOfLabel(`${year}-W${weeks}`)).not.toThrow();
      expect(() => weekIndexOfLabel(`${year}-W${weeks + 1}`)).toThrow();
      if (weeks === 53) long.push(year);
    }
    // Years beginning on a Thursday, or leap years beginning on a Wednesday.
    expect(long).toEqual([2004, 2009, 2015, 2020, 2026, 2032, 2037]);
  });

  it('2020-W53 exists and its Monday is 2020-12-28', () => {
    expect(formatDay(mondayOf(weekIndexOfLabel('2020-W53')))).toBe('2020-12-28');
    expect(formatDay(mondayOf(weekIndexOfLabel('2025-W01')))).toBe('2024-12-30');
    expect(formatDay(mondayOf(weekIndexOfLabel('2020-W01')))).toBe('2019-12-30');
    expect(weekIndexOfLabel('2021-W01')).toBe(weekIndexOfLabel('2020-W53') + 1);
  });

  it.each(['2021-W53', '2019-W00', '2020-W54', '2024-W99', '2020-w01', '2020-W1', '2020W01', '20-W01', '', '2020-W01 '])(
    'rejects %j',
    (label) => {
      expect(() => weekIndexOfLabel(label)).toThrow();
    },
  );
});

describe('monthOfWeek: the month of the Thursday', () => {
  it.each([
    ['2024-W05', '2024-02'], // Mon 29 Jan – Sun 4 Feb, Thursday 1 Feb
    ['2024-W04', '2024-01'], // Thursday 25 Jan
    ['2024-W09', '2024-02'], // Mon 26 Feb – Sun 3 Mar, Thursday 29 Feb
    ['2024-W48', '2024-11'], // Mon 25 Nov – Sun 1 Dec, Thursday 28 Nov
    ['2020-W53', '2020-12'], // Thursday 31 Dec 2020
    ['2025-W01', '2025-01'], // Mon 30 Dec 2024, Thursday 2 Jan 2025
    ['2020-W01', '2020-01'], // Mon 30 Dec 2019, Thursday 2 Jan 2020
    ['2026-W53', '2026-12'], // Thursday 31 Dec 2026
  ])('%s belongs to %s', (week, month) => {
    expect(monthOfWeek(week)).toBe(month);
  });

  it('rejects weeks that do not exist', () => {
    expect(() => monthOfWeek('2021-W53')).toThrow();
  });
});

describe('day numbers, months and weekdays', () => {
  it('dayNumber and formatDay are inverse and 1970-01-01 is day 0', () => {
    expect(dayNumber(1970, 1, 1)).toBe(0);
    expect(dayNumber(1970, 1, 2)).toBe(1);
    expect(dayNumber(1969, 12, 31)).toBe(-1);
    expect(formatDay(dayNumber(2024, 2, 29))).toBe('2024-02-29');
    expect(dayNumber(2024, 3, 1) - dayNumber(2024, 2, 1)).toBe(29);
  });

  it('dayNumberOfDate takes the UTC calendar date', () => {
    expect(dayNumberOfDate(new Date(Date.UTC(2024, 0, 15)))).toBe(dayNumber(2024, 1, 15));
    expect(dayNumberOfDate(new Date(Date.UTC(2024, 0, 15, 23, 59, 59)))).toBe(dayNumber(2024, 1, 15));
    expect(dayNumberOfDate(new Date(Date.UTC(1969, 11, 31, 12)))).toBe(-1);
  });

  it.each([
    ['2024-01', '2024-01-01', '2024-01-31'],
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['2023-02', '2023-02-01', '2023-02-28'],
    ['2024-04', '2024-04-01', '2024-04-30'],
    ['2024-12', '2024-12-01', '2024-12-31'],
  ])('monthRange(%s) is %s..%s', (month, first, last) => {
    const range = monthRange(month);
    expect(formatDay(range.first)).toBe(first);
    expect(formatDay(range.last)).toBe(last);
  });

  it.each(['2024-13', '2024-00', '2024-1', '24-01', '2024/01', 'January'])('monthRange rejects %j', (month) => {
    expect(() => monthRange(month)).toThrow();
  });

  it('isWeekday is true Monday to Friday, also before 1970', () => {
    // 2024-01-01 is a Monday.
    const days = Array.from({ length: 7 }, (_, i) => isWeekday(dayNumber(2024, 1, 1 + i)));
    expect(days).toEqual([true, true, true, true, true, false, false]);
    expect(isWeekday(dayNumber(1969, 12, 26))).toBe(true); // Friday
    expect(isWeekday(dayNumber(1969, 12, 27))).toBe(false); // Saturday
    expect(isWeekday(dayNumber(1969, 12, 28))).toBe(false); // Sunday
    expect(isWeekday(dayNumber(1969, 12, 29))).toBe(true); // Monday
  });

  it('isWeekday agrees with the local weekday of the same date (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -30_000, max: 60_000 }), (day) => {
        const [y, m, d] = new Date(day * 86_400_000).toISOString().slice(0, 10).split('-').map(Number) as [number, number, number];
        const weekday = new Date(y, m - 1, d).getDay(); // 0 = Sunday
        expect(isWeekday(day)).toBe(weekday >= 1 && weekday <= 5);
      }),
    );
  });
});

describe('independence of the machine time zone', () => {
  const dates = KNOWN_WEEKS.map(([date]) => date);
  const weeks = ['2024-W05', '2020-W53', '2025-W01', '2024-W09'];

  /** Runs the same computations in a fresh Node process with the given TZ. */
  function inTimeZone(tz: string) {
    const script = `
      import * as iso from ${JSON.stringify(pathToFileURL(ISO_WEEK_MODULE).href)};
      import * as labels from ${JSON.stringify(pathToFileURL(WEEK_LABELS_MODULE).href)};
      const w = { ...iso, ...labels };
      import { getISOWeek, getISOWeekYear } from 'date-fns';
      const dates = ${JSON.stringify(dates)};
      const weeks = ${JSON.stringify(weeks)};
      const pad = (n) => String(n).padStart(2, '0');
      let mismatches = [];
      for (let t = Date.UTC(1995, 0, 1); t <= Date.UTC(2035, 11, 31); t += 86400000) {
        const date = new Date(t).toISOString().slice(0, 10);
        const [y, m, d] = date.split('-').map(Number);
        const local = new Date(y, m - 1, d);
        const expected = getISOWeekYear(local) + '-W' + pad(getISOWeek(local));
        if (w.isoWeekOf(date) !== expected) mismatches.push(date);
      }
      console.log(JSON.stringify({
        offset: new Date(2024, 0, 1).getTimezoneOffset(),
        labels: dates.map((date) => w.isoWeekOf(date)),
        months: weeks.map((week) => w.monthOfWeek(week)),
        mondays: weeks.map((week) => w.formatDay(w.mondayOf(w.weekIndexOfLabel(week)))),
        excelDay: w.formatDay(w.dayNumberOfDate(new Date(Date.UTC(2024, 0, 15)))),
        mismatches,
      }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
    });
    return JSON.parse(out) as {
      offset: number;
      labels: string[];
      months: string[];
      mondays: string[];
      excelDay: string;
      mismatches: string[];
    };
  }

  it.each([
    ['Pacific/Kiritimati', -14 * 60],
    ['America/Los_Angeles', 8 * 60],
    ['UTC', 0],
  ])('labels are the same under TZ=%s', (tz, offset) => {
    const result = inTimeZone(tz);
    expect(result.offset).toBe(offset); // the zone really applied in the child
    expect(result.labels).toEqual(KNOWN_WEEKS.map(([, week]) => week));
    expect(result.months).toEqual(['2024-02', '2020-12', '2025-01', '2024-02']);
    expect(result.mondays).toEqual(['2024-01-29', '2020-12-28', '2024-12-30', '2024-02-26']);
    expect(result.excelDay).toBe('2024-01-15');
    expect(result.mismatches).toEqual([]);
  });
});
