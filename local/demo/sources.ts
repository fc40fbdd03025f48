import { ACTIVITIES, type Activity } from '../../shared/weekly-hours/activities.ts';

/*
 * Sources: who sends timesheets (employment actors and companies), and how each
 * writes them (file type, delimiter, dates, decimal comma, CPR format, words).
 */

type DateStyle = 'dmy-dash' | 'dmy-dot' | 'iso' | 'cell';
type Column = 'participant' | 'date' | 'hours' | 'activity' | 'organisation';

/** How one source writes its timesheets: every way real files differ that the reader must cope with. */
export interface SourceStyle {
  file: 'csv' | 'xlsx';
  delimiter: ',' | ';';
  /** Column order and header names; without a date column the rows are monthly totals. */
  columns: [Column, string][];
  dates: DateStyle;
  decimalComma: boolean;
  /** How CPR numbers are written: `DDMMYY-XXXX`, ten digits, or a number (Excel drops the leading zero). */
  cpr: 'dash' | 'plain' | 'number';
  bom: boolean;
  crlf: boolean;
  /** Written activity per ACTIVITIES index. */
  words: string[];
  note: string;
}

/** An employment actor or company that sends timesheets to one partnership. */
export interface Source {
  id: string;
  organisation: string;
  role: 'actor' | 'company';
  style: SourceStyle;
  /** Day from which a company takes people, and after which it is gone. */
  opens: number;
  closes: number;
  hospitality: boolean;
  /** Days (from, to, both included) a company is closed for a while and takes up again after: winters, a long shutdown. */
  closed?: readonly DaySpan[];
}

/** A run of days, both ends included. */
export interface DaySpan {
  from: number;
  to: number;
}

const DANISH_WORDS = ['Opkvalificering', 'Praktik', 'Løn', 'Fleksjob', 'Løntilskud', 'Uddannelse', 'Sygdom'];
const ENGLISH_WORDS = [...ACTIVITIES];
const withWords = (changes: Partial<Record<Activity, string>>) => ACTIVITIES.map((a, i) => changes[a] ?? DANISH_WORDS[i]!);

/** The file styles the demo mixes, each modelled on a kind of real export. */
export const STYLES = {
  /** An employment actor's Danish Excel export: BOM, `;`, decimal comma, DD-MM-YYYY, CPR numbers. */
  actorExcelExport: {
    file: 'csv', delimiter: ';', dates: 'dmy-dash', decimalComma: true, cpr: 'dash', bom: true, crlf: true,
    columns: [['participant', 'Deltager'], ['date', 'Dato'], ['hours', 'Timer'], ['activity', 'Aktivitet'], ['organisation', 'Aktør']],
    words: DANISH_WORDS, note: 'actor timesheet (Danish CSV: ";", decimal comma, CPR numbers)',
  },
  /** The other actor's case system: `;`, DD.MM.YYYY, CPR without dash, its own activity words. */
  actorCaseSystem: {
    file: 'csv', delimiter: ';', dates: 'dmy-dot', decimalComma: true, cpr: 'plain', bom: false, crlf: false,
    columns: [['participant', 'CPR'], ['date', 'Dato'], ['activity', 'Type'], ['hours', 'Timer'], ['organisation', 'Aktør']],
    words: withWords({ training: 'Forløb', internship: 'Virksomhedspraktik', absence: 'Fravær' }), note: 'actor timesheet (Danish CSV: DD.MM.YYYY, CPR numbers)',
  },
  /** An actor that reports monthly totals only: no date column. */
  actorMonthlyTotals: {
    file: 'csv', delimiter: ';', dates: 'iso', decimalComma: true, cpr: 'dash', bom: false, crlf: true,
    columns: [['participant', 'Deltager'], ['activity', 'Aktivitet'], ['hours', 'Timer'], ['organisation', 'Aktør']],
    words: withWords({ absence: 'Fravær' }), note: 'actor monthly totals (no date column: spread over weekdays, estimated)',
  },
  /** A company's workbook: date cells, CPR numbers as text. */
  companyWorkbook: {
    file: 'xlsx', delimiter: ',', dates: 'cell', decimalComma: false, cpr: 'dash', bom: false, crlf: false,
    columns: [['participant', 'Borger'], ['date', 'Dato'], ['hours', 'Timer'], ['activity', 'Type'], ['organisation', 'Virksomhed']],
    words: withWords({ ordinary: 'Lønnede timer' }), note: 'company workbook (XLSX, date cells)',
  },
  /** A company's workbook where CPR numbers were typed as numbers. */
  companyWorkbookNumbers: {
    file: 'xlsx', delimiter: ',', dates: 'cell', decimalComma: false, cpr: 'number', bom: false, crlf: false,
    columns: [['participant', 'Deltager'], ['date', 'Dato'], ['hours', 'Timer'], ['activity', 'Aktivitet'], ['organisation', 'Virksomhed']],
    words: withWords({ internship: 'Virksomhedspraktik', absence: 'Fravær' }), note: 'company workbook (XLSX; CPR typed as numbers, leading zeros lost)',
  },
  /** A café paying small jobs. */
  cafeWorkbook: {
    file: 'xlsx', delimiter: ',', dates: 'cell', decimalComma: false, cpr: 'dash', bom: false, crlf: false,
    columns: [['participant', 'Borger'], ['date', 'Dato'], ['hours', 'Timer'], ['activity', 'Type'], ['organisation', 'Virksomhed']],
    words: withWords({ ordinary: 'Småjob' }), note: 'company workbook (XLSX, date cells, "Småjob")',
  },
  /** A company's Danish CSV from its payroll system: ";", decimal comma, DD-MM-YYYY, CPR without dash. */
  companyDanishCsv: {
    file: 'csv', delimiter: ';', dates: 'dmy-dash', decimalComma: true, cpr: 'plain', bom: true, crlf: true,
    columns: [['participant', 'Deltager'], ['date', 'Dato'], ['activity', 'Aktivitet'], ['hours', 'Timer'], ['organisation', 'Virksomhed']],
    words: withWords({ ordinary: 'Lønnede timer', absence: 'Fravær' }), note: 'company timesheet (Danish CSV: ";", decimal comma, CPR numbers)',
  },
  /** A company's own system: English CSV, ISO dates, activity codes. */
  companyEnglish: {
    file: 'csv', delimiter: ',', dates: 'iso', decimalComma: false, cpr: 'dash', bom: false, crlf: false,
    columns: [['participant', 'participant_id'], ['date', 'date'], ['hours', 'hours'], ['activity', 'activity'], ['organisation', 'organisation']],
    words: ENGLISH_WORDS, note: 'company timesheet (English CSV, ISO dates)',
  },
} satisfies Record<string, SourceStyle>;

const ALWAYS = { opens: -Infinity, closes: Infinity };

/** A source open for the whole scenario unless `extra` says otherwise. */
export function source(id: string, organisation: string, role: Source['role'], style: SourceStyle, extra: Partial<Source> = {}): Source {
  return { id, organisation, role, style, ...ALWAYS, hospitality: false, ...extra };
}
