import { redactCpr } from '../cpr-numbers.ts';

/** A cell as read from CSV (always text) or XLSX (text, number or date). */
export type Cell = string | number | Date | undefined;

/** True for a cell with nothing in it. */
export function isBlank(cell: Cell): boolean {
  if (typeof cell === 'string') {
    // Fast path: a first character that is printable ASCII is never trimmed away.
    const first = cell.charCodeAt(0);
    return first > 32 && first < 127 ? false : cell.trim() === '';
  }
  return cell === undefined;
}

/**
 * The text of a cell, trimmed, for values and messages. Never throws: a date
 * cell holding no valid date (exceljs makes one of a date-styled 1e308) reads
 * as `invalid date`, so its row is rejected with a reason instead of crashing.
 */
export function cellText(cell: Cell): string {
  if (!(cell instanceof Date)) return String(cell ?? '').trim();
  // toISOString throws on an invalid date and writes years past 9999 as +YYYYYY.
  return Number.isNaN(cell.getTime()) ? 'invalid date' : cell.toISOString().split('T')[0]!;
}

/**
 * Hours in hundredths (integers keep sums exact), accepting `7.5` and the Danish
 * `7,5`. Returns NaN when the text is not a plain decimal number; a number too
 * large for a double comes back as ±Infinity, which any range check refuses.
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

/** What Excel shows for a formula that failed (`#REF!`, `#N/A`, …): never a participant. */
const SPREADSHEET_ERROR = /^#(NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!)$/;

/** True for a cell's text that is a spreadsheet's error value, which a participant never is. */
export function isSpreadsheetError(text: string): boolean {
  return SPREADSHEET_ERROR.test(text);
}

/** Quoted cells are cut to this many characters: a message needs the start, not a 1 MB cell. */
const QUOTE_MAX = 40;

/** A cell's text for a message: every CPR spelling blanked, then cut to QUOTE_MAX characters. */
export function quote(cell: Cell): string {
  const text = redactCpr(cellText(cell));
  if (text.length <= QUOTE_MAX) return text;
  const cut = /[\uD800-\uDBFF]/.test(text[QUOTE_MAX - 1]!) ? QUOTE_MAX - 1 : QUOTE_MAX; // not half a surrogate pair
  return `${text.slice(0, cut)}…`;
}
