import { CsvParser, CsvSyntaxError } from '../timesheets/csv-parser.ts';
import { parseDay } from '../weeks/parse-day.ts';
import { EXIT_REASONS, type ExitReason, type RosterEntry } from '../simulation/roster-entry.ts';

/** A roster that failed validation: every problem as `line N: field: reason`. */
export class RosterError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`${source}: invalid roster\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

const FIELDS = {
  participant: ['participant', 'deltager', 'borger', 'cpr', 'participant_id'],
  partnership: ['partnership', 'partnerskab'],
  referral_date: ['referral_date', 'visitationsdato', 'visiteret'],
  prior_weeks_on_benefit: ['prior_weeks_on_benefit'],
  weekly_benefit: ['weekly_benefit'],
  exit_date: ['exit_date', 'udmeldelsesdato'],
  exit_reason: ['exit_reason', 'udmeldelsesårsag'],
} as const;
type Field = keyof typeof FIELDS;
const DANISH_GROUPED = /^\d{1,3}(\.\d{3})+(,\d+)?$/;
const REQUIRED: Field[] = ['participant', 'partnership', 'referral_date'];

/** Exit reasons as written (spec 5): the English word or its Danish alias, any case. */
const EXIT_REASON_WORDS = new Map<string, ExitReason>([
  ...EXIT_REASONS.map((reason) => [reason, reason] as const),
  ['beskæftigelse', 'employment'],
  ['uddannelse', 'education'],
  ['ledig', 'unemployed'],
  ['ikke til rådighed', 'unavailable'],
  ['død', 'deceased'],
  ['andet', 'other'],
]);
const words = (text: string) => text.normalize('NFC').trim().toLowerCase().replaceAll('_', ' ').replace(/\s+/g, ' ');

/** A row's cell by field name, trimmed ('' when the column is absent). */
type Cell = (field: Field) => string;

/**
 * One data row → a roster entry, or the row's problems as `field: reason`.
 * An exit needs a date; its reason is optional, but one given without a date
 * is refused (it could not be applied).
 */
function readRow(value: Cell, pseudonymise: (participant: string) => string): RosterEntry | string[] {
  const rowProblems: string[] = [];
  for (const field of REQUIRED) if (value(field) === '') rowProblems.push(`${field}: is empty`);
  const date = (field: Field) => {
    const day = parseDay(value(field));
    if (value(field) !== '' && Number.isNaN(day)) rowProblems.push(`${field}: "${value(field)}" is not a date`);
    return day;
  };
  const referralDay = date('referral_date');
  const number = (field: Field, integer: boolean) => {
    const text = value(field);
    if (text === '') return undefined;
    // Danish amounts: `2.900` or `2.900,50` group thousands with dots; `7,5` has a decimal comma.
    const n = Number(DANISH_GROUPED.test(text) ? text.replaceAll('.', '').replace(',', '.') : text.replace(',', '.'));
    if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
      rowProblems.push(`${field}: "${text}" is not a ${integer ? 'whole number' : 'number'} ≥ 0`);
    }
    return n;
  };
  const priorWeeksOnBenefit = number('prior_weeks_on_benefit', true);
  const weeklyBenefit = number('weekly_benefit', false);
  const exitDay = value('exit_date') === '' ? undefined : date('exit_date');
  if (exitDay !== undefined && !Number.isNaN(exitDay) && !Number.isNaN(referralDay) && exitDay < referralDay) {
    rowProblems.push(`exit_date: ${value('exit_date')} is before the referral date ${value('referral_date')}`);
  }
  const reasonText = value('exit_reason');
  const exitReason = reasonText === '' ? undefined : EXIT_REASON_WORDS.get(words(reasonText));
  if (reasonText !== '' && !exitReason) {
    rowProblems.push(`exit_reason: must be one of ${EXIT_REASONS.join(', ')} (or beskæftigelse, uddannelse, ledig, ikke til rådighed, død, andet)`);
  }
  if (reasonText !== '' && exitDay === undefined) rowProblems.push('exit_reason: given without an exit_date');
  let participant = '';
  if (value('participant') !== '') {
    try {
      participant = pseudonymise(value('participant'));
    } catch (error) {
      rowProblems.push(`participant: ${(error as Error).message}`);
    }
  }
  if (rowProblems.length > 0) return rowProblems;
  const entry: RosterEntry = { participant, partnership: value('partnership'), referralDay, priorWeeksOnBenefit, weeklyBenefit };
  if (exitDay !== undefined) entry.exitDay = exitDay;
  if (exitReason) entry.exitReason = exitReason;
  return entry;
}

/**
 * Parses a roster CSV (`,` or `;`, Danish aliases and dates, decimal comma),
 * pseudonymising CPR numbers like timesheets do. Any bad row rejects the roster
 * whole, listing every problem: a simulation never runs on half a roster.
 */
export function parseRoster(text: string, pseudonymise: (participant: string) => string, source = 'roster'): RosterEntry[] {
  const problems: string[] = [];
  const entries: RosterEntry[] = [];
  const lines: number[] = [];
  let columns: Partial<Record<Field, number>> | undefined;
  const parser = new CsvParser((fields, line) => {
    if (!columns) {
      columns = {};
      fields.forEach((name, i) => {
        const field = (Object.keys(FIELDS) as Field[]).find((f) => (FIELDS[f] as readonly string[]).includes(name.normalize('NFC').trim().toLowerCase()));
        if (field) columns![field] = i;
      });
      for (const field of REQUIRED) if (columns[field] === undefined) problems.push(`header: lacks required column "${field}"`);
      return;
    }
    if (problems.some((p) => p.startsWith('header'))) return;
    const value = (field: Field) => (columns![field] === undefined ? '' : (fields[columns![field]!] ?? '').trim());
    if (fields.every((f) => f.trim() === '')) return;
    const row = readRow(value, pseudonymise);
    if (Array.isArray(row)) {
      problems.push(...row.map((p) => `line ${line}: ${p}`));
      return;
    }
    entries.push(row);
    lines.push(line);
  });
  try {
    parser.push(text);
    parser.end();
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    problems.push(error.message);
  }
  if (!columns) problems.push('empty: a header row is required');
  const seen = new Map<string, number>();
  entries.forEach((entry, i) => {
    const key = `${entry.partnership}\u0000${entry.participant}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(`line ${lines[i]}: participant: ${entry.participant} appears twice for partnership ${entry.partnership} (first on line ${first})`);
    else seen.set(key, lines[i]!);
  });
  if (problems.length > 0) throw new RosterError(source, problems);
  return entries;
}
