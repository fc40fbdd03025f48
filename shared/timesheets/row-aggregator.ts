import { formatDay, isWeekday, mondayOf, monthRange, weekIndexOfDay, weekLabel } from '../weeks/iso-week.ts';
import type { SortedWeeklyHours, WeeklyHours } from '../weekly-hours/weekly-hours.ts';
import { MAX_PARTICIPANT_LENGTH, ParticipantValueError } from '../cpr-numbers.ts';
import { cellText, isBlank, isSpreadsheetError, parseCentiHours, quote, type Cell } from './values.ts';
import { parseDay } from '../weeks/parse-day.ts';
import { ACTIVITIES } from '../weekly-hours/activities.ts';
import { activityOf, type HeaderLayout } from './vocabulary.ts';
import type { Problem } from './problems.ts';
import { ABSENT, ByteKeyTable, ensureLength, growableInt32Array, ParticipantWeekSlots, Records } from './slot-table.ts';
import type { BytesText } from './csv-parser.ts';

/** A row that was not counted: its 1-based line (header = line 1), why in English, and why as codes for the portal. */
export interface RowRejection {
  line: number;
  reason: string;
  problems: Problem[];
}

/** What one timesheet contributes: weekly hours of its valid rows and every rejected row (by line). */
export interface TimesheetTotals {
  rows: number;
  accepted: number;
  rejected: RowRejection[];
  weeks: SortedWeeklyHours;
}

/**
 * Per participant-week slot: hours per activity, the estimated flag, then per day
 * (Monday first) the line of the day's first row and that row's activity and hours
 * packed as activity × ROW_PACK + hundredths. A day's later rows go to a side list.
 */
const ESTIMATED = ACTIVITIES.length;
const FIRST_LINE = ESTIMATED + 1;
const FIRST_ROW = FIRST_LINE + 7;
const STRIDE = FIRST_ROW + 7;
/** Hundredths of a dated row are at most MAX_DAY_CENTI, below ROW_PACK. */
const ROW_PACK = 4096;
const MAX_DAY_CENTI = 2400;
/** Distinct spellings of dates, hours or activities the fast path holds (a month has a few hundred). */
const PLAIN_SPELLINGS = 65_536;
/** Day numbers (and so week indexes) stay below 2^16 until 2149. */
const DAY_SPAN = 65_536;

/**
 * Validates rows (spec 2.3) and adds them straight into per-participant-week
 * totals, so memory grows with participant-weeks, not rows, for files of one row
 * per participant-day. The day cap is settled in totals(), once every row is in,
 * so its result never depends on row order: each day's first row is remembered in
 * its week slot and only a day's further rows are listed. Rows without a date
 * column are monthly totals, capped per participant-month, spread over weekdays.
 */
export class RowAggregator {
  readonly #layout: HeaderLayout;
  readonly #pseudonymise: (participant: string) => string;
  readonly #month: { label: string; first: number; last: number } | undefined;
  readonly #dated: boolean;
  readonly #maxRowCenti: number;
  /** The column of each value the fast path reads (-1 for no date column), and the days it lets through. */
  readonly #columns: { participant: number; date: number; hours: number; activity: number };
  readonly #firstDay: number;
  readonly #lastDay: number;
  /** Participant index, or why the value is refused, by the cell's text as read (untrimmed: the hot path looks it up as is). */
  readonly #participantByWritten = new Map<string, number | string>();
  readonly #participantIndex = new Map<string, number>();
  readonly #participants: string[] = [];
  /** What the fast path of plain CSV rows has read, by the cell's bytes (see {@link addPlainRow}). */
  readonly #plainParticipants = new ByteKeyTable(2 ** 24);
  readonly #plainDays = new ByteKeyTable(PLAIN_SPELLINGS);
  readonly #plainCentiHours = new ByteKeyTable(PLAIN_SPELLINGS);
  readonly #plainActivities = new ByteKeyTable(PLAIN_SPELLINGS);
  /** The highest column the fast path reads. */
  readonly #lastColumn: number;
  readonly #slots = new ParticipantWeekSlots();
  readonly #data = growableInt32Array(STRIDE * 1024);
  /** Dated files: a day's second and later rows as (slot, day of week, line, packed row). */
  readonly #laterRowsOfDay = new Records();
  /** Files without dates: every valid row as (line, participant, activity, hundredths). */
  readonly #monthRows = new Records();
  readonly #monthTotals = new Map<number, number>();
  #rows = 0;
  readonly #rejected: RowRejection[] = [];
  #totals: TimesheetTotals | undefined;

