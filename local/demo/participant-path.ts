import { ACTIVITIES, type Activity } from '../../shared/weekly-hours/activities.ts';
import { type Calendar, hospitalityClosed, NO_PAUSE, SPRING, WINTER, weekdayOnOrAfter } from './calendar.ts';
import { int, pick, type Random } from './draws.ts';
import type { Job, Person } from './people.ts';
import type { PartnershipPlan } from './plan.ts';
import type { Source } from './sources.ts';

/*
 * The walk of one participant, day by day, from referral to the scenario's end:
 * waiting for the start, ~26 weeks of training at the actor (with a short
 * "snuse-praktik" for some), an internship at a company with weekly follow-up at
 * the actor, then paid work, education or nothing. Phases count active weekdays,
 * so pauses and holidays delay them; during the pauses almost nothing happens.
 * The test worlds (worlds.ts) add, through optional Person and Source fields:
 * longer holidays, workplaces closed for months, jobs lost and found again after
 * weeks without hours, and education dropped; without those fields the walk and
 * its draws are exactly as before.
 *
 * Every draw from `random` happens in a fixed order: changing the order changes
 * the files a seed writes.
 */

/** Index into ACTIVITIES by activity code. */
export const ACTIVITY_INDEX = Object.fromEntries(ACTIVITIES.map((activity, i) => [activity, i])) as Record<Activity, number>;
const A = ACTIVITY_INDEX;

/** Receives one day's hours: day, centi-hours, ACTIVITIES index, index of the source that reports them. */
export type Emit = (d: number, centi: number, activity: number, source: number) => void;

/** `between`: a job lost, no hours until the next one (Person.nextJobs) begins. */
type Phase = 'training' | 'internship' | 'job' | 'between' | 'education' | 'done';

/** Weekdays (0 = Monday) a weekly load is spread over, and the centi-hours per day. */
interface WeekPattern {
  days: number[];
  centi: number;
}

/** The walk's state between days. */
interface Walk {
  readonly p: Person;
  readonly plan: PartnershipPlan;
  readonly sources: Source[];
  readonly random: Random;
  readonly emit: Emit;
  readonly training: WeekPattern;
  phase: Phase;
  /** Active weekdays in the current phase. */
  active: number;
  internship: WeekPattern;
  /** The weekday of the actor's follow-up meeting during an internship. */
  followUpDay: number;
  /** Source index of the internship company, -1 before (or without) one. */
  company: number;
  companyFrom: number;
  onlineThisWeek: boolean;
  /** The current job: the person's job, then each of `nextJobs` in turn. */
  job: Job | undefined;
  /** How many of `nextJobs` have begun (or are waited for). */
  nextJob: number;
  /** In `between`: the day the next job begins. */
  nextJobFrom: number;
  /** Active weekdays in education. */
  educationDays: number;
}

const quarter = (hours: number) => Math.max(25, Math.round(hours * 4) * 25); // centi-hours, rounded to ¼ hour

function weekPattern(random: Random, weeklyHours: number, days: number): WeekPattern {
  const all = [0, 1, 2, 3, 4];
  while (all.length > days) all.splice(Math.floor(random() * all.length), 1);
  return { days: all, centi: quarter(weeklyHours / days) };
}

const daysFor = (hours: number) => (hours >= 30 ? 5 : hours >= 20 ? 4 : hours >= 9 ? 3 : 2);

/** An internship leaves at least one weekday free for the follow-up at the actor. */
const internshipPattern = (random: Random, hours: number) => weekPattern(random, hours, daysFor(hours) === 5 ? 4 : daysFor(hours));
const followUpDayOf = (internship: WeekPattern) => [0, 1, 2, 3, 4].find((d) => !internship.days.includes(d)) ?? 4;

/** Whether a source is closed for a while on a day (Source.closed). */
const closedOn = (source: Source, d: number): boolean => source.closed !== undefined && source.closed.some((span) => d >= span.from && d <= span.to);

/**
 * Walks a participant through the calendar, emitting every day's hours. Returns the
 * day after the path ended (left the programme), or undefined when it is still going
 * at the calendar's end: the roster records some exits only for people who left.
 */
