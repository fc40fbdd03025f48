import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative as relativePath } from 'node:path';
import ExcelJS from 'exceljs';
import { seededRandom } from '../../shared/random.ts';
import { parseContract } from '../../shared/simulation/contract.ts';
import { ACTIVITIES, type Activity } from '../../shared/timesheets/vocabulary.ts';
import { dayNumber, formatDay, monthRange, weekIndexOfDay, weekLabel } from '../../shared/weeks/iso-week.ts';
import { specExampleContract } from '../../shared/simulation/spec-example.ts';

/*
 * Scenario data: contracts, rosters and monthly timesheets for the local demo
 * (`npm start`) and for benchmarks and load tests (`pbr generate`).
 *
 * `sjaelland` is modelled on Region Sjælland's final report of "Social inklusion
 * gennem Vækstpartnerskaber" (shared/seeds/000_*, 002_*): partnerships Køge,
 * Odsherred and Stevns (klynge 1, 39 referred) and Holbæk (klynge 2, 8 referred);
 * two employment actors in klynge 1 and one social enterprise in Holbæk that is
 * both actor and company; an accelerator company that went bankrupt in the first
 * lockdown (one person lost their job) and one that left the programme in 2019,
 * after which support companies (støttevirksomheder) took the internships; the
 * COVID pauses of spring 2020 and December 2020 (hospitality closed until April
 * 2021, some people never came back after the second lockdown); eight people in
 * paid work (seven still employed at the end), one in education. Organisation
 * names are invented: the report's real companies are not used for invented hours.
 *
 * Everything is drawn from seededRandom: the same seed gives byte-identical files.
 */

export type ScenarioScale = 'sjaelland' | 'national';
export const SCENARIO_SCALES: readonly ScenarioScale[] = ['sjaelland', 'national'];

export interface ScenarioOptions {
  seed: number;
  scale: ScenarioScale;
  /** Called after each partnership is written. */
  onProgress?: (progress: ScenarioProgress) => void;
}

export interface ScenarioProgress {
  partnershipsDone: number;
  partnerships: number;
  files: number;
  rows: number;
}

export interface ScenarioPartnership {
  id: string;
  municipality: string;
  cluster: 1 | 2;
  contractFile: string;
  rosterFile: string;
}

/** A row put in on purpose, so statements show rejected rows. */
export interface ScenarioMistake {
  /** 1-based, the header is line 1 (as rejections report it). */
  line: number;
  kind: 'unknown_activity' | 'outside_month' | 'over_24_hours';
}

/** One upload: a file and the report identity (spec 2.2) it is uploaded as. */
export interface ScenarioTimesheet {
  file: string;
  partnership: string;
  month: string;
  source: string;
  /** What the file shows, for demo output. */
  note: string;
  /** The deliberate mistakes in the file: exactly these rows should be rejected. */
  mistakes: ScenarioMistake[];
  /** True for an upload that replaces an earlier one with the same partnership, month and source. */
  correction: boolean;
}

export interface ScenarioManifest {
  seed: number;
  scale: ScenarioScale;
  partnerships: ScenarioPartnership[];
  /** In upload order: month ascending; a correction comes after the version it replaces. */
  timesheets: ScenarioTimesheet[];
  participants: number;
  /** Data rows over all timesheet files (replaced first versions included). */
  rows: number;
  /** Bytes over all files written. */
  bytes: number;
}

export const MANIFEST_FILE = 'manifest.json';

// ---------------------------------------------------------------------------
// Activities, calendar, pauses

const A = Object.fromEntries(ACTIVITIES.map((activity, i) => [activity, i])) as Record<Activity, number>;

const day = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return dayNumber(y!, m!, d!);
};

/** The first lockdown: from Friday 13 March 2020 until the reopening of Monday 18 May. */
const SPRING_2020 = { from: day('2020-03-13'), to: day('2020-05-17') };
/** The second: the employment effort was suspended in December 2020 (000_*: "pause fra december 2020"). */
const WINTER_2020 = { from: day('2020-12-01'), to: day('2021-01-03') };
/** Hotels, restaurants and cafés stayed shut longer both times. */
const HOSPITALITY_CLOSED = [
  { from: day('2020-03-13'), to: day('2020-05-31') },
  { from: day('2020-12-09'), to: day('2021-04-20') },
];

const NO_PAUSE = 0;
const SPRING = 1;
const WINTER = 2;

/** Per-day lookups for the scenario's period, computed once. */
class Calendar {
  readonly first: number;
  readonly last: number;
  readonly months: string[];
  readonly monthIndex: Int16Array;
  readonly weekday: Uint8Array;
  readonly isoWeek: Uint8Array;
  readonly pause: Uint8Array;
  readonly christmas: Uint8Array;
  readonly dmyDash: string[];
  readonly dmyDot: string[];
  readonly iso: string[];

  constructor(firstMonth: string, lastMonth: string) {
    this.first = monthRange(firstMonth).first;
    this.last = monthRange(lastMonth).last;
    const n = this.last - this.first + 1;
    this.months = [];
    this.monthIndex = new Int16Array(n);
    this.weekday = new Uint8Array(n);
    this.isoWeek = new Uint8Array(n);
    this.pause = new Uint8Array(n);
    this.christmas = new Uint8Array(n);
    this.dmyDash = [];
    this.dmyDot = [];
    this.iso = [];
    for (let i = 0; i < n; i++) {
      const d = this.first + i;
      const iso = formatDay(d);
      const month = iso.slice(0, 7);
      if (this.months[this.months.length - 1] !== month) this.months.push(month);
      this.monthIndex[i] = this.months.length - 1;
      this.weekday[i] = (((d + 3) % 7) + 7) % 7; // 0 = Monday
      this.isoWeek[i] = Number(weekLabel(weekIndexOfDay(d)).slice(6));
      this.pause[i] = d >= SPRING_2020.from && d <= SPRING_2020.to ? SPRING : d >= WINTER_2020.from && d <= WINTER_2020.to ? WINTER : NO_PAUSE;
      const md = iso.slice(5);
      this.christmas[i] = md >= '12-24' || md === '01-01' ? 1 : 0;
      const [y, m, dd] = iso.split('-');
      this.dmyDash.push(`${dd}-${m}-${y}`);
      this.dmyDot.push(`${dd}.${m}.${y}`);
      this.iso.push(iso);
    }
  }

