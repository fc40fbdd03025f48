import { dayNumber, dayNumberOfDate } from './iso-week.ts';

/*
 * Dates as people write them in timesheets and rosters, read into day numbers.
 * It lives with the weeks (not with the timesheet reader) because the roster
 * and the contract speak of days too.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DANISH_DATE = /^(\d{1,2})([-./])(\d{1,2})\2(\d{4})$/;

/**
 * Day number of a date cell: `YYYY-MM-DD`, Danish `DD-MM-YYYY`, `DD.MM.YYYY`,
 * `DD/MM/YYYY`, or an XLSX date. Returns NaN for anything else, including dates
 * that do not exist (31.02.2024).
 */
export function parseDay(cell: string | number | Date | undefined): number {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? NaN : dayNumberOfDate(cell);
  if (typeof cell !== 'string') return NaN;
  if (cell.length === 10) {
    const fast = plainIsoDay(cell);
    if (fast >= 0) return fast;
  }
  const text = cell.trim();
  let y: number, m: number, d: number;
  const iso = ISO_DATE.exec(text);
  if (iso) {
    y = Number(iso[1]);
    m = Number(iso[2]);
    d = Number(iso[3]);
  } else {
    const danish = DANISH_DATE.exec(text);
    if (!danish) return NaN;
    d = Number(danish[1]);
    m = Number(danish[3]);
    y = Number(danish[4]);
  }
  if (m < 1 || m > 12 || d < 1 || d > 31) return NaN;
  const day = dayNumber(y, m, d);
  // Date.UTC rolls 31 February over into March: reject dates past the month's end.
  return day < dayNumber(y, m + 1, 1) ? day : NaN;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The hot path of parseDay: an untrimmed `YYYY-MM-DD` of an existing date from
 * 1970 to 9999, computed without a regex or Date (days-from-civil). Returns -1 for
 * anything else, which then takes the general path.
 */
function plainIsoDay(text: string): number {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return -1;
  const y = digitsAt(text, 0, 4);
  const m = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  if (y < 1970 || m < 1 || m > 12 || d < 1) return -1;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (m === 2 && leap ? 29 : DAYS_IN_MONTH[m]!)) return -1;
  const shifted = m <= 2 ? y - 1 : y; // years start in March, so leap days come last
  const era = Math.floor(shifted / 400);
  const yearOfEra = shifted - era * 400;
  const dayOfYear = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The number written by `count` ASCII digits from `start`, or -1 if any is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
