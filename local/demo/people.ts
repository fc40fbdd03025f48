import { weekdayOnOrAfter } from './calendar.ts';
import type { ExitReason } from '../../shared/simulation/roster-entry.ts';
import { int, type Random } from './draws.ts';

/*
 * The participants: who they are (a fictional CPR number or a project id, benefit
 * history) and the path planned for them (training, internship, job, education,
 * dropout), which the participant walk (participant-path.ts) turns into hours.
 */

/** Where a participant's path ends. */
export type Outcome = 'job' | 'job_lost' | 'no_job' | 'dropout' | 'education';
/** How a paid job's hours run: the patterns of the final report. */
export type JobKind = 'ordinary' | 'flexjob' | 'subsidy_then_ordinary' | 'split' | 'ramp' | 'smajob';

/** A paid job at one of the partnership's companies. */
export interface Job {
  kind: JobKind;
  hours: number;
  /** Source index of the employer (also where the internship was). */
  employer: number;
  /** Weeks of work before the job ends (småjob, or a job lost); undefined: to the end. */
  weeks?: number;
}

/** A job found again after one was lost: weeks without hours, then this job (often part-time). */
export interface NextJob {
  gapWeeks: number;
  job: Job;
}

/**
 * How a participant left the programme, as the roster records it: the reason, and
 * the exit date's distance before the day of their last reported hours (0: that very
 * day; more: a deliberately late report, hours after the exit).
 */
export interface PlannedExit {
  reason: ExitReason;
  /** Negative: recorded that many days after the last hours (never after the contract's end). */
  daysBeforeLastHours: number;
  /** Recorded only if the path ends within the contract (people still active at the end have no exit). */
  ifLeft?: boolean;
}

/** One participant and their planned path. */
export interface Person {
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
  /** The roster's exit; undefined: none recorded (the exit columns stay empty). */
  exit?: PlannedExit;
  /*
   * The test worlds' paths (worlds.ts); absent in the demo and national scenarios,
   * whose walks and draws stay exactly as they were.
   */
  /** Weeks of summer holiday from ISO week 27 + holidayOffset; undefined: 3. */
  summerWeeks?: number;
  /** Off from 19 December to 6 January rather than 24 December to 1 January. */
  longChristmas?: boolean;
  /** Weeks in education before dropping out of it; undefined: stays to the end. */
  educationWeeks?: number;
  /** Loses the job when the employer closes for a while (Source.closed) instead of waiting for it to reopen. */
  laidOffWhenClosed?: boolean;
  /** The jobs found again, in turn, each time a job ends (its weeks run out, or the employer closes). */
  nextJobs?: NextJob[];
}

/**
 * Fictional CPR-shaped numbers (DDMMYY-XXXX): an invented date of birth and a
 * serial that is just the participant's running number. They are made up from
 * the seed, are not taken from or checked against any register, and exist only to
 * show the pseudonymisation at the edge. Never put real CPR numbers in demo data.
 */
export function fakeCpr(random: Random, serial: number): string {
  const year = int(random, 1960, 1997);
  const month = int(random, 1, 12);
  const dayOfMonth = int(random, 1, 28);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(dayOfMonth)}${two(month)}${two(year % 100)}-${String(serial).padStart(4, '0')}`;
}

/** The path fields every participant gets, drawn from their own stream (in this order: the seed depends on it). */
export function basePerson(random: Random, written: string, referral: number, outcome: Outcome): Person {
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