  monthOf(d: number): number {
    return this.monthIndex[d - this.first]!;
  }
}

const hospitalityClosed = (d: number) => HOSPITALITY_CLOSED.some((range) => d >= range.from && d <= range.to);

// ---------------------------------------------------------------------------
// Sources: who sends timesheets, and how they write them

type DateStyle = 'dmy-dash' | 'dmy-dot' | 'iso' | 'cell';
type Column = 'participant' | 'date' | 'hours' | 'activity' | 'organisation';

interface SourceStyle {
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

interface Source {
  id: string;
  organisation: string;
  role: 'actor' | 'company';
  style: SourceStyle;
  /** Day from which a company takes people, and after which it is gone. */
  opens: number;
  closes: number;
  hospitality: boolean;
}

const DANISH_WORDS = ['Opkvalificering', 'Praktik', 'Løn', 'Fleksjob', 'Løntilskud', 'Uddannelse', 'Sygdom'];
const ENGLISH_WORDS = [...ACTIVITIES];
const withWords = (changes: Partial<Record<Activity, string>>) => ACTIVITIES.map((a, i) => changes[a] ?? DANISH_WORDS[i]!);

const STYLES = {
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
  /** A company's own system: English CSV, ISO dates, activity codes. */
  companyEnglish: {
    file: 'csv', delimiter: ',', dates: 'iso', decimalComma: false, cpr: 'dash', bom: false, crlf: false,
    columns: [['participant', 'participant_id'], ['date', 'date'], ['hours', 'hours'], ['activity', 'activity'], ['organisation', 'organisation']],
    words: ENGLISH_WORDS, note: 'company timesheet (English CSV, ISO dates)',
  },
} satisfies Record<string, SourceStyle>;

const ALWAYS = { opens: -Infinity, closes: Infinity };

function source(id: string, organisation: string, role: Source['role'], style: SourceStyle, extra: Partial<Source> = {}): Source {
  return { id, organisation, role, style, ...ALWAYS, hospitality: false, ...extra };
}

// ---------------------------------------------------------------------------
// Participants and their paths

type Outcome = 'job' | 'job_lost' | 'no_job' | 'dropout' | 'education';
type JobKind = 'ordinary' | 'flexjob' | 'subsidy_then_ordinary' | 'split' | 'ramp' | 'smajob';

interface Job {
  kind: JobKind;
  hours: number;
  /** Source index of the employer (also where the internship was). */
  employer: number;
  /** Weeks of work before the job ends (småjob, or a job lost); undefined: to the end. */
  weeks?: number;
}

interface Person {
  /** As written in timesheets and the roster: a CPR number or a project id. */
  written: string;
  referral: number;
  priorWeeks: number;
  weeklyBenefit?: number;
  outcome: Outcome;
  trainingWeeks: number;
  trainingHours: number;
  internshipWeeks: number;
  internshipHours: number;
  internshipAt?: number;
  job?: Job;
  dropoutAfterWeeks: number;
  relapse: boolean;
  absence: number;
  snuse: boolean;
  keepsInternshipInDecember: boolean;
  keepsJobInSpring: boolean;
  holidayOffset: number;
}

interface PartnershipPlan {
  id: string;
  municipality: string;
  cluster: 1 | 2;
  contract: Record<string, unknown>;
  /** Index 0 is the employment actor. */
  sources: Source[];
  people: Person[];
  /** "In one municipality every participant chose to pause their internship" (000_*). */
  pausesAllInternshipsInDecember: boolean;
  rosterDates: 'dmy' | 'iso';
}

type Random = () => number;
const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Mixes numbers into a 32-bit seed, so each participant gets their own stream. */
function mix(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h >>> 0;
}

/** The next weekday on or after a day. */
const weekdayOnOrAfter = (d: number) => {
  const weekday = (((d + 3) % 7) + 7) % 7;
  return weekday >= 5 ? d + (7 - weekday) : d;
};

/**
 * Fictional CPR-shaped numbers (DDMMYY-XXXX): an invented date of birth and a
 * serial that is just the participant's running number. They are made up from
 * the seed, are not taken from or checked against any register, and exist only to
 * show the pseudonymisation at the edge. Never put real CPR numbers in demo data.
 */
function fakeCpr(random: Random, serial: number): string {
  const year = int(random, 1960, 1997);
  const month = int(random, 1, 12);
  const dayOfMonth = int(random, 1, 28);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(dayOfMonth)}${two(month)}${two(year % 100)}-${String(serial).padStart(4, '0')}`;
}

/** The path fields every participant gets, drawn from their own stream. */
function basePerson(random: Random, written: string, referral: number, outcome: Outcome): Person {
  const benefit = random();
  return {
    written,
    referral: weekdayOnOrAfter(referral),
    priorWeeks: int(random, 52, 420),
    weeklyBenefit: benefit < 0.35 ? undefined : benefit < 0.7 ? 2650 : benefit < 0.9 ? 3530 : 2170,
    outcome,
    trainingWeeks: int(random, 22, 28),
    trainingHours: int(random, 10, 20),
    internshipWeeks: 0,
    internshipHours: int(random, 12, 25),
    dropoutAfterWeeks: int(random, 3, 18),
    relapse: false,
    absence: 0.03 + random() * 0.09,
    snuse: false,
    keepsInternshipInDecember: random() < 0.3,
    keepsJobInSpring: true,
    holidayOffset: int(random, 0, 2),
  };
}

// ---------------------------------------------------------------------------
// The simulation of one participant, day by day

type Emit = (d: number, centi: number, activity: number, source: number) => void;

const quarter = (hours: number) => Math.max(25, Math.round(hours * 4) * 25); // centi-hours, rounded to ¼ hour

/** Weekdays (0 = Monday) a weekly load is spread over, and the hours per day. */
function weekPattern(random: Random, weeklyHours: number, days: number): { days: number[]; centi: number } {
  const all = [0, 1, 2, 3, 4];
  while (all.length > days) all.splice(Math.floor(random() * all.length), 1);
  return { days: all, centi: quarter(weeklyHours / days) };
}

const daysFor = (hours: number) => (hours >= 30 ? 5 : hours >= 20 ? 4 : hours >= 9 ? 3 : 2);

/**
 * Walks a participant from referral to the scenario's end: waiting for the start,
 * ~26 weeks of training at the actor (with a short "snuse-praktik" for some),
 * an internship at a company with weekly follow-up at the actor, then paid work,
 * education or nothing. Phases count active weekdays, so pauses and holidays
 * delay them; during the pauses almost nothing happens.
 */
function simulatePerson(p: Person, plan: PartnershipPlan, cal: Calendar, random: Random, emit: Emit): void {
  type Phase = 'training' | 'internship' | 'job' | 'education' | 'done';
  let phase: Phase = 'training';
  let active = 0;
  const training = weekPattern(random, p.trainingHours, p.trainingHours <= 12 ? 3 : 4);
  let internship = weekPattern(random, p.internshipHours, daysFor(p.internshipHours) === 5 ? 4 : daysFor(p.internshipHours));
  let followUpDay = [0, 1, 2, 3, 4].find((d) => !internship.days.includes(d)) ?? 4;
  let company = -1;
  let companyFrom = 0;
  let onlineThisWeek = false;
  const sources = plan.sources;
  const start = weekdayOnOrAfter(p.referral + int(random, 3, 12)); // the first meeting at the actor

  const openCompany = (d: number): number => {
    const open = sources.map((s, i) => i).filter((i) => sources[i]!.role === 'company' && sources[i]!.opens <= d && sources[i]!.closes >= d + 70);
    return open.length === 0 ? -1 : pick(random, open);
  };

  const afterInternship = (): Phase => {
    if ((p.outcome === 'job' || p.outcome === 'job_lost') && p.job) return 'job';
    if (p.job?.kind === 'smajob') return 'job';
    if (p.outcome === 'education') return 'education';
    return 'done';
  };

  const toInternship = (d: number): Phase => {
    if (p.internshipWeeks === 0) return afterInternship();
    company = p.internshipAt ?? openCompany(d);
    if (company < 0) return afterInternship();
    companyFrom = Math.max(d, sources[company]!.opens); // training goes on until the company takes people
    return 'internship';
  };

  for (let d = start; d <= cal.last && phase !== 'done'; d++) {
    const i = d - cal.first;
    const weekday = cal.weekday[i]!;
    if (weekday >= 5) continue;
    if (weekday === 0) onlineThisWeek = random() < 0.35;
    const pause = cal.pause[i]!;
    const week = cal.isoWeek[i]!;
    const holiday = cal.christmas[i] === 1 || (week >= 27 + p.holidayOffset && week <= 29 + p.holidayOffset);
    if (pause === WINTER && p.relapse && (phase === 'training' || phase === 'internship')) {
      phase = 'done'; // "tilbagefald": some never came back after the second lockdown
      break;
    }
    if (holiday) continue;

    if (phase === 'training') {
      if (pause === SPRING) {
        // Home training by phone or video, now and then.
        if (weekday === 1 && onlineThisWeek) emit(d, 150, A.training, 0);
        continue;
      }
      if (pause === WINTER) continue;
      active++;
      if (p.outcome === 'dropout' && !p.relapse && active > p.dropoutAfterWeeks * 5) {
        phase = 'done';
        continue;
      }
      if (training.days.includes(weekday)) {
        const fading = p.outcome === 'dropout' && !p.relapse && active > (p.dropoutAfterWeeks - 4) * 5;
        const centi = training.centi + (random() < 0.2 ? (random() < 0.5 ? -50 : 50) : 0);
        const snuse = p.snuse && active > 13 * 5 && active <= 15 * 5;
        if (random() < (fading ? 0.45 : p.absence)) emit(d, training.centi, A.absence, 0);
        else if (snuse) emit(d, 400, A.internship, 0);
        else emit(d, Math.max(100, centi), A.training, 0);
      }
      if (active >= p.trainingWeeks * 5) {
        phase = toInternship(d + 1);
        active = 0;
      }
      continue;
    }

    if (phase === 'internship') {
      if (d > sources[company]!.closes) {
        // The company left or went bankrupt: the actor finds another one after a while.
        company = openCompany(d + 14);
        if (company < 0) {
          phase = afterInternship();
          continue;
        }
        companyFrom = d + 14;
        internship = weekPattern(random, p.internshipHours, daysFor(p.internshipHours) === 5 ? 4 : daysFor(p.internshipHours));
        followUpDay = [0, 1, 2, 3, 4].find((x) => !internship.days.includes(x)) ?? 4;
      }
      if (pause === SPRING) continue;
      if (pause === WINTER && (plan.pausesAllInternshipsInDecember || !p.keepsInternshipInDecember)) continue;
      if (weekday === followUpDay && pause === NO_PAUSE) emit(d, 200, A.training, 0);
      if (d < companyFrom) {
        if (training.days.includes(weekday) && pause === NO_PAUSE) emit(d, training.centi, A.training, 0);
        continue;
      }
      if (sources[company]!.hospitality && hospitalityClosed(d)) continue;
      active++;
      if (internship.days.includes(weekday)) {
        const ramp = active <= 15 ? 0.6 : 1; // the first weeks are shorter
        if (random() < p.absence / 2) emit(d, internship.centi, A.absence, company);
        else emit(d, quarter((ramp * internship.centi) / 100), A.internship, company);
      }
      if (active >= p.internshipWeeks * 5) {
        phase = afterInternship();
        active = 0;
      }
      continue;
    }

    if (phase === 'job') {
      const job = p.job!;
      const employer = sources[job.employer]!;
      if (d > employer.closes) {
        phase = 'done'; // the employer went bankrupt: the job is lost
        continue;
      }
      if (employer.hospitality && hospitalityClosed(d)) continue;
      if (pause === SPRING && !p.keepsJobInSpring) continue;
      const jobWeek = Math.floor(active / 5);
      active++;
      if (job.weeks !== undefined && jobWeek >= job.weeks) {
        phase = 'done';
        continue;
      }
      let hours = job.hours;
      let activity = A.ordinary;
      let internshipToo = false;
      switch (job.kind) {
        case 'flexjob':
          activity = A.flexjob;
          break;
        case 'subsidy_then_ordinary':
          if (jobWeek < 13) activity = A.wage_subsidy;
          break;
        case 'split':
          // Part internship, part paid job for two months (000_*: "delvis praktik og delvis ansættelse").
          if (jobWeek < 8) {
            hours = 14;
            internshipToo = true;
          }
          break;
        case 'ramp':
          hours = jobWeek < 12 ? 8 : jobWeek < 24 ? 15 : 22.5;
          break;
        case 'smajob':
          hours = 6;
          break;
        case 'ordinary':
          break;
      }
      const days = internshipToo ? 4 : daysFor(hours);
      if (weekday >= days) continue;
      if (internshipToo) {
        if (weekday < 2) emit(d, 600, A.internship, job.employer);
        else emit(d, 700, A.ordinary, job.employer);
      } else if (random() < 0.025) emit(d, quarter(hours / days), A.absence, job.employer);
      else emit(d, quarter(hours / days), activity, job.employer);
      continue;
    }

    if (phase === 'education') {
      emit(d, 500, A.education, 0); // the actor keeps following the student
    }
  }
}

// ---------------------------------------------------------------------------
// Contracts

interface RateCard {
  programmeFee: number;
  cap: number;
  maxPerParticipant: number;
  deadweight: number;
  referralFee?: number;
  jobStart: number;
  sustained: number;
  sustainment: number;
  education: number;
  weeklyRate: number;
  hourlyWage: number;
  priorWeeks: number;
}

function contractOf(id: string, municipality: string, start: string, end: string, r: RateCard): Record<string, unknown> {
  const paidWork = ['ordinary', 'flexjob'];
  return {
    partnership: id,
    name: `Vækstpartnerskab ${municipality}`,
    municipality,
    start,
    end,
    programmeFee: r.programmeFee,
    cap: r.cap,
    maxPerParticipant: r.maxPerParticipant,
    deadweight: r.deadweight,
    outcomes: [
      ...(r.referralFee ? [{ id: 'referral', rule: 'referral', price: r.referralFee }] : []),
      { id: 'job_start', rule: 'first_week', activities: paidWork, minHours: 10, price: r.jobStart },
      { id: 'sustained_13', rule: 'cumulative_weeks', activities: paidWork, minHours: 20, weeks: 13, price: r.sustained },
      { id: 'sustainment', rule: 'periodic', after: 'sustained_13', activities: paidWork, minHours: 20, weeks: 4, times: 6, price: r.sustainment },
      { id: 'education_start', rule: 'first_week', activities: ['education'], minHours: 10, price: r.education },
    ],
    benefit: { ...specExampleContract().benefit, weeklyRate: r.weeklyRate, hourlyWage: r.hourlyWage, priorWeeksOnBenefit: r.priorWeeks },
  };
}

// ---------------------------------------------------------------------------
// Region Sjælland

const SJ_START = '2019-02-04';
const SJ_END = '2022-09-30';

interface Profile {
  outcome: Outcome;
  from: string;
  to: string;
  job?: { kind: JobKind; hours: number; employer: string; weeks?: number };
  relapse?: boolean;
}

const times = (n: number, profile: Profile): Profile[] => Array.from({ length: n }, () => profile);
/** Klynge 1's first referrals (February–June 2019) and the re-referrals after people left. */
const WAVE_1 = { from: '2019-02-04', to: '2019-06-28' };
const LATER = { from: '2019-08-12', to: '2021-06-30' };
/** Active in December 2020, and lost after it. */
const RELAPSE: Profile = { outcome: 'dropout', from: '2020-06-01', to: '2020-10-15', relapse: true };

const C1_SOURCES = {
  jobvejen: () => source('jobvejen', 'Jobvejen ApS', 'actor', STYLES.actorExcelExport),
  trinvis: () => source('trinvis', 'Trinvis Beskæftigelse', 'actor', STYLES.actorCaseSystem),
  // Accelerator companies: one went bankrupt in the first lockdown, one left in 2019.
  koekkenhuset: () => source('koekkenhuset', 'Køkkenhuset', 'company', STYLES.companyWorkbook, { closes: day('2020-03-13') }),
  groenOmstilling: () => source('groen-omstilling', 'Grøn Omstilling ApS', 'company', STYLES.companyWorkbook, { closes: day('2019-10-31') }),
  murerKalk: () => source('murer-kalk', 'Murer Kalk og Sten ApS', 'company', STYLES.companyEnglish),
  sengeland: () => source('sengeland', 'Sengeland', 'company', STYLES.companyWorkbook),
  lejebo: () => source('lejebo', 'Lejebo', 'company', STYLES.companyWorkbook),
  // Support companies (støttevirksomheder) that took over the internships from November 2019.
  koegeRoer: () => source('koege-roer', 'Køge Rør', 'company', STYLES.companyWorkbookNumbers, { opens: day('2019-11-01') }),
  odsherredGenbrug: () => source('odsherred-genbrug', 'Odsherred Genbrug', 'company', STYLES.companyWorkbook, { opens: day('2019-11-01') }),
  stevnsCafe: () => source('stevns-cafe', 'Café Klinten', 'company', STYLES.cafeWorkbook, { opens: day('2019-11-01'), hospitality: true }),
};

interface SjaellandDef {
  id: string;
  municipality: string;
  cluster: 1 | 2;
  sources: Source[];
  profiles: Profile[];
  rates: RateCard;
  projectIds?: string;
  pausesAllInternshipsInDecember?: boolean;
}

function sjaellandDefs(): SjaellandDef[] {
  const s = C1_SOURCES;
  const noJob = (n: number, window: { from: string; to: string }) => times(n, { outcome: 'no_job', ...window });
  const dropout = (window: { from: string; to: string }): Profile => ({ outcome: 'dropout', ...window });
  return [
    {
      id: 'koege', municipality: 'Køge', cluster: 1,
      sources: [s.jobvejen(), s.koekkenhuset(), s.murerKalk(), s.groenOmstilling(), s.koegeRoer()],
      profiles: [
        { outcome: 'job', from: '2019-03-01', to: '2019-04-15', job: { kind: 'subsidy_then_ordinary', hours: 30, employer: 'murer-kalk' } },
        { outcome: 'job_lost', from: '2019-02-04', to: '2019-02-08', job: { kind: 'ordinary', hours: 25, employer: 'koekkenhuset' } },
        { outcome: 'job', from: '2020-01-06', to: '2020-02-14', job: { kind: 'flexjob', hours: 20, employer: 'koege-roer' } },
        ...noJob(5, WAVE_1), ...noJob(4, LATER),
        dropout(WAVE_1), RELAPSE, dropout(LATER),
      ],
      rates: { programmeFee: 450000, cap: 600000, maxPerParticipant: 80000, deadweight: 0.25, jobStart: 15000, sustained: 25000, sustainment: 2000, education: 10000, weeklyRate: 2900, hourlyWage: 150, priorWeeks: 104 },
    },
    {
      id: 'odsherred', municipality: 'Odsherred', cluster: 1, pausesAllInternshipsInDecember: true,
      sources: [s.trinvis(), s.sengeland(), s.lejebo(), s.groenOmstilling(), s.odsherredGenbrug()],
      profiles: [
        { outcome: 'job', from: '2020-08-03', to: '2020-09-15', job: { kind: 'split', hours: 24, employer: 'sengeland' } },
        { outcome: 'job', from: '2019-05-01', to: '2019-06-01', job: { kind: 'subsidy_then_ordinary', hours: 32, employer: 'odsherred-genbrug' } },
        ...noJob(4, WAVE_1), ...noJob(3, LATER),
        dropout(WAVE_1), RELAPSE, dropout(LATER),
      ],
      rates: { programmeFee: 400000, cap: 560000, maxPerParticipant: 75000, deadweight: 0.25, jobStart: 14000, sustained: 24000, sustainment: 2000, education: 10000, weeklyRate: 2900, hourlyWage: 145, priorWeeks: 120 },
    },
    {
      id: 'stevns', municipality: 'Stevns', cluster: 1,
      sources: [s.jobvejen(), s.lejebo(), s.murerKalk(), s.stevnsCafe()],
      profiles: [
        { outcome: 'job', from: '2019-02-04', to: '2019-02-15', job: { kind: 'ordinary', hours: 37, employer: 'lejebo' } },
        { outcome: 'job', from: '2020-09-01', to: '2020-09-30', job: { kind: 'ramp', hours: 22.5, employer: 'stevns-cafe' } },
        { outcome: 'no_job', ...WAVE_1, job: { kind: 'smajob', hours: 6, employer: 'stevns-cafe', weeks: 12 } },
        ...noJob(3, WAVE_1), ...noJob(3, LATER),
        dropout(WAVE_1), dropout(WAVE_1), dropout(LATER),
      ],
      rates: { programmeFee: 360000, cap: 500000, maxPerParticipant: 80000, deadweight: 0.2, jobStart: 16000, sustained: 26000, sustainment: 2500, education: 10000, weeklyRate: 2900, hourlyWage: 150, priorWeeks: 96 },
    },
    {
      id: 'holbaek', municipality: 'Holbæk', cluster: 2, projectIds: 'SIV-HOL',
      // One social enterprise is both the actor and the company, with separate books (000_*).
      sources: [
        source('banegaarden-forloeb', 'Fonden Banegården, forløb', 'actor', STYLES.actorMonthlyTotals),
        source('banegaarden-hotel', 'Banegården Hotel og Spa', 'company', STYLES.companyEnglish, { hospitality: true }),
      ],
      profiles: [
        { outcome: 'job', from: '2020-09-01', to: '2020-10-15', job: { kind: 'ordinary', hours: 25, employer: 'banegaarden-hotel' } },
        { outcome: 'education', from: '2020-01-06', to: '2020-02-28' },
        ...noJob(2, { from: '2020-01-06', to: '2020-02-28' }), ...noJob(2, { from: '2021-03-01', to: '2021-06-15' }),
        { ...RELAPSE, from: '2020-08-15', to: '2020-10-31' }, dropout({ from: '2021-01-11', to: '2021-04-30' }),
      ],
      rates: { programmeFee: 300000, cap: 420000, maxPerParticipant: 85000, deadweight: 0.3, referralFee: 3000, jobStart: 15000, sustained: 25000, sustainment: 2000, education: 12000, weeklyRate: 2900, hourlyWage: 155, priorWeeks: 130 },
    },
  ];
}

function sjaellandPlans(seed: number): PartnershipPlan[] {
  let serial = 9000; // "9xxx": the running number shows these are invented
  return sjaellandDefs().map((def, pi) => {
    const random = seededRandom(mix(seed, pi, 0x51));
    const referralOf = (profile: Profile) => int(random, day(profile.from), day(profile.to));
    const drafted = def.profiles.map((profile) => ({ profile, referral: referralOf(profile) }));
    drafted.sort((a, b) => a.referral - b.referral);
    const people = drafted.map(({ profile, referral }, index) => {
      const own = seededRandom(mix(seed, pi, index + 1));
      const cpr = fakeCpr(own, ++serial);
      const written = def.projectIds ? `${def.projectIds}-${String(index + 1).padStart(2, '0')}` : cpr;
      const person = basePerson(own, written, referral, profile.outcome);
      person.relapse = profile.relapse ?? false;
      person.snuse = own() < 0.3;
      person.keepsJobInSpring = own() < 0.3; // most were sent home in the first lockdown
      person.internshipWeeks = own() < 0.6 ? int(own, 4, 14) : 0;
      if (profile.job) {
        const employer = def.sources.findIndex((s) => s.id === profile.job!.employer);
        if (employer < 0) throw new Error(`scenario: ${def.id} has no company ${profile.job.employer}`);
        person.job = { kind: profile.job.kind, hours: profile.job.hours, employer, weeks: profile.job.weeks };
        person.internshipAt = employer;
        person.internshipWeeks = int(own, 8, 12);
        person.internshipHours = int(own, 15, 28);
        person.trainingWeeks = int(own, 22, 26);
      }
      if (profile.outcome === 'job' || profile.outcome === 'job_lost') person.snuse = true;
      if (profile.outcome === 'education') person.internshipWeeks = int(own, 8, 12);
      return person;
    });
    return {
      id: def.id,
      municipality: def.municipality,
      cluster: def.cluster,
      contract: contractOf(def.id, def.municipality, SJ_START, SJ_END, def.rates),
      sources: def.sources,
      people,
      pausesAllInternshipsInDecember: def.pausesAllInternshipsInDecember ?? false,
      rosterDates: 'dmy',
    };
  });
}

// ---------------------------------------------------------------------------
// National scale: 98 municipalities, 5,000 participants, 2019–2021

const NATIONAL = { municipalities: 98, participants: 5000, start: '2019-01-07', end: '2021-12-31', firstMonth: '2019-01', lastMonth: '2021-12' };

/** Splits a total over weights, whole numbers that add up exactly (largest remainder). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return counts;
}

function nationalPlans(seed: number): PartnershipPlan[] {
  const random = seededRandom(mix(seed, 0x4e41));
  const sizes = apportion(NATIONAL.participants, Array.from({ length: NATIONAL.municipalities }, () => 0.3 + random() * random() * 3));
  let serial = 0;
  const round500 = (x: number) => Math.round(x / 500) * 500;
  return sizes.map((size, mi) => {
    const number = String(mi + 1).padStart(3, '0');
    const id = `m${number}`;
    const municipality = `Kommune ${number}`;
    const jitter = () => 0.9 + random() * 0.2;
    const actorStyle = mi % 7 === 3 ? STYLES.actorMonthlyTotals : STYLES.actorExcelExport;
    const sources: Source[] = [
      source('aktoer', `Aktør ${number}`, 'actor', { ...actorStyle, bom: false }),
      ...[1, 2, 3, 4].map((c) => source(`virksomhed-${c}`, `Virksomhed ${number}-${c}`, 'company', { ...STYLES.companyEnglish, columns: [['participant', 'participant'], ...STYLES.companyEnglish.columns.slice(1)] }, { hospitality: c === 4 })),
    ];
    const people: Person[] = [];
    for (let k = 0; k < size; k++) {
      const own = seededRandom(mix(seed, mi, k, 0x77));
      const roll = own();
      const outcome: Outcome = roll < 0.15 ? 'job' : roll < 0.17 ? 'job_lost' : roll < 0.2 ? 'education' : roll < 0.42 ? 'dropout' : 'no_job';
      const cpr = fakeCpr(own, serial++);
      const referral = int(own, day(NATIONAL.start), day('2021-06-30'));
      const person = basePerson(own, cpr, referral, outcome);
      person.snuse = own() < 0.3;
      person.relapse = outcome === 'dropout' && own() < 0.2;
      person.keepsJobInSpring = own() < 0.6;
      person.internshipWeeks = outcome === 'education' || own() < 0.6 ? int(own, 4, 14) : 0;
      if (outcome === 'job' || outcome === 'job_lost' || (outcome === 'no_job' && own() < 0.08)) {
        const employer = int(own, 1, 4);
        const kinds: JobKind[] = ['ordinary', 'ordinary', 'ordinary', 'flexjob', 'subsidy_then_ordinary', 'subsidy_then_ordinary', 'ramp', 'split'];
        const kind: JobKind = outcome === 'no_job' ? 'smajob' : pick(own, kinds);
        person.job = { kind, hours: int(own, 20, 37), employer, weeks: outcome === 'job_lost' ? int(own, 6, 30) : outcome === 'no_job' ? 12 : undefined };
        person.internshipAt = employer;
        person.internshipWeeks = int(own, 8, 12);
      }
      people.push(person);
    }
    people.sort((a, b) => a.referral - b.referral);
    const rates: RateCard = {
      programmeFee: round500(Math.max(150000, size * 6500 * jitter())),
      cap: 0,
      maxPerParticipant: round500(80000 * jitter()),
      deadweight: pick(random, [0.2, 0.25, 0.3]),
      referralFee: mi % 5 === 0 ? round500(3000 * jitter()) : undefined,
      jobStart: round500(15000 * jitter()),
      sustained: round500(25000 * jitter()),
      sustainment: round500(2000 * jitter()),
      education: round500(10000 * jitter()),
      weeklyRate: 2900,
      hourlyWage: pick(random, [140, 145, 150, 155]),
      priorWeeks: int(random, 80, 160),
    };
    rates.cap = round500(rates.programmeFee * 1.4);
    return {
      id,
      municipality,
      cluster: mi < 49 ? 1 : 2,
      contract: contractOf(id, municipality, NATIONAL.start, NATIONAL.end, rates),
      sources,
      people,
      pausesAllInternshipsInDecember: mi % 11 === 0,
      rosterDates: 'iso',
    };
  });
}

// ---------------------------------------------------------------------------
// Writing files

/** A timesheet row: participant index, day, centi-hours, activity index, or written text for mistakes. */
interface Row {
  person: number;
  day: number;
  centi: number;
  activity: number;
  hoursText?: string;
  activityText?: string;
}

/** Deliberate mistakes (sjaelland only): where, and what. */
interface PlannedMistake {
  partnership: string;
  month: string;
  role: 'actor' | 'company';
  kind: ScenarioMistake['kind'];
}

const SJAELLAND_MISTAKES: PlannedMistake[] = [
  // The actor logged a job interview, which is no activity of the programme.
  { partnership: 'odsherred', month: '2019-10', role: 'actor', kind: 'unknown_activity' },
  // A company's workbook runs on into the first day of the next month.
  { partnership: 'stevns', month: '2021-03', role: 'company', kind: 'outside_month' },
  // "25" typed for "2,5".
  { partnership: 'koege', month: '2020-10', role: 'actor', kind: 'over_24_hours' },
];
/** The actor forgot a participant and misfiled sick days; a corrected file follows. */
const SJAELLAND_CORRECTION = { partnership: 'koege', month: '2019-05', role: 'actor' as const };

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

/** The cells of a file's rows, header first. */
function tableOf(rows: readonly Row[], people: readonly Person[], source: Source, cal: Calendar): (string | number | Date)[][] {
  const style = source.style;
  const table: (string | number | Date)[][] = [style.columns.map(([, name]) => name)];
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

function csvText(table: (string | number | Date)[][], style: SourceStyle): string {
  const eol = style.crlf ? '\r\n' : '\n';
  const quote = (cell: string | number | Date) => {
    const text = String(cell);
    return text.includes(style.delimiter) || text.includes('"') ? `"${text.replaceAll('"', '""')}"` : text;
  };
  let out = style.bom ? '\uFEFF' : '';
  for (const cells of table) out += cells.map(quote).join(style.delimiter) + eol;
  return out;
}

