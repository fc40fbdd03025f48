import { dayNumber, formatDay, monthRange, weekIndexOfDay, weekLabel } from '../../shared/weeks/iso-week.ts';

/*
 * The scenario's calendar: day numbers, the COVID pauses of 2020 and per-day
 * lookups computed once, so walking thousands of participants day by day stays cheap.
 */

/** The day number of an ISO date (`YYYY-MM-DD`). */
export const day = (iso: string): number => {
  const [y, m, d] = iso.split('-').map(Number);
  return dayNumber(y!, m!, d!);
};

/** Monday = 0 … Sunday = 6. */
const weekdayOf = (d: number) => (((d + 3) % 7) + 7) % 7;

/** The next weekday on or after a day. */
export const weekdayOnOrAfter = (d: number): number => {
  const weekday = weekdayOf(d);
  return weekday >= 5 ? d + (7 - weekday) : d;
};

/** The first lockdown: from Friday 13 March 2020 until the reopening of Monday 18 May. */
const SPRING_2020 = { from: day('2020-03-13'), to: day('2020-05-17') };
/** The second: the employment effort was suspended in December 2020 (000_*: "pause fra december 2020"). */
const WINTER_2020 = { from: day('2020-12-01'), to: day('2021-01-03') };
/** Hotels, restaurants and cafés stayed shut longer both times. */
const HOSPITALITY_CLOSED = [
  { from: day('2020-03-13'), to: day('2020-05-31') },
  { from: day('2020-12-09'), to: day('2021-04-20') },
];

/** What `Calendar.pause` holds for a day. */
export const NO_PAUSE = 0;
export const SPRING = 1;
export const WINTER = 2;

/** Whether hotels, restaurants and cafés were closed on a day. */
export const hospitalityClosed = (d: number): boolean => HOSPITALITY_CLOSED.some((range) => d >= range.from && d <= range.to);

/** Per-day lookups for the scenario's period, computed once. */
export class Calendar {
  readonly first: number;
  readonly last: number;
  readonly months: string[];
  readonly monthIndex: Int16Array;
  readonly weekday: Uint8Array;
  readonly isoWeek: Uint8Array;
  readonly pause: Uint8Array;
  readonly christmas: Uint8Array;
  /** 19 December to 6 January: the longer Christmas break some take (Person.longChristmas). */
  readonly longChristmas: Uint8Array;
  readonly dmyDash: string[];
  readonly dmyDot: string[];
  readonly iso: string[];

  constructor(firstMonth: string, lastMonth: string) {
    this.first = monthRange(firstMonth).first;
    this.last = monthRange(lastMonth).last;
    const n = this.last - this.first + 1;
    this.months = [];
    this.monthIndex = new Int16Array(n);
    this.weekday = new Uint8Array(n);
    this.isoWeek = new Uint8Array(n);
    this.pause = new Uint8Array(n);
    this.christmas = new Uint8Array(n);
    this.longChristmas = new Uint8Array(n);
    this.dmyDash = [];
    this.dmyDot = [];
    this.iso = [];
    for (let i = 0; i < n; i++) {
      const d = this.first + i;
      const iso = formatDay(d);
      const month = iso.slice(0, 7);
      if (this.months[this.months.length - 1] !== month) this.months.push(month);
      this.monthIndex[i] = this.months.length - 1;
      this.weekday[i] = weekdayOf(d);
      this.isoWeek[i] = Number(weekLabel(weekIndexOfDay(d)).slice(6));
      this.pause[i] = d >= SPRING_2020.from && d <= SPRING_2020.to ? SPRING : d >= WINTER_2020.from && d <= WINTER_2020.to ? WINTER : NO_PAUSE;
      const md = iso.slice(5);
      this.christmas[i] = md >= '12-24' || md === '01-01' ? 1 : 0;
      this.longChristmas[i] = md >= '12-19' || md <= '01-06' ? 1 : 0;
      const [y, m, dd] = iso.split('-');
      this.dmyDash.push(`${dd}-${m}-${y}`);
      this.dmyDot.push(`${dd}.${m}.${y}`);
      this.iso.push(iso);
    }
  }

  /** Index into `months` of a day inside the calendar. */
  monthOf(d: number): number {
    return this.monthIndex[d - this.first]!;
  }
}