export function simulatePerson(p: Person, plan: PartnershipPlan, cal: Calendar, random: Random, emit: Emit): number | undefined {
  const training = weekPattern(random, p.trainingHours, p.trainingHours <= 12 ? 3 : 4);
  const internship = internshipPattern(random, p.internshipHours);
  const w: Walk = { p, plan, sources: plan.sources, random, emit, training, phase: 'training', active: 0, internship, followUpDay: followUpDayOf(internship), company: -1, companyFrom: 0, onlineThisWeek: false, job: p.job, nextJob: 0, nextJobFrom: 0, educationDays: 0 };
  const start = weekdayOnOrAfter(p.referral + int(random, 3, 12)); // the first meeting at the actor
  const summerLast = 26 + p.holidayOffset + (p.summerWeeks ?? 3);

  let d = start;
  for (; d <= cal.last && w.phase !== 'done'; d++) {
    const i = d - cal.first;
    const weekday = cal.weekday[i]!;
    if (weekday >= 5) continue;
    if (weekday === 0) w.onlineThisWeek = random() < 0.35;
    const pause = cal.pause[i]!;
    const week = cal.isoWeek[i]!;
    const holiday = cal.christmas[i] === 1 || (p.longChristmas === true && cal.longChristmas[i] === 1) || (week >= 27 + p.holidayOffset && week <= summerLast);
    if (pause === WINTER && p.relapse && (w.phase === 'training' || w.phase === 'internship')) {
      w.phase = 'done'; // "tilbagefald": some never came back after the second lockdown
      break;
    }
    if (holiday) continue;
    if (w.phase === 'training') trainingDay(w, d, weekday, pause);
    else if (w.phase === 'internship') internshipDay(w, d, weekday, pause);
    else if (w.phase === 'job') jobDay(w, d, weekday, pause);
    else if (w.phase === 'between') betweenDay(w, d, weekday, pause);
    else if (w.phase === 'education') educationDay(w, d);
  }
  return w.phase === 'done' ? d : undefined;
}

/** A company that takes people from `d` (open, not closed for a while) and stays at least ten weeks, or -1. */
function openCompany(w: Walk, d: number): number {
  const sources = w.sources;
  const takes = (s: Source) => s.role === 'company' && s.opens <= d && s.closes >= d + 70 && !closedOn(s, d);
  const open = sources.map((_, i) => i).filter((i) => takes(sources[i]!));
  return open.length === 0 ? -1 : pick(w.random, open);
}

function afterInternship(p: Person): Phase {
  if ((p.outcome === 'job' || p.outcome === 'job_lost') && p.job) return 'job';
  if (p.job?.kind === 'smajob') return 'job';
  if (p.outcome === 'education') return 'education';
  return 'done';
}

function toInternship(w: Walk, d: number): Phase {
  if (w.p.internshipWeeks === 0) return afterInternship(w.p);
  w.company = w.p.internshipAt ?? openCompany(w, d);
  if (w.company < 0) return afterInternship(w.p);
  w.companyFrom = Math.max(d, w.sources[w.company]!.opens); // training goes on until the company takes people
  return 'internship';
}

function trainingDay(w: Walk, d: number, weekday: number, pause: number): void {
  const { p, random, emit, training } = w;
  if (pause === SPRING) {
    // Home training by phone or video, now and then.
    if (weekday === 1 && w.onlineThisWeek) emit(d, 150, A.training, 0);
    return;
  }
  if (pause === WINTER) return;
  w.active++;
  if (p.outcome === 'dropout' && !p.relapse && w.active > p.dropoutAfterWeeks * 5) {
    w.phase = 'done';
    return;
  }
  if (training.days.includes(weekday)) {
    const fading = p.outcome === 'dropout' && !p.relapse && w.active > (p.dropoutAfterWeeks - 4) * 5;
    const centi = training.centi + (random() < 0.2 ? (random() < 0.5 ? -50 : 50) : 0);
    const snuse = p.snuse && w.active > 13 * 5 && w.active <= 15 * 5;
    if (random() < (fading ? 0.45 : p.absence)) emit(d, training.centi, A.absence, 0);
    else if (snuse) emit(d, 400, A.internship, 0);
    else emit(d, Math.max(100, centi), A.training, 0);
  }
  if (w.active >= p.trainingWeeks * 5) {
    w.phase = toInternship(w, d + 1);
    w.active = 0;
  }
}

