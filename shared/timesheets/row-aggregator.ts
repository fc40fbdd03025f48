import { formatDay, isWeekday, mondayOf, monthRange, weekIndexOfDay, weekLabel } from '../weeks/iso-week.ts';
import type { WeeklyHours } from '../weekly-hours/weekly-hours.ts';
import { EmbeddedCprError, redactCpr } from './pseudonym.ts';
import { cellText, isBlank, parseCentiHours, parseDay, type Cell } from './values.ts';
import { ACTIVITIES, activityOf, type HeaderLayout } from './vocabulary.ts';

/** A row that was not counted: its 1-based line (header = line 1) and why. */
export interface RowRejection {
  line: number;
  reason: string;
}

/** What one timesheet contributes: weekly hours of its valid rows and every rejected row. */
export interface TimesheetTotals {
  rows: number;
  accepted: number;
  rejected: RowRejection[];
  weeks: WeeklyHours[];
}

/** Per participant-week: hours per activity, the estimated flag, then running hours per day (Monday first). */
const ESTIMATED = ACTIVITIES.length;
const DAY_TOTALS = ESTIMATED + 1;
const STRIDE = DAY_TOTALS + 7;
const MAX_DAY_CENTI = 2400;
/** Keys pack (participant, day or week) into one number: both stay below 2^16 until 2149. */
const KEY_SPAN = 65_536;

/**
 * Validates rows (spec 2.3) and adds them straight into per-participant-week
 * totals, so memory grows with participant-weeks, never with rows: the running
 * hours per day that cap a day at 24 hours live in the same week slot. Rows without
 * a date column are monthly totals spread over weekdays.
 */
export class RowAggregator {
  readonly #layout: HeaderLayout;
  readonly #pseudonymise: (participant: string) => string;
  readonly #month: { label: string; first: number; last: number } | undefined;
  readonly #dated: boolean;
  readonly #maxRowCenti: number;
  readonly #participantByWritten = new Map<string, number>();
  readonly #participantIndex = new Map<string, number>();
  readonly #participants: string[] = [];
  /** Running hours per participant of monthly totals (files without dates), to cap them. */
  readonly #monthTotals = new Map<number, number>();
  readonly #slots = new Map<number, number>();
  #data = new Int32Array(STRIDE * 1024);
  #rows = 0;
  #rejected: RowRejection[] = [];

  constructor(layout: HeaderLayout, pseudonymise: (participant: string) => string, month: string | undefined) {
    this.#layout = layout;
    this.#pseudonymise = pseudonymise;
    this.#dated = layout.index.date !== undefined;
    if (month !== undefined) this.#month = { label: month, ...monthRange(month) };
    if (!this.#dated && !this.#month) {
      throw new Error('the file has no date column, so its rows are monthly totals, and its month is unknown');
    }
    const days = this.#month ? this.#month.last - this.#month.first + 1 : 1;
    this.#maxRowCenti = this.#dated ? MAX_DAY_CENTI : MAX_DAY_CENTI * days;
  }