/** Zip entries in the order Excel writes them: the workbook before its worksheets. */
const EXCEL_ORDER = ['[Content_Types].xml', '_rels/.rels', 'docProps/app.xml', 'docProps/core.xml', 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/theme/theme1.xml', 'xl/styles.xml', 'xl/sharedStrings.xml'];
const excelRank = (name: string) => (EXCEL_ORDER.includes(name) ? EXCEL_ORDER.indexOf(name) : name.startsWith('xl/worksheets/') ? 100 : 50);

/**
 * Rewrites the zip exceljs produced in two ways:
 * - deterministic: exceljs stamps every zip entry with the current time, and a
 *   scenario must be byte-identical for a seed, so each entry's DOS time becomes
 *   `when` (the times are in the headers, outside the CRCs);
 * - in Excel's entry order: exceljs writes xl/workbook.xml after the worksheets,
 *   and its streaming reader (which shared/timesheets/xlsx-rows.ts uses) then
 *   buffers the sheet in a temp file and, about once in a hundred reads, fails
 *   with "Cannot read properties of undefined (reading 'sheets')". Files saved by
 *   Excel have the workbook first and read reliably; so do these.
 * Directory entries (exceljs adds them, Excel does not) are left out.
 */
function excelZip(zip: Uint8Array, when: Date): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const time = (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | Math.floor(when.getUTCSeconds() / 2);
  const date = ((when.getUTCFullYear() - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate();
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error('scenario: exceljs wrote no zip end record');
  const entries: { name: string; local: Uint8Array; central: Uint8Array }[] = [];
  let at = view.getUint32(end + 16, true);
  for (let n = view.getUint16(end + 10, true); n > 0; n--) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error('scenario: unexpected zip central directory');
    if (view.getUint16(at + 8, true) & 8) throw new Error('scenario: zip entries with data descriptors are not expected');
    const nameLength = view.getUint16(at + 28, true);
    const centralLength = 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    const local = view.getUint32(at + 42, true);
    const localLength = 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true) + view.getUint32(at + 20, true);
    if (!name.endsWith('/')) entries.push({ name, local: zip.slice(local, local + localLength), central: zip.slice(at, at + centralLength) });
    at += centralLength;
  }
  entries.sort((a, b) => excelRank(a.name) - excelRank(b.name) || (a.name < b.name ? -1 : 1));
  const out = new Uint8Array(entries.reduce((sum, e) => sum + e.local.length + e.central.length, 22));
  const writer = new DataView(out.buffer);
  const offsets: number[] = [];
  let pos = 0;
  for (const entry of entries) {
    offsets.push(pos);
    out.set(entry.local, pos);
    writer.setUint16(pos + 10, time, true);
    writer.setUint16(pos + 12, date, true);
    pos += entry.local.length;
  }
  const directory = pos;
  entries.forEach((entry, i) => {
    out.set(entry.central, pos);
    writer.setUint16(pos + 12, time, true);
    writer.setUint16(pos + 14, date, true);
    writer.setUint32(pos + 42, offsets[i]!, true);
    pos += entry.central.length;
  });
  out.set(zip.subarray(end, end + 22), pos); // end record, comment length 0 from exceljs
  writer.setUint16(pos + 8, entries.length, true);
  writer.setUint16(pos + 10, entries.length, true);
  writer.setUint32(pos + 12, pos - directory, true);
  writer.setUint32(pos + 16, directory, true);
  writer.setUint16(pos + 20, 0, true);
  return out;
}

async function xlsxBytes(table: (string | number | Date)[][], month: string): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sent = new Date(monthRange(month).last * 86_400_000 + 86_400_000 * 3 + 9 * 3_600_000); // the 3rd of the next month, 09:00
  workbook.creator = 'pbr scenario';
  workbook.lastModifiedBy = 'pbr scenario';
  workbook.created = sent;
  workbook.modified = sent;
  const sheet = workbook.addWorksheet('Timer');
  sheet.addRows(table);
  sheet.getRow(1).font = { bold: true };
  const dateColumn = table[0]!.findIndex((name) => String(name).toLowerCase() === 'dato');
  if (dateColumn >= 0) sheet.getColumn(dateColumn + 1).numFmt = 'dd-mm-yyyy';
  sheet.columns.forEach((column) => (column.width = 16));
  return excelZip(new Uint8Array(await workbook.xlsx.writeBuffer()), sent);
}