function internshipDay(w: Walk, d: number, weekday: number, pause: number): void {
  const { p, sources, emit } = w;
  if (d > sources[w.company]!.closes) {
    // The company left or went bankrupt: the actor finds another one after a while.
    w.company = openCompany(w, d + 14);
    if (w.company < 0) {
      w.phase = afterInternship(p);
      return;
    }
    w.companyFrom = d + 14;
    w.internship = internshipPattern(w.random, p.internshipHours);
    w.followUpDay = followUpDayOf(w.internship);
  }
  if (pause === SPRING) return;
  if (pause === WINTER && (w.plan.pausesAllInternshipsInDecember || !p.keepsInternshipInDecember)) return;
  if (weekday === w.followUpDay && pause === NO_PAUSE) emit(d, 200, A.training, 0);
  if (d < w.companyFrom) {
    if (w.training.days.includes(weekday) && pause === NO_PAUSE) emit(d, w.training.centi, A.training, 0);
    return;
  }
  if ((sources[w.company]!.hospitality && hospitalityClosed(d)) || closedOn(sources[w.company]!, d)) return;
  w.active++;
  if (w.internship.days.includes(weekday)) {
    const ramp = w.active <= 15 ? 0.6 : 1; // the first weeks are shorter
    if (w.random() < p.absence / 2) emit(d, w.internship.centi, A.absence, w.company);
    else emit(d, quarter((ramp * w.internship.centi) / 100), A.internship, w.company);
  }
  if (w.active >= p.internshipWeeks * 5) {
    w.phase = afterInternship(p);
    w.active = 0;
  }
}

/** The job ends: the next one after its gap without hours (Person.nextJobs), or nothing. */
function loseJob(w: Walk, d: number): void {
  const next = w.p.nextJobs?.[w.nextJob];
  if (!next) {
    w.phase = 'done';
    return;
  }
  w.nextJob++;
  w.phase = 'between';
  w.nextJobFrom = d + next.gapWeeks * 7;
}

function betweenDay(w: Walk, d: number, weekday: number, pause: number): void {
  if (d < w.nextJobFrom) return;
  w.job = w.p.nextJobs![w.nextJob - 1]!.job;
  w.phase = 'job';
  w.active = 0;
  jobDay(w, d, weekday, pause);
}

/** The actor keeps following the student; some drop out after `educationWeeks`. */
function educationDay(w: Walk, d: number): void {
  if (w.p.educationWeeks !== undefined && ++w.educationDays > w.p.educationWeeks * 5) {
    w.phase = 'done';
    return;
  }
  w.emit(d, 500, A.education, 0);
}

function jobDay(w: Walk, d: number, weekday: number, pause: number): void {
  const job = w.job!;
  const employer = w.sources[job.employer]!;
  if (d > employer.closes) {
    loseJob(w, d); // the employer went bankrupt: the job is lost
    return;
  }
  if (employer.hospitality && hospitalityClosed(d)) return;
  if (closedOn(employer, d)) {
    if (w.p.laidOffWhenClosed) loseJob(w, d); // laid off when the workplace closed for months
    return;
  }
  if (pause === SPRING && !w.p.keepsJobInSpring) return;
  const jobWeek = Math.floor(w.active / 5);
  w.active++;
  if (job.weeks !== undefined && jobWeek >= job.weeks) {
    loseJob(w, d);
    return;
  }
  const { hours, activity, internshipToo } = jobWeekOf(job, jobWeek);
  const days = internshipToo ? 4 : daysFor(hours);
  if (weekday >= days) return;
  if (internshipToo) {
    if (weekday < 2) w.emit(d, 600, A.internship, job.employer);
    else w.emit(d, 700, A.ordinary, job.employer);
  } else if (w.random() < 0.025) w.emit(d, quarter(hours / days), A.absence, job.employer);
  else w.emit(d, quarter(hours / days), activity, job.employer);
}

/** A job's weekly hours and activity in its `jobWeek`-th week (0-based). */
function jobWeekOf(job: Job, jobWeek: number): { hours: number; activity: number; internshipToo: boolean } {
  switch (job.kind) {
    case 'flexjob':
      return { hours: job.hours, activity: A.flexjob, internshipToo: false };
    case 'subsidy_then_ordinary':
      return { hours: job.hours, activity: jobWeek < 13 ? A.wage_subsidy : A.ordinary, internshipToo: false };
    case 'split':
      // Part internship, part paid job for two months (000_*: "delvis praktik og delvis ansættelse").
      return jobWeek < 8 ? { hours: 14, activity: A.ordinary, internshipToo: true } : { hours: job.hours, activity: A.ordinary, internshipToo: false };
    case 'ramp':
      return { hours: jobWeek < 12 ? 8 : jobWeek < 24 ? 15 : 22.5, activity: A.ordinary, internshipToo: false };
    case 'smajob':
      return { hours: 6, activity: A.ordinary, internshipToo: false };
    case 'ordinary':
      return { hours: job.hours, activity: A.ordinary, internshipToo: false };
  }
}