  /** Validates one data row and counts its hours, or records why not. */
  addRow(line: number, cells: readonly Cell[]): void {
    this.#rows++;
    const { index, name } = this.#layout;
    let problems: string[] | undefined;
    const problem = (text: string) => (problems ??= []).push(text);

    const participantCell = cells[index.participant!];
    let participant = -1;
    if (isBlank(participantCell)) problem(`column "${name.participant}" is empty`);
    else {
      try {
        participant = this.#participantOf(participantCell!);
      } catch (error) {
        if (!(error instanceof EmbeddedCprError)) throw error;
        problem(`column "${name.participant}": ${error.message}`);
      }
    }

    let day = 0;
    if (this.#dated) {
      const dateCell = cells[index.date!];
      if (isBlank(dateCell)) problem(`column "${name.date}" is empty`);
      else {
        day = parseDay(dateCell);
        if (Number.isNaN(day)) {
          problem(`column "${name.date}": "${redactCpr(cellText(dateCell))}" is not a date (YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY or DD/MM/YYYY)`);
        } else if (day < 0 || day >= KEY_SPAN) {
          problem(`column "${name.date}": ${formatDay(day)} is not between 1970 and 2149`);
        } else if (this.#month && (day < this.#month.first || day > this.#month.last)) {
          problem(`column "${name.date}": ${formatDay(day)} lies outside the report month ${this.#month.label}`);
        }
      }
    }

    const hoursCell = cells[index.hours!];
    const centi = parseCentiHours(hoursCell);
    if (isBlank(hoursCell)) problem(`column "${name.hours}" is empty`);
    else if (Number.isNaN(centi)) problem(`column "${name.hours}": "${redactCpr(cellText(hoursCell))}" is not a number of hours`);
    else if (centi <= 0 || centi > this.#maxRowCenti) {
      const limit = this.#maxRowCenti / 100;
      problem(`column "${name.hours}": ${redactCpr(cellText(hoursCell))} is outside (0, ${limit}] hours${this.#dated ? ' for a day' : ' for a month'}`);
    }

    const activityCell = cells[index.activity!];
    const activity = isBlank(activityCell) ? -1 : activityOf(cellText(activityCell));
    if (isBlank(activityCell)) problem(`column "${name.activity}" is empty`);
    else if (activity < 0) {
      problem(`column "${name.activity}": "${redactCpr(cellText(activityCell))}" is not a known activity (${ACTIVITIES.join(', ')} or a Danish name)`);
    }

    if (problems) {
      this.#rejected.push({ line, reason: problems.join('; ') });
      return;
    }

    // A dated row's day total sits in its week's slot; no slot yet means nothing so far.
    const week = this.#dated ? weekIndexOfDay(day) : 0;
    let slot = this.#dated ? this.#slots.get(participant * KEY_SPAN + week) : undefined;
    const dayAt = DAY_TOTALS + day - mondayOf(week);
    const sofar = this.#dated
      ? (slot === undefined ? 0 : this.#data[slot * STRIDE + dayAt])
      : (this.#monthTotals.get(participant) ?? 0);
    if (sofar + centi > this.#maxRowCenti) {
      const when = this.#dated ? `on ${formatDay(day)}` : `in ${this.#month!.label}`;
      this.#rejected.push({
        line,
        reason: `this participant's hours ${when} would add up to ${(sofar + centi) / 100}, more than ${this.#maxRowCenti / 100}; earlier rows for that ${this.#dated ? 'day' : 'month'} were kept`,
      });
      return;
    }
    if (this.#dated) {
      slot ??= this.#newSlot(participant * KEY_SPAN + week);
      this.#data[slot * STRIDE + dayAt] = sofar + centi;
      this.#data[slot * STRIDE + activity] += centi;
    } else {
      this.#monthTotals.set(participant, sofar + centi);
      this.#spreadOverWeekdays(participant, activity, centi);
    }
  }

  /** The weekly totals and the rejections once every row is in. */
  totals(): TimesheetTotals {
    const weeks: WeeklyHours[] = [];
    const labels = new Map<number, string>(); // a few dozen weeks, shared by all participants
    const data = this.#data;
    for (const [key, slot] of this.#slots) {
      const offset = slot * STRIDE;
      const weekIndex = key % KEY_SPAN;
      let week = labels.get(weekIndex);
      if (week === undefined) labels.set(weekIndex, (week = weekLabel(weekIndex)));
      // Sized up front: half the memory of Array.from(subarray) per week.
      const centiHours = new Array<number>(ACTIVITIES.length);
      for (let i = 0; i < ACTIVITIES.length; i++) centiHours[i] = data[offset + i];
      weeks.push({
        participant: this.#participants[Math.floor(key / KEY_SPAN)]!,
        week,
        centiHours,
        estimated: data[offset + ESTIMATED] === 1,
      });
    }
    return { rows: this.#rows, accepted: this.#rows - this.#rejected.length, rejected: this.#rejected, weeks };
  }

  #participantOf(cell: Cell): number {
    const written = cellText(cell);
    let index = this.#participantByWritten.get(written);
    if (index === undefined) {
      const id = this.#pseudonymise(written);
      index = this.#participantIndex.get(id);
      if (index === undefined) {
        index = this.#participants.push(id) - 1;
        this.#participantIndex.set(id, index);
      }
      this.#participantByWritten.set(written, index);
    }
    return index;
  }

  /** Monthly totals: even shares over the month's weekdays, the odd hundredths to the first days. */
  #spreadOverWeekdays(participant: number, activity: number, centi: number): void {
    const { first, last } = this.#month!;
    const weekdays: number[] = [];
    for (let day = first; day <= last; day++) if (isWeekday(day)) weekdays.push(day);
    const share = Math.floor(centi / weekdays.length);
    const odd = centi - share * weekdays.length;
    weekdays.forEach((day, i) => this.#add(participant, weekIndexOfDay(day), activity, share + (i < odd ? 1 : 0), true));
  }

  #add(participant: number, week: number, activity: number, centi: number, estimated: boolean): void {
    const key = participant * KEY_SPAN + week;
    const slot = this.#slots.get(key) ?? this.#newSlot(key);
    this.#data[slot * STRIDE + activity] += centi;
    if (estimated) this.#data[slot * STRIDE + ESTIMATED] = 1;
  }

  /** A zeroed slot for a participant-week key, growing the data when full. */
  #newSlot(key: number): number {
    const slot = this.#slots.size;
    this.#slots.set(key, slot);
    if ((slot + 1) * STRIDE > this.#data.length) {
      const grown = new Int32Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    return slot;
  }
}
