/**
 * Why a timesheet row, or a whole file, was refused: a stable code and the facts
 * needed to word it, next to the English `reason` the CLI prints. The portal words
 * each code in Danish (portal/strings-validation.js); a new code must be added there.
 * Facts are column names as the header spells them (known aliases only), dates,
 * limits and sums the reader computed: never a cell's value, which could be a CPR number.
 */
export type Problem =
  /** The cell of `column` is empty. */
  | { code: 'column-empty'; column: string }
  /** The participant cell holds a date, a spreadsheet error (`#REF!`), or a value that cannot be stored (too long, CPR number among text). */
  | { code: 'participant-date' | 'participant-spreadsheet-error' | 'participant-refused'; column: string }
  /** The date cell is no date in a known format. */
  | { code: 'date-invalid'; column: string }
  /** The date is before 1970 or after 2149. */
  | { code: 'date-out-of-range'; column: string }
  /** The date (`day`, YYYY-MM-DD) lies outside the report month (YYYY-MM). */
  | { code: 'date-outside-month'; column: string; day: string; month: string }
  /** The hours cell is no number. */
  | { code: 'hours-invalid'; column: string }
  /** The hours are ≤ 0 or over `limit` for one row (`per` a day, or a month in files without dates). */
  | { code: 'hours-out-of-range'; column: string; limit: number; per: 'day' | 'month' }
  /** The activity is none of the known activities or their Danish names. */
  | { code: 'activity-unknown'; column: string }
  /** The participant's rows on `day` add up to `total` hours, over `limit`: every row of that day is refused. */
  | { code: 'day-over-limit'; day: string; total: number; limit: number }
  /** Files without dates: the participant's rows for `month` add up to `total`, over `limit`. */
  | { code: 'month-over-limit'; month: string; total: number; limit: number }
  /** Whole file: neither .csv nor .xlsx. */
  | { code: 'file-format' }
  /** Whole file: no header row. */
  | { code: 'file-empty' }
  /** Whole file: the header lacks these required columns (their English names). */
  | { code: 'header-missing-columns'; columns: string[] }
  /** Whole file: two columns of the header give the same column. */
  | { code: 'header-duplicate-column'; column: string; columns: string[] }
  /** Whole file: no date column, and the report month is unknown. */
  | { code: 'month-unknown' }
  /** Whole file: not text in UTF-8 or Windows-1252. */
  | { code: 'csv-encoding' }
  /** Whole file: a quoted field opened on `line` is never closed. */
  | { code: 'csv-unclosed-quote'; line: number }
  /** Whole file: the record on `line` has more fields than any timesheet. */
  | { code: 'csv-too-many-fields'; line: number }
  /** Whole file: not a readable Excel workbook (not a zip, damaged, …). */
  | { code: 'xlsx-unreadable' }
  /** Whole file: a password-protected workbook or an old .xls. */
  | { code: 'xlsx-encrypted' }
  /** Whole file: the workbook is over a size limit (send it as CSV). */
  | { code: 'xlsx-too-large' }
  /** Whole file: reading failed in a way nothing foresaw (a bug, reported). */
  | { code: 'internal-error' };

/** The codes of problems that reject a whole file. */
export type FileProblem = Extract<
  Problem,
  { code: 'file-format' | 'file-empty' | 'header-missing-columns' | 'header-duplicate-column' | 'month-unknown' | `csv-${string}` | `xlsx-${string}` | 'internal-error' }
>;