/** Monthly-total rows (no date column): the month's hours per participant and activity. */
function monthlyTotals(rows: readonly Row[]): Row[] {
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
function injectMistake(rows: Row[], kind: ScenarioMistake['kind'], month: string, random: Random): number {
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

interface Written {
  partnership: ScenarioPartnership;
  timesheets: (ScenarioTimesheet & { order: number })[];
  rows: number;
  bytes: number;
}

async function writePartnership(dir: string, made: Set<string>, plan: PartnershipPlan, cal: Calendar, seed: number, index: number, mistakes: readonly PlannedMistake[], correction: typeof SJAELLAND_CORRECTION | undefined): Promise<Written> {
  const contract = parseContract(plan.contract, `scenario contract ${plan.id}`);
  let bytes = 0;
  const put = async (relative: string, content: string | Uint8Array) => {
    const file = join(dir, relative);
    const folder = dirname(file);
    if (!made.has(folder)) {
      await mkdir(folder, { recursive: true });
      made.add(folder);
    }
    await writeFile(file, content);
    bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
    return file;
  };
  const contractFile = await put(`contracts/${plan.id}.json`, JSON.stringify(contract, null, 2) + '\n');
  const roster = ['participant,partnership,referral_date,prior_weeks_on_benefit,weekly_benefit'];
  for (const person of plan.people) {
    const date = plan.rosterDates === 'dmy' ? formatDay(person.referral).split('-').reverse().join('-') : formatDay(person.referral);
    roster.push(`${person.written},${plan.id},${date},${person.priorWeeks},${person.weeklyBenefit ?? ''}`);
  }
  const rosterFile = await put(`rosters/${plan.id}.csv`, roster.join('\n') + '\n');

  // Simulate everyone into (month, source) buckets.
  const buckets = new Map<number, Row[]>();
  const nSources = plan.sources.length;
  const contractFirst = day(contract.start);
  const contractLast = day(contract.end);
  plan.people.forEach((person, pi) => {
    const random = seededRandom(mix(seed, index, pi, 0x5e));
    simulatePerson(person, plan, cal, random, (d, centi, activity, source) => {
      if (d < contractFirst || d > contractLast) return;
      const key = cal.monthOf(d) * nSources + source;
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = []));
      bucket.push({ person: pi, day: d, centi, activity });
    });
  });

  const timesheets: Written['timesheets'] = [];
  let rowCount = 0;
  // A planned mistake or correction goes into the first fitting file from its month on.
  const pending = mistakes.filter((m) => m.partnership === plan.id);
  let correctionPending = correction?.partnership === plan.id ? correction : undefined;
  const keys = [...buckets.keys()].sort((a, b) => a - b);
  for (const key of keys) {
    const monthIndex = Math.floor(key / nSources);
    const month = cal.months[monthIndex]!;
    const sourceIndex = key % nSources;
    const source = plan.sources[sourceIndex]!;
    const style = source.style;
    const totals = !style.columns.some(([column]) => column === 'date');
    let rows = buckets.get(key)!;
    rows = totals ? monthlyTotals(rows) : source.role === 'actor' ? rows.sort((a, b) => a.day - b.day || a.person - b.person) : rows.sort((a, b) => a.person - b.person || a.day - b.day);
    const random = seededRandom(mix(seed, index, key, 0xbad));
    const found: ScenarioMistake[] = [];
    const mistake = pending.find((m) => m.month <= month && m.role === source.role && !totals && rows.length >= 3);
    if (mistake) {
      pending.splice(pending.indexOf(mistake), 1);
      found.push({ kind: mistake.kind, line: injectMistake(rows, mistake.kind, month, random) });
    }
    const order = monthIndex * 1_000_000 + index * 1000 + sourceIndex;
    const content = (table: Row[]) => (style.file === 'xlsx' ? xlsxBytes(tableOf(table, plan.people, source, cal), month) : Promise.resolve(csvText(tableOf(table, plan.people, source, cal), style)));
    const people = new Set(rows.map((row) => row.person));
    const corrected = correctionPending !== undefined && correctionPending.month <= month && correctionPending.role === source.role && found.length === 0 && people.size >= 2;
    if (corrected) {
      correctionPending = undefined;
      // First version: the last participant forgotten, sick days filed as training.
      const forgotten = Math.max(...people);
      const first = rows.filter((row) => row.person !== forgotten).map((row) => (row.activity === A.absence ? { ...row, activity: A.training } : row));
      const file = await put(`timesheets/${plan.id}/${month}/first-version/${source.id}.${style.file}`, await content(first));
      timesheets.push({ file, partnership: plan.id, month, source: source.id, note: `${style.note}; first version, corrected later`, mistakes: [], correction: false, order });
      rowCount += first.length;
    }
    const file = await put(`timesheets/${plan.id}/${month}/${source.id}.${style.file}`, await content(rows));
    const note = corrected ? `${style.note}; correction: replaces the first version` : found.length > 0 ? `${style.note}; a row is rejected` : style.note;
    // A correction is uploaded after everything else of its month.
    timesheets.push({ file, partnership: plan.id, month, source: source.id, note, mistakes: found, correction: corrected, order: corrected ? monthIndex * 1_000_000 + 999_999 : order });
    rowCount += rows.length;
  }
  if (pending.length > 0 || correctionPending) throw new Error(`scenario: ${plan.id} has no file for a planned mistake or correction`);
  return { partnership: { id: plan.id, municipality: plan.municipality, cluster: plan.cluster, contractFile, rosterFile }, timesheets, rows: rowCount, bytes };
}