  constructor(layout: HeaderLayout, pseudonymise: (participant: string) => string, month: string | undefined) {
    this.#layout = layout;
    this.#pseudonymise = pseudonymise;
    this.#dated = layout.index.date !== undefined;
    if (month !== undefined) this.#month = { label: month, ...monthRange(month) };
    if (!this.#dated && !this.#month) {
      throw new Error('the file has no date column, so its rows are monthly totals, and its month is unknown');
    }
    this.#maxRowCenti = this.#dated ? MAX_DAY_CENTI : MAX_DAY_CENTI * this.#daysInMonth();
    const { index } = layout;
    this.#columns = { participant: index.participant!, date: index.date ?? -1, hours: index.hours!, activity: index.activity! };
    this.#lastColumn = Math.max(...Object.values(this.#columns));
    this.#firstDay = this.#month?.first ?? 0;
    this.#lastDay = this.#month?.last ?? DAY_SPAN - 1;
  }

  /**
   * Validates one data row and counts its hours, or records why not (spec 2.3). Rows
   * may come in any order. The common row (every value plainly valid) is counted here
   * at once; any other row takes {@link #checkRow}, the one place that words what is
   * wrong, which counts it too when nothing is.
   */
  addRow(line: number, cells: readonly Cell[]): void {
    this.#rows++;
    const { participant: p, date: d, hours: h, activity: a } = this.#columns;
    if (d >= 0) {
      const participant = this.#readParticipant(cells[p]);
      const day = this.#readDay(cells[d]);
      const centi = this.#readCentiHours(cells[h]);
      const activity = this.#readActivity(cells[a]);
      if (participant >= 0 && day >= 0 && centi >= 0 && activity >= 0) {
        this.#countDated(line, participant, day, activity, centi);
        return;
      }
    }
    this.#checkRow(line, cells);
  }

