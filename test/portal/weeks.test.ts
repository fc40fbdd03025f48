import { describe, expect, it } from 'vitest';
import { monthOfWeekIndex, weekIndexOfLabel, weekLabel } from '../../shared/weeks/iso-week.ts';

/*
 * The portal cannot load TypeScript, so portal/weeks.js keeps its own copy of
 * week → month (spec 3: a week belongs to its Thursday's month). This pins it to
 * the domain's rule for every week the portal may show.
 */
const portal = (await import(new URL('../../portal/weeks.js', import.meta.url).href)) as { monthOfWeek(week: string): string | undefined };

describe('portal/weeks.js', () => {
  it("gives every week from 1990 to 2060 the domain's month", () => {
    const last = weekIndexOfLabel('2060-W52');
    for (let index = weekIndexOfLabel('1990-W01'); index <= last; index++) {
      const week = weekLabel(index);
      expect(portal.monthOfWeek(week), week).toBe(monthOfWeekIndex(index));
    }
  });

  it('a week spanning two months belongs to its Thursday’s', () => {
    expect(portal.monthOfWeek('2019-W05')).toBe('2019-01'); // Mon 28 Jan – Sun 3 Feb, Thursday 31 Jan
    expect(portal.monthOfWeek('2020-W53')).toBe('2020-12'); // Thursday 31 Dec 2020
    expect(portal.monthOfWeek('2022-W39')).toBe('2022-09'); // Thursday 29 Sep
  });

  it('names no month for text that is not a week', () => {
    expect(portal.monthOfWeek('2019-05')).toBeUndefined();
  });
});