/**
 * Writes a scenario into `dir` and returns its manifest, whose paths are
 * `join(dir, …)` (also written as `manifest.json`, paths relative to `dir`): `contracts/<id>.json`,
 * `rosters/<id>.csv` and `timesheets/<id>/<YYYY-MM>/<source>.csv|.xlsx`. A
 * correction's first version lives in `.../<YYYY-MM>/first-version/`, so
 * globbing `timesheets/<id>/*\/*` gives the final versions only.
 */
export async function writeScenario(dir: string, options: ScenarioOptions): Promise<ScenarioManifest> {
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffff_ffff) throw new Error(`scenario: the seed must be a whole number from 0 to 4294967295, not ${options.seed}`);
  const sjaelland = options.scale === 'sjaelland';
  if (!sjaelland && options.scale !== 'national') throw new Error(`scenario: unknown scale "${String(options.scale)}"`);
  const plans = sjaelland ? sjaellandPlans(options.seed) : nationalPlans(options.seed);
  const cal = sjaelland ? new Calendar('2019-02', '2022-09') : new Calendar(NATIONAL.firstMonth, NATIONAL.lastMonth);
  const partnerships: ScenarioPartnership[] = [];
  const timesheets: Written['timesheets'] = [];
  let rows = 0;
  let bytes = 0;
  // A few partnerships at a time: file writes overlap, the output stays in plan order.
  const BATCH = sjaelland ? 1 : 8;
  const made = new Set<string>(); // directories already created
  for (let at = 0; at < plans.length; at += BATCH) {
    const batch = plans.slice(at, at + BATCH);
    const written = await Promise.all(
      batch.map((plan, k) => writePartnership(dir, made, plan, cal, options.seed, at + k, sjaelland ? SJAELLAND_MISTAKES : [], sjaelland ? SJAELLAND_CORRECTION : undefined)),
    );
    for (const w of written) {
      partnerships.push(w.partnership);
      timesheets.push(...w.timesheets);
      rows += w.rows;
      bytes += w.bytes;
    }
    options.onProgress?.({ partnershipsDone: partnerships.length, partnerships: plans.length, files: timesheets.length, rows });
  }
  timesheets.sort((a, b) => a.order - b.order);
  const manifest: ScenarioManifest = {
    seed: options.seed,
    scale: options.scale,
    partnerships,
    timesheets: timesheets.map(({ order, ...timesheet }) => timesheet),
    participants: plans.reduce((sum, plan) => sum + plan.people.length, 0),
    rows,
    bytes,
  };
  const relative = (file: string) => relativePath(dir, file);
  const onDisk = {
    ...manifest,
    partnerships: partnerships.map((p) => ({ ...p, contractFile: relative(p.contractFile), rosterFile: relative(p.rosterFile) })),
    timesheets: manifest.timesheets.map((t) => ({ ...t, file: relative(t.file) })),
  };
  const text = JSON.stringify(onDisk, null, 1) + '\n';
  await writeFile(join(dir, MANIFEST_FILE), text);
  manifest.bytes += Buffer.byteLength(text);
  return manifest;
}