  /**
   * The fast path of {@link addRow} for a plain CSV row as bytes (see
   * {@link CsvParser.readPlainRecords}): counts it and returns true when it is the
   * common row, reading each distinct spelling of a value once (ByteKeyTable), not
   * once per row; returns false, having counted nothing, for any other row, which
   * the caller then gives to addRow as text.
   */
  addPlainRow(line: number, bytes: Uint8Array, starts: Int32Array, fields: number, text: BytesText): boolean {
    const { participant: p, date: d, hours: h, activity: a } = this.#columns;
    if (d < 0 || this.#lastColumn >= fields) return false;
    const participant = plainValue(this.#plainParticipants, bytes, starts[p]!, starts[p + 1]! - 1, text, this.#readParticipant);
    const day = plainValue(this.#plainDays, bytes, starts[d]!, starts[d + 1]! - 1, text, this.#readDay);
    const centi = plainValue(this.#plainCentiHours, bytes, starts[h]!, starts[h + 1]! - 1, text, this.#readCentiHours);
    const activity = plainValue(this.#plainActivities, bytes, starts[a]!, starts[a + 1]! - 1, text, this.#readActivity);
    if (participant < 0 || day < 0 || centi < 0 || activity < 0) return false;
    this.#rows++;
    this.#countDated(line, participant, day, activity, centi);
    return true;
  }

  // What a dated row's cell means to the fast paths, -1 for "take the long way" (#checkRow words why).
  readonly #readParticipant = (cell: Cell) => {
    if (isBlank(cell)) return -1;
    const known = this.#participantOf(cell!);
    return typeof known === 'number' ? known : -1;
  };
  readonly #readDay = (cell: Cell) => {
    const day = parseDay(cell);
    // NaN fails every comparison, so a value that did not parse goes the long way.
    return day >= this.#firstDay && day <= this.#lastDay ? day : -1;
  };
  readonly #readCentiHours = (cell: Cell) => {
    const centi = parseCentiHours(cell);
    return centi > 0 && centi <= this.#maxRowCenti ? centi : -1;
  };
  readonly #readActivity = (cell: Cell) => (typeof cell === 'string' ? activityOf(cell) : -1);

  /** Every check of spec 2.3 on one row, top to bottom: counts the row, or records every reason it is not counted. */
  #checkRow(line: number, cells: readonly Cell[]): void {
    const { index, name } = this.#layout;
    let problems: string[] | undefined;
    let coded: Problem[] | undefined;
    const problem = (text: string, code: Problem) => {
      (problems ??= []).push(text);
      (coded ??= []).push(code);
    };

    const participantCell = cells[index.participant!];
    let participant = -1;
    if (isBlank(participantCell)) problem(`column "${name.participant}" is empty`, { code: 'column-empty', column: name.participant! });
    else {
      const known = this.#participantOf(participantCell!);
      if (typeof known === 'string') problem(`column "${name.participant}": ${known}`, { code: participantCode(participantCell!), column: name.participant! });
      else participant = known;
    }

    let day = 0;
    if (this.#dated) {
      const dateCell = cells[index.date!];
      const column = name.date!;
      if (isBlank(dateCell)) problem(`column "${column}" is empty`, { code: 'column-empty', column });
      else {
        day = parseDay(dateCell);
        if (Number.isNaN(day)) {
          problem(`column "${column}": "${quote(dateCell)}" is not a date (YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY or DD/MM/YYYY)`, { code: 'date-invalid', column });
        } else if (day < 0 || day >= DAY_SPAN) {
          problem(`column "${column}": ${formatDay(day)} is not between 1970 and 2149`, { code: 'date-out-of-range', column });
        } else if (this.#month && (day < this.#month.first || day > this.#month.last)) {
          const month = this.#month.label;
          problem(`column "${column}": ${formatDay(day)} lies outside the report month ${month}`, { code: 'date-outside-month', column, day: formatDay(day), month });
        }
      }
    }

    const hoursCell = cells[index.hours!];
    const centi = parseCentiHours(hoursCell);
    const hoursColumn = name.hours!;
    if (isBlank(hoursCell)) problem(`column "${hoursColumn}" is empty`, { code: 'column-empty', column: hoursColumn });
    else if (Number.isNaN(centi)) problem(`column "${hoursColumn}": "${quote(hoursCell)}" is not a number of hours`, { code: 'hours-invalid', column: hoursColumn });
    else if (centi <= 0 || centi > this.#maxRowCenti) {
      const limit = this.#maxRowCenti / 100;
      const per = this.#dated ? 'day' : 'month';
      problem(`column "${hoursColumn}": ${quote(hoursCell)} is outside (0, ${limit}] hours for a ${per}`, { code: 'hours-out-of-range', column: hoursColumn, limit, per });
    }

    const activityCell = cells[index.activity!];
    const activity = isBlank(activityCell) ? -1 : activityOf(cellText(activityCell));
    const activityColumn = name.activity!;
    if (isBlank(activityCell)) problem(`column "${activityColumn}" is empty`, { code: 'column-empty', column: activityColumn });
    else if (activity < 0) {
      problem(`column "${activityColumn}": "${quote(activityCell)}" is not a known activity (${ACTIVITIES.join(', ')} or a Danish name)`, { code: 'activity-unknown', column: activityColumn });
    }

    if (problems) {
      this.#rejected.push({ line, reason: problems.join('; '), problems: coded! });
      return;
    }

    if (!this.#dated) {
      this.#monthRows.push(line, participant, activity, centi);
      this.#monthTotals.set(participant, (this.#monthTotals.get(participant) ?? 0) + centi);
      return;
    }
    this.#countDated(line, participant, day, activity, centi);
  }

  /** Adds a valid dated row to its participant-week, remembering the day's first row for the day cap. */
  #countDated(line: number, participant: number, day: number, activity: number, centi: number): void {
    const week = weekIndexOfDay(day);
    const slot = this.#slotOf(participant, week);
    const at = slot * STRIDE;
    const weekday = day - mondayOf(week);
    const data = this.#data;
    // Int32 sums wrap beyond 2^31 but stay exact modulo 2^32: once the rejected
    // days are subtracted, the true total (≤ 7 × 24 h) is back in range.
    data[at + activity] += centi;
    if (data[at + FIRST_LINE + weekday] === 0) {
      data[at + FIRST_LINE + weekday] = line;
      data[at + FIRST_ROW + weekday] = activity * ROW_PACK + centi;
    } else {
      this.#laterRowsOfDay.push(slot, weekday, line, activity * ROW_PACK + centi);
    }
  }

