import { dayNumber, monthOfWeekIndex, weekIndexOfDay, weekIndexOfLabel, weekLabel } from '../../shared/weeks/iso-week.ts';

/** `YYYY-Www` of a calendar date given as `YYYY-MM-DD` (tests compare against date-fns and stored items with it). */
export function isoWeekOf(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return weekLabel(weekIndexOfDay(dayNumber(y!, m!, d!)));
}

/** The calendar month (`YYYY-MM`) of a `YYYY-Www` label: the month of its Thursday. */
export function monthOfWeek(label: string): string {
  return monthOfWeekIndex(weekIndexOfLabel(label));
}
