import { formatDay, monthRange } from '../../shared/weeks/iso-week.ts';
import type { Calendar } from './calendar.ts';
import { int, type Random } from './draws.ts';
import type { Person } from './people.ts';
import type { MistakeKind } from './plan.ts';
import type { Source, SourceStyle } from './sources.ts';

/*
 * A timesheet file's contents: the rows one source reports for one month, turned
 * into cells as that source writes them, as CSV text (workbooks: xlsx-file.ts),
 * with monthly totals for sources without a date column and the deliberate mistakes.
 */

/** A timesheet row: participant index, day, centi-hours, activity index, or written text for mistakes. */
export interface Row {
  person: number;
  day: number;
  centi: number;
  activity: number;
  hoursText?: string;
  activityText?: string;
}

/** One cell: text, a number, or a date (workbooks keep numbers and dates typed). */
export type Cell = string | number | Date;

function formatCenti(centi: number, comma: boolean): string {
  const whole = Math.floor(centi / 100);
  const fraction = centi % 100;
  if (fraction === 0) return String(whole);
  const text = `${whole}.${String(fraction).padStart(2, '0').replace(/0$/, '')}`;
  return comma ? text.replace('.', ',') : text;
}

function participantCell(written: string, style: SourceStyle): string | number {
  if (!/^\d{6}-\d{4}$/.test(written)) return written; // a project id
  if (style.cpr === 'plain') return written.replace('-', '');
  if (style.cpr === 'number') return Number(written.replace('-', ''));
  return written;
}

function dateCell(d: number, style: SourceStyle, cal: Calendar): string | Date {
  if (style.dates === 'cell') return new Date(d * 86_400_000);
  const i = d - cal.first;
  if (i < 0 || i >= cal.iso.length) {
    const iso = formatDay(d);
    return style.dates === 'iso' ? iso : iso.split('-').reverse().join(style.dates === 'dmy-dot' ? '.' : '-');
  }
  return style.dates === 'iso' ? cal.iso[i]! : style.dates === 'dmy-dot' ? cal.dmyDot[i]! : cal.dmyDash[i]!;
}

/** The cells of a file's rows, header first: numbers and dates stay typed for workbooks. */
export function tableOf(rows: readonly Row[], people: readonly Person[], source: Source, cal: Calendar): Cell[][] {
  const style = source.style;
  const table: Cell[][] = [style.columns.map(([, name]) => name)];
  for (const row of rows) {
    table.push(
      style.columns.map(([column]) => {
        switch (column) {
          case 'participant':
            return participantCell(people[row.person]!.written, style);
          case 'date':
            return dateCell(row.day, style, cal);
          case 'hours':
            return row.hoursText ?? (style.file === 'xlsx' ? row.centi / 100 : formatCenti(row.centi, style.decimalComma));
          case 'activity':
            return row.activityText ?? style.words[row.activity]!;
          case 'organisation':
            return source.organisation;
        }
      }),
    );
  }
  return table;
}

/** A CSV file's text in the source's style (BOM, delimiter, line ends, quoting). */
export function csvText(table: Cell[][], style: SourceStyle): string {
  const eol = style.crlf ? '\r\n' : '\n';
  const quote = (cell: Cell) => {
    const text = String(cell);
    return text.includes(style.delimiter) || text.includes('"') ? `"${text.replaceAll('"', '""')}"` : text;
  };
  let out = style.bom ? '\uFEFF' : '';
  for (const cells of table) out += cells.map(quote).join(style.delimiter) + eol;
  return out;
}

/** Monthly-total rows (no date column): the month's hours per participant and activity. */
export function monthlyTotals(rows: readonly Row[]): Row[] {
  const sums = new Map<number, Row>();
  for (const row of rows) {
    const key = row.person * 16 + row.activity;
    const sum = sums.get(key);
    if (sum) sum.centi += row.centi;
    else sums.set(key, { ...row });
  }
  return [...sums.values()].sort((a, b) => a.person - b.person || a.activity - b.activity);
}

/** Puts a deliberate mistake into a file's rows; returns its line. */
export function injectMistake(rows: Row[], kind: MistakeKind, month: string, random: Random): number {
  const at = Math.min(rows.length - 1, int(random, 1, Math.max(1, rows.length - 2)));
  const base = rows[at]!;
  if (kind === 'over_24_hours') {
    rows[at] = { ...base, hoursText: '25' };
    return at + 2;
  }
  if (kind === 'unknown_activity') {
    rows.splice(at + 1, 0, { ...base, centi: 100, activityText: 'Jobsamtale' });
    return at + 3;
  }
  const next = monthRange(month).last + 1;
  const last = rows.findLastIndex((row) => row.person === base.person);
  rows.splice(last + 1, 0, { ...rows[last]!, day: next });
  return last + 3;
}