  /**
   * The weekly totals and the rejections, by line, once every row is in: applies
   * the day cap (or month cap) first. Later calls return the same result. The weeks
   * stay in the int32 table; each pass over them makes their rows afresh.
   */
  totals(): TimesheetTotals {
    if (this.#totals) return this.#totals;
    const emptied = this.#dated ? this.#capDays() : this.#capMonthsAndSpread();
    // In the order of the hours CSV, so that summing and writing it need not sort again.
    const sorted = this.#slots.sortedByName(this.#participants);
    const order = emptied.size === 0 ? sorted : sorted.filter((slot) => !emptied.has(slot));
    const weeks = { length: order.length, [Symbol.iterator]: () => this.#weeksIn(order) };
    this.#rejected.sort((a, b) => a.line - b.line);
    this.#totals = { rows: this.#rows, accepted: this.#rows - this.#rejected.length, rejected: this.#rejected, weeks };
    return this.#totals;
  }

  /** The weekly hours of the slots in `order`, one fresh row each. */
  *#weeksIn(order: Int32Array): Generator<WeeklyHours> {
    const labels = new Map<number, string>(); // a few dozen weeks, shared by all participants
    const data = this.#data;
    for (const slot of order) {
      const offset = slot * STRIDE;
      const weekIndex = this.#slots.weekOf(slot);
      let week = labels.get(weekIndex);
      if (week === undefined) labels.set(weekIndex, (week = weekLabel(weekIndex)));
      const centiHours = new Array<number>(ACTIVITIES.length); // sized up front: several times faster than Array.from(subarray)
      for (let i = 0; i < ACTIVITIES.length; i++) centiHours[i] = data[offset + i]!;
      yield { participant: this.#participants[this.#slots.participantOf(slot)]!, week, centiHours, estimated: data[offset + ESTIMATED] === 1 };
    }
  }

  /**
   * Day cap (spec 2.3): every row of a participant-day over 24 hours is rejected and
   * taken out of its week. Returns the slots left with no hours at all.
   */
  #capDays(): Set<number> {
    const emptied = new Set<number>();
    const later = this.#laterRowsOfDay;
    if (later.length === 0) return emptied;
    const data = this.#data;
    const rows = later.data;
    // Only days with later rows can be over; key: slot × 8 + day of week.
    const dayTotals = new Map<number, number>();
    for (let at = 0; at < later.length * 4; at += 4) {
      const key = rows[at]! * 8 + rows[at + 1]!;
      const sofar = dayTotals.get(key) ?? data[rows[at]! * STRIDE + FIRST_ROW + rows[at + 1]!]! % ROW_PACK;
      dayTotals.set(key, sofar + (rows[at + 3]! % ROW_PACK));
    }
    const reasons = new Map<number, Rejection>();
    const touched = new Set<number>();
    for (const [key, total] of dayTotals) {
      if (total <= MAX_DAY_CENTI) continue;
      const slot = Math.floor(key / 8);
      const weekday = key % 8;
      const day = formatDay(mondayOf(this.#slots.weekOf(slot)) + weekday);
      const limit = MAX_DAY_CENTI / 100;
      const reason: Rejection = {
        reason: `this participant's rows on ${day} add up to ${total / 100} hours, more than ${limit}; every row of that day is rejected`,
        problems: [{ code: 'day-over-limit', day, total: total / 100, limit }],
      };
      reasons.set(key, reason);
      touched.add(slot);
      this.#takeOut(slot, data[slot * STRIDE + FIRST_LINE + weekday]!, data[slot * STRIDE + FIRST_ROW + weekday]!, reason);
    }
    if (reasons.size === 0) return emptied;
    for (let at = 0; at < later.length * 4; at += 4) {
      const reason = reasons.get(rows[at]! * 8 + rows[at + 1]!);
      if (reason !== undefined) this.#takeOut(rows[at]!, rows[at + 2]!, rows[at + 3]!, reason);
    }
    for (const slot of touched) {
      if (data.subarray(slot * STRIDE, slot * STRIDE + ACTIVITIES.length).every((centi) => centi === 0)) emptied.add(slot);
    }
    return emptied;
  }

  /** Rejects one dated row with `reason` and subtracts its hours from its week. */
  #takeOut(slot: number, line: number, packed: number, reason: Rejection): void {
    this.#data[slot * STRIDE + Math.floor(packed / ROW_PACK)] -= packed % ROW_PACK;
    this.#rejected.push({ line, ...reason });
  }

  /**
   * Month cap for files without dates: every row of a participant whose rows add up
   * to more than 24 h × the days of the month is rejected; the other rows are spread
   * over the weekdays. Returns no emptied slots: rejected rows never made one.
   */
  #capMonthsAndSpread(): Set<number> {
    const limit = this.#maxRowCenti;
    const { label } = this.#month!;
    const reasons = new Map<number, Rejection>();
    for (const [participant, total] of this.#monthTotals) {
      if (total <= limit) continue;
      reasons.set(participant, {
        reason: `this participant's rows for ${label} add up to ${total / 100} hours, more than ${limit / 100} (24 × ${this.#daysInMonth()} days); every row of that month is rejected`,
        problems: [{ code: 'month-over-limit', month: label, total: total / 100, limit: limit / 100 }],
      });
    }
    const weekdays: number[] = [];
    for (let day = this.#month!.first; day <= this.#month!.last; day++) if (isWeekday(day)) weekdays.push(day);
    const rows = this.#monthRows.data;
    for (let at = 0; at < this.#monthRows.length * 4; at += 4) {
      const reason = reasons.get(rows[at + 1]!);
      if (reason !== undefined) this.#rejected.push({ line: rows[at]!, ...reason });
      else this.#spreadOverWeekdays(weekdays, rows[at + 1]!, rows[at + 2]!, rows[at + 3]!);
    }
    return new Set();
  }

  #daysInMonth(): number {
    return this.#month!.last - this.#month!.first + 1;
  }

  /** The participant's index, or why its value is refused; each value as read is looked at once. */
  #participantOf(cell: Cell): number | string {
    if (cell instanceof Date) return 'holds a date, not a participant';
    const read = typeof cell === 'string' ? cell : cellText(cell);
    let known = this.#participantByWritten.get(read);
    if (known !== undefined) return known;
    const written = cellText(read);
    if (isSpreadsheetError(written)) return `holds the spreadsheet error ${written}, not a participant`;
    try {
      known = this.#indexOfId(this.#pseudonymise(written));
    } catch (error) {
      if (!(error instanceof ParticipantValueError)) throw error;
      known = error.message;
    }
    // Values that long are always refused: not kept, so huge cells cannot fill memory.
    if (read.length <= 2 * MAX_PARTICIPANT_LENGTH) this.#participantByWritten.set(read, known);
    return known;
  }

