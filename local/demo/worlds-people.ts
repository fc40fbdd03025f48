import type { ExitReason } from '../../shared/simulation/roster-entry.ts';
import { int, pick, type Random } from './draws.ts';
import { basePerson, fakeCpr, type Job, type JobKind, type NextJob, type Outcome, type Person } from './people.ts';

/*
 * The participants of the test worlds (worlds.ts): careers whose next step depends
 * on the time spent (training of 18–34 weeks around 26, internships of 3–30 weeks),
 * dropouts from the first weeks on, jobs lost and found again after weeks or months
 * without hours, education started and sometimes dropped, longer holidays, and
 * roster exits for those who left. How often each happens is the world's shape.
 */

/** A whole-number range, both ends included. */
export type Range = readonly [min: number, max: number];

/** How careers run in one shape of world. */
export interface Careers {
  /** Shares of outcomes; the rest finish training (and perhaps an internship) without a job. */
  job: number;
  jobLost: number;
  education: number;
  dropout: number;
  /** Of the dropouts, the share who leave within the first four weeks (some never show up). */
  earlyDropout: number;
  trainingWeeks: Range;
  internshipWeeks: Range;
  /** How long a job that is lost lasts. */
  jobWeeks: Range;
  /** The share of lost jobs followed by another one, after `gapWeeks` without hours. */
  refind: number;
  gapWeeks: Range;
  /** The share of students who drop out of education. */
  educationDropout: number;
  /** The share of workers laid off when their workplace closes for a while; the others wait for it to reopen. */
  layoffs: number;
  summerWeeks: Range;
  /** The share who take 19 December to 6 January off. */
  longChristmas: number;
}

/** Where a partnership's people are referred from and employed. */
export interface Placement {
  /** Referral windows (day numbers, `to` excluded) and their weights. */
  waves: readonly { from: number; to: number; weight: number }[];
  /** Source indices of the companies that employ, and their weights (their size). */
  employers: readonly number[];
  employerWeights: readonly number[];
}

/** Mostly near the middle of the range: the sum of two even draws over its halves. */
export const around = (random: Random, [min, max]: Range): number => min + int(random, 0, Math.floor((max - min) / 2)) + int(random, 0, Math.ceil((max - min) / 2));

/** An index into `weights`, each as likely as its weight. */
export function weighted(random: Random, weights: readonly number[]): number {
  let left = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((left -= weights[i]!) < 0) return i;
  return weights.length - 1;
}

const JOB_KINDS: readonly JobKind[] = ['ordinary', 'ordinary', 'ordinary', 'ordinary', 'flexjob', 'subsidy_then_ordinary', 'subsidy_then_ordinary', 'ramp', 'split'];

/** The roster's reason for someone who left before the contract's end. */
function exitReason(own: Random, outcome: Outcome): ExitReason {
  if (outcome === 'dropout') return own() < 0.15 ? 'other' : 'unavailable';
  return 'unemployed'; // finished without a job, lost it, or left education
}

/** The outcome a roll in [0, 1) falls on, by the shape's shares. */
function outcomeOf(roll: number, careers: Careers): Outcome {
  const shares: [Outcome, number][] = [['job', careers.job], ['job_lost', careers.jobLost], ['education', careers.education], ['dropout', careers.dropout]];
  let sum = 0;
  for (const [outcome, share] of shares) if (roll < (sum += share)) return outcome;
  return 'no_job';
}

/** A job found again: often part-time, at any employer, sometimes lost once more. */
function nextJob(own: Random, careers: Careers, placement: Placement): NextJob {
  const employer = placement.employers[weighted(own, placement.employerWeights)]!;
  const hours = own() < 0.5 ? int(own, 8, 20) : int(own, 22, 37);
  const weeks = own() < 0.25 ? around(own, careers.jobWeeks) : undefined;
  return { gapWeeks: around(own, careers.gapWeeks), job: { kind: 'ordinary', hours, employer, weeks } };
}

/** One participant of a world, from their own stream; `serial` makes the invented CPR number unique. */
export function worldPerson(own: Random, serial: number, careers: Careers, placement: Placement): Person {
  const outcome = outcomeOf(own(), careers);
  const cpr = fakeCpr(own, serial);
  const wave = placement.waves[weighted(own, placement.waves.map((w) => w.weight))]!;
  const person = basePerson(own, cpr, int(own, wave.from, wave.to - 1), outcome);
  person.trainingWeeks = around(own, careers.trainingWeeks);
  // Early dropouts leave within four weeks; 0: referred, but never shows up.
  person.dropoutAfterWeeks = own() < careers.earlyDropout ? (own() < 0.4 ? 0 : int(own, 1, 4)) : int(own, 5, careers.trainingWeeks[1] + 6);
  person.snuse = own() < 0.3;
  person.internshipWeeks = outcome !== 'no_job' || own() < 0.6 ? around(own, careers.internshipWeeks) : 0;
  if (outcome === 'job' || outcome === 'job_lost') {
    const employer = placement.employers[weighted(own, placement.employerWeights)]!;
    const job: Job = { kind: pick(own, JOB_KINDS), hours: int(own, 18, 37), employer, weeks: outcome === 'job_lost' ? around(own, careers.jobWeeks) : undefined };
    person.job = job;
    person.internshipAt = employer;
    person.laidOffWhenClosed = own() < careers.layoffs;
    if (own() < careers.refind) person.nextJobs = [nextJob(own, careers, placement)];
  }
  if (outcome === 'education' && own() < careers.educationDropout) person.educationWeeks = int(own, 4, 30);
  person.summerWeeks = int(own, careers.summerWeeks[0], careers.summerWeeks[1]);
  person.longChristmas = own() < careers.longChristmas;
  // Most exits of people who left are recorded, a few weeks late at most; nobody still active has one.
  if (own() < 0.85) person.exit = { reason: exitReason(own, outcome), daysBeforeLastHours: -int(own, 0, 28), ifLeft: true };
  return person;
}
