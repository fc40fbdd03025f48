import { dayNumber, dayNumberOfDate } from '../weeks/iso-week.ts';

/** A cell as read from CSV (always text) or XLSX (text, number or date). */
export type Cell = string | number | Date | undefined;

/** True for a cell with nothing in it. */
export function isBlank(cell: Cell): boolean {
  return cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** The text of a cell for messages. */
export function cellText(cell: Cell): string {
  return cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell ?? '').trim();
}

/**
 * Hours in hundredths (integers keep sums exact), accepting `7.5` and the Danish
 * `7,5`. Returns NaN when the text is not a plain decimal number.
 */
export function parseCentiHours(cell: Cell): number {
  if (typeof cell === 'number') return Number.isFinite(cell) ? Math.round(cell * 100) : NaN;
  if (typeof cell !== 'string') return NaN;
  const text = cell.trim();
  let i = text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const sign = i === 1 ? -1 : 1;
  let whole = 0;
  let digits = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
    digits++;
  }
  let fraction = 0;
  let scale = 1;
  if (i < text.length) {
    const separator = text.charCodeAt(i);
    if (separator !== 46 /* . */ && separator !== 44 /* , */) return NaN;
    for (i++; i < text.length; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      fraction = fraction * 10 + c;
      scale *= 10;
      digits++;
    }
  }
  if (digits === 0) return NaN;
  return sign * Math.round((whole + fraction / scale) * 100);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DANISH_DATE = /^(\d{1,2})([-./])(\d{1,2})\2(\d{4})$/;

/**
 * Day number of a date cell: `YYYY-MM-DD`, Danish `DD-MM-YYYY`, `DD.MM.YYYY`,
 * `DD/MM/YYYY`, or an XLSX date. Returns NaN for anything else, including dates
 * that do not exist (31.02.2024).
 */
export function parseDay(cell: Cell): number {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? NaN : dayNumberOfDate(cell);
  if (typeof cell !== 'string') return NaN;
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