  /** The index of a participant (a pseudonymised id), given at its first sight. */
  #indexOfId(id: string): number {
    let known = this.#participantIndex.get(id);
    if (known === undefined) {
      known = this.#participants.push(id) - 1;
      this.#participantIndex.set(id, known);
    }
    return known;
  }

  /** Monthly totals: even shares over the month's weekdays, the odd hundredths to the first days. */
  #spreadOverWeekdays(weekdays: readonly number[], participant: number, activity: number, centi: number): void {
    const share = Math.floor(centi / weekdays.length);
    const odd = centi - share * weekdays.length;
    weekdays.forEach((day, i) => {
      const slot = this.#slotOf(participant, weekIndexOfDay(day));
      this.#data[slot * STRIDE + activity] += share + (i < odd ? 1 : 0);
      this.#data[slot * STRIDE + ESTIMATED] = 1;
    });
  }

  /** The slot of a participant-week; a new one is zeroed, growing the data when full. */
  #slotOf(participant: number, week: number): number {
    const slot = this.#slots.slotOf(participant, week);
    ensureLength(this.#data, (slot + 1) * STRIDE);
    return slot;
  }
}

/** The value a ByteKeyTable holds for `bytes[start, end)`, read from its text (and then held) on first sight. */
function plainValue(table: ByteKeyTable, bytes: Uint8Array, start: number, end: number, text: BytesText, read: (text: string) => number): number {
  let value = table.get(bytes, start, end);
  if (value === ABSENT) table.set(bytes, start, end, (value = read(text(bytes, start, end))));
  return value;
}

/** Why every row of a day (or month) over its cap is rejected, shared by those rows. */
type Rejection = Omit<RowRejection, 'line'>;

/** The code of a refused participant value: a date, a spreadsheet error, or one that cannot be stored. */
function participantCode(cell: Cell): 'participant-date' | 'participant-spreadsheet-error' | 'participant-refused' {
  if (cell instanceof Date) return 'participant-date';
  return isSpreadsheetError(cellText(cell)) ? 'participant-spreadsheet-error' : 'participant-refused';
}
