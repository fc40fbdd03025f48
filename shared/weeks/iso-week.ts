/**
 * ISO-8601 weeks on plain day numbers (days since 1970-01-01, a Thursday).
 * Everything is integer arithmetic on UTC dates, so results never depend on the
 * machine's time zone, and a week lookup costs a few divisions on the hot path.
 */

const MS_PER_DAY = 86_400_000;

/** Day number of a calendar date; month is 1-based. */
export function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** Calendar date of a day number, as `YYYY-MM-DD` (`+YYYYYY-MM-DD` past 9999: never cut). */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().split('T')[0]!;
}

/** Day number of a JS Date's UTC calendar date (how exceljs hands over date cells). */
export function dayNumberOfDate(date: Date): number {
  return Math.floor(date.getTime() / MS_PER_DAY);
}

/** Consecutive index of the ISO week containing `day` (weeks start on Monday). */
export function weekIndexOfDay(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** Thursday of a week index: it decides the week's ISO year and its calendar month. */
function thursdayOf(weekIndex: number): Date {
  return new Date(weekIndex * 7 * MS_PER_DAY);
}

/** `YYYY-Www` label of a week index. */
export function weekLabel(weekIndex: number): string {
  const thursday = thursdayOf(weekIndex);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1) / MS_PER_DAY;
  const week = Math.floor((weekIndex * 7 - jan1) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const WEEK_LABEL = /^(\d{4})-W(\d{2})$/;

/** Week index of a `YYYY-Www` label; throws on labels that name no week. */
export function weekIndexOfLabel(label: string): number {
  const match = WEEK_LABEL.exec(label);
  if (!match) throw new Error(`"${label}" is not an ISO week (YYYY-Www)`);
  const year = Number(match[1]);
  const week = Number(match[2]);
  // Week 1 is the week containing January 4th.
  const index = weekIndexOfDay(dayNumber(year, 1, 4)) + week - 1;
  if (week < 1 || weekLabel(index) !== label) throw new Error(`"${label}" is not a week of ${year}`);
  return index;
}

/** Monday of a week index, as a day number. */
export function mondayOf(weekIndex: number): number {
  return weekIndex * 7 - 3;
}

/**
 * The calendar month (`YYYY-MM`) a week index belongs to: the month of its
 * Thursday. Statements and projections group weeks into months by this rule.
 */
export function monthOfWeekIndex(weekIndex: number): string {
  return thursdayOf(weekIndex).toISOString().slice(0, 7);
}

/** A calendar month as written everywhere in the project: `YYYY-MM`. */
export const MONTH_LABEL = /^\d{4}-(0[1-9]|1[0-2])$/;

const MONTH = /^(\d{4})-(\d{2})$/;

/** First and last day number of a `YYYY-MM` month; throws on a malformed month. */
export function monthRange(month: string): { first: number; last: number } {
  const match = MONTH.exec(month);
  const m = Number(match?.[2]);
  if (!match || m < 1 || m > 12) throw new Error(`"${month}" is not a month (YYYY-MM)`);
  const y = Number(match[1]);
  if (y < 1970 || y > 2149) throw new Error(`"${month}" is outside the supported years 1970-2149`);
  return { first: dayNumber(y, m, 1), last: dayNumber(y, m + 1, 1) - 1 };
}

/** The month after `month` (`YYYY-MM`). */
export function monthAfter(month: string): string {
  return formatDay(monthRange(month).last + 1).slice(0, 7);
}

/** The month before `month` (`YYYY-MM`). */
export function monthBefore(month: string): string {
  return formatDay(monthRange(month).first - 1).slice(0, 7);
}

/** True for Monday to Friday. */
export function isWeekday(day: number): boolean {
  const weekday = (((day + 3) % 7) + 7) % 7; // 0 = Monday
  return weekday < 5;
}
