import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDay, mondayOf, monthOfWeekIndex, weekIndexOfLabel, weekLabel } from '../../shared/weeks/iso-week.ts';

/*
 * The portal cannot load TypeScript, so portal/weeks.js keeps its own copy of
 * week → month (spec 3: a week belongs to its Thursday's month) and of a week's
 * days. This pins them to the domain's rules for every week the portal may show.
 */
const portal = (await import(new URL('../../portal/weeks.js', import.meta.url).href)) as {
  monthOfWeek(week: string): string | undefined;
  weekDays(week: string): { monday: string; sunday: string } | undefined;
  weekText(week: string, language?: 'da' | 'en'): string;
  addWeeks(week: string, n: number): string | undefined;
};

const FIRST = weekIndexOfLabel('1990-W01');
const LAST = weekIndexOfLabel('2060-W52');

describe('portal/weeks.js', () => {
  it("gives every week from 1990 to 2060 the domain's month and days", () => {
    for (let index = FIRST; index <= LAST; index++) {
      const week = weekLabel(index);
      expect(portal.monthOfWeek(week), week).toBe(monthOfWeekIndex(index));
      expect(portal.weekDays(week), week).toEqual({ monday: formatDay(mondayOf(index)), sunday: formatDay(mondayOf(index) + 6) });
    }
  });

  it("counts weeks forwards and backwards as the domain does, across 53-week years (the hours page's windows)", () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST, max: LAST }), fc.integer({ min: -600, max: 600 }), (index, n) => {
        expect(portal.addWeeks(weekLabel(index), n)).toBe(weekLabel(index + n));
      }),
    );
    expect(portal.addWeeks('2020-W53', 1)).toBe('2021-W01');
    expect(portal.addWeeks('not a week', 1)).toBeUndefined();
  });

  it('a week spanning two months belongs to its Thursday’s', () => {
    expect(portal.monthOfWeek('2019-W05')).toBe('2019-01'); // Mon 28 Jan – Sun 3 Feb, Thursday 31 Jan
    expect(portal.monthOfWeek('2020-W53')).toBe('2020-12'); // Thursday 31 Dec 2020
    expect(portal.monthOfWeek('2022-W39')).toBe('2022-09'); // Thursday 29 Sep
  });

  it('writes a week as the Danish reader knows it, with its Monday and Sunday', () => {
    expect(portal.weekText('2020-W49')).toBe('uge 49, 2020 (30.11.–6.12.)');
    expect(portal.weekText('2020-W53')).toBe('uge 53, 2020 (28.12.–3.1.)');
    expect(portal.weekText('2019-W05', 'en')).toBe('week 5, 2019 (28 Jan – 3 Feb)');
  });

  it('the dates in the text are the days of the week, never the code', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST, max: LAST }), (index) => {
        const week = weekLabel(index);
        const text = portal.weekText(week);
        const [, , m1, d1] = /^(\d{4})-(\d{2})-(\d{2})$/.exec(formatDay(mondayOf(index)))!.map(Number);
        const [, , m2, d2] = /^(\d{4})-(\d{2})-(\d{2})$/.exec(formatDay(mondayOf(index) + 6))!.map(Number);
        expect(text).toBe(`uge ${Number(week.slice(6))}, ${week.slice(0, 4)} (${d1}.${m1}.–${d2}.${m2}.)`);
        expect(text).not.toContain(week);
      }),
    );
  });

  it('names no month or days for text that is not a week, and leaves it as it is', () => {
    expect(portal.monthOfWeek('2019-05')).toBeUndefined();
    expect(portal.weekDays('2019-05')).toBeUndefined();
    expect(portal.weekText('2019-05')).toBe('2019-05');
  });
});
