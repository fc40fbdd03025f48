import { ACTIVITIES, PAID_ACTIVITIES } from '../weekly-hours/activities.ts';
import { weekLabel } from '../weeks/iso-week.ts';
import type { Evaluation } from './statement.ts';

/*
 * What the observed weeks say about careers (spec 8), as counts the projection
 * learns from and a programme-wide prior can add up over partnerships.
 *
 * A participant's weeks from referral to the as-of week become a path of states.
 * A run of weeks without hours is read by what follows it:
 *   - shorter than LEFT_AFTER_WEEKS and followed by hours: a pause (a holiday, a
 *     closed workplace) — the state before it goes on, its weeks are "paused";
 *   - LEFT_AFTER_WEEKS or longer: "none", followed by hours or not: how often such a
 *     run still ends in hours (a seasonal job, a job found after months) is learned
 *     from the none rows, so only a roster exit makes "left", which never ends;
 *   - still running at the as-of week and shorter: not known yet (the path stops
 *     before it; the projection decides per run whether it resumes).
 * Weeks before the first hours are "waiting" (for the start), told apart from
 * "none" after hours.
 * Transitions are counted per (state, weeks in the state so far), so a career
 * whose next step depends on time spent (≈26 weeks of training) is learned as such.
 * In a state with hours those weeks add up over every spell since the referral: a
 * training of ≈26 weeks broken by a short internship does not start over after it,
 * and a job whose hours go above and below 20 a week keeps its tenure. Without
 * hours (none, waiting) they are the current run's.
 */

export const STATES = ['none', 'training', 'internship', 'paid_under_20', 'paid_20_plus', 'education', 'left', 'waiting'] as const;
/** Number of states. */
export const S = STATES.length;
export const NONE = 0;
export const LEFT = 6;
/** Referred, no hours yet: not the same as "none" after hours, which is how endings begin. */
export const WAITING = 7;
/** True for the states with hours: training, internship, paid work, education. */
export const isWorking = (state: number) => state >= 1 && state <= 5;
/** A run of this many weeks without hours is no longer a pause but "none": an ending, perhaps only for a while. */
export const LEFT_AFTER_WEEKS = 26;

/** First week of each duration bucket (weeks in the current state, the current week included). */
export const BUCKET_STARTS = [1, 2, 3, 5, 9, 13, 18, 23, 27, 31, 40, 53, 79];
/** Number of duration buckets. */
export const B = BUCKET_STARTS.length;
/** Durations from this on share the last bucket. */
export const LONGEST_DURATION = BUCKET_STARTS[B - 1]!;
/** Bucket of each duration 0..LONGEST_DURATION (0 is never used: a state lasts at least its first week). */
export const BUCKET_OF = Uint8Array.from({ length: LONGEST_DURATION + 1 }, (_, d) => Math.max(0, BUCKET_STARTS.findLastIndex((start) => start <= d)));
/** Rows of the transition table: one per state and duration bucket ("left" has rows too, never used). */
export const ROWS = S * B;
/** Week-of-year slots (ISO weeks 1–53; index 0 unused). */
export const WEEKS_OF_YEAR = 54;

const A = ACTIVITIES.length;
const at = (name: (typeof ACTIVITIES)[number]) => ACTIVITIES.indexOf(name);
const [PAID_0, PAID_1, PAID_2] = PAID_ACTIVITIES as [number, number, number];

const [PAID_UNDER_20, PAID_20_PLUS] = [3, 4];
/** Paid hours (hundredths) from which a week is "paid 20 h or more". */
const FULL_WEEK_CENTI = 2000;

/** The state of an observed week from its hours (hundredths). */
export function stateOf(centi: ArrayLike<number>): number {
  const paid = centi[PAID_0]! + centi[PAID_1]! + centi[PAID_2]!;
  if (paid >= FULL_WEEK_CENTI) return PAID_20_PLUS;
  if (paid > 0) return PAID_UNDER_20;
  if (centi[at('education')]! > 0) return 5;
  if (centi[at('internship')]! > 0) return 2;
  if (centi[at('training')]! > 0) return 1;
  return NONE;
}

/** The ISO week number (1–53) of a week index. */
export const weekOfYear = (week: number) => Number(weekLabel(week).slice(6));
/** The ISO year of a week index. */
export const isoYearOf = (week: number) => weekLabel(week).slice(0, 4);

/**
 * Career counts, additive over participants and partnerships: what a prior pools.
 * Every array is plain numbers so the statistics serialise as JSON.
 */
export interface CareerCounts {
  /** Transitions, ROWS × S: from (state, duration bucket) to state. */
  transitions: number[];
  /**
   * Per state before it × length: pauses that ended in hours again, by length
   * 1..LEFT_AFTER_WEEKS − 1 (index 0: runs that reached LEFT_AFTER_WEEKS or ended in
   * an exit), S × LEFT_AFTER_WEEKS: a gap in a job is more often a holiday than one in training.
   */
  gaps: number[];
  /**
   * Per ISO year, per ISO week of year (index 1–53): weeks in a working state, and
   * of those the paused ones. By year, so a holiday that comes back every year can
   * be told from a closure that happened once.
   */
  activeWeeks: Record<string, number[]>;
  pausedWeeks: Record<string, number[]>;
  /** Per state: weeks in it, and of those the paused ones (someone in a job pauses less than someone in training). */
  activeByState: number[];
  pausedByState: number[];
  /** The state in the referral week. */
  initial: number[];
  /** Per state × activity: hundredths of hours summed over weeks with hours in that state, and the number of those weeks. */
  hoursByState: number[];
  weeksByState: number[];
  /**
   * Weeks with hours per state × duration bucket, and their hours per activity
   * (S × B × A): how a week in a state changes with the weeks in it (a wage subsidy
   * first, an ordinary job later; hours that ramp up).
   */
  weeksByTenure: number[];
  hoursByTenure: number[];
  /**
   * How an activity goes on inside a state, per activity × duration bucket of the
   * week after (A × B): how often a week with hours in it was followed, in the same
   * state, by another week with it (`activityKept`) or without it (`activityStopped`),
   * and the hours per activity of those following weeks (A × A): a wage subsidy turns
   * into an ordinary job after about as long as it is granted for, a flexjob stays one.
   */
  activityKept: number[];
  activityStopped: number[];
  activityInto: number[];
  /** Participants and participant-weeks observed (referral to as-of week). */
  participants: number;
  participantWeeks: number;
}

/** Empty counts, to add to. */
export function emptyCounts(): CareerCounts {
  return {
    transitions: new Array(ROWS * S).fill(0),
    gaps: new Array(S * LEFT_AFTER_WEEKS).fill(0),
    activeWeeks: {},
    pausedWeeks: {},
    activeByState: new Array(S).fill(0),
    pausedByState: new Array(S).fill(0),
    initial: new Array(S).fill(0),
    hoursByState: new Array(S * A).fill(0),
    weeksByState: new Array(S).fill(0),
    weeksByTenure: new Array(S * B).fill(0),
    hoursByTenure: new Array(S * B * A).fill(0),
    activityKept: new Array(A * B).fill(0),
    activityStopped: new Array(A * B).fill(0),
    activityInto: new Array(A * A).fill(0),
    participants: 0,
    participantWeeks: 0,
  };
}

/** The plain count arrays of CareerCounts (the by-year ones are records). */
const COUNTED = ['transitions', 'gaps', 'initial', 'hoursByState', 'weeksByState', 'activeByState', 'pausedByState', 'weeksByTenure', 'hoursByTenure', 'activityKept', 'activityStopped', 'activityInto'] as const;

/** Adds `from` into `into` (counts are sums, so partnerships pool by adding). */
export function addCounts(into: CareerCounts, from: CareerCounts): CareerCounts {
  const add = (target: number[], values: readonly number[]) => values.forEach((value, i) => (target[i]! += value));
  for (const key of COUNTED) add(into[key], from[key]);
  for (const key of ['activeWeeks', 'pausedWeeks'] as const) {
    for (const [year, weeks] of Object.entries(from[key])) add((into[key][year] ??= new Array(WEEKS_OF_YEAR).fill(0)), weeks);
  }
  into.participants += from.participants;
  into.participantWeeks += from.participantWeeks;
  return into;
}

/** Where a participant stands at the as-of week, for the projection to go on from. */
export interface StartPoint {
  state: number;
  /** Per state, the weeks in it so far as transitions are counted (see the file comment): what a step from it reads. */
  weeks: Int32Array;
  /**
   * When the participant's last weeks are a pause still running (shorter than
   * LEFT_AFTER_WEEKS): its length. The run resumes `state` (paused) or, if the pause
   * turns out to be the start of an end, is "none" for `gap` weeks; 0 otherwise.
   */
  gap: number;
}

/** A partnership's careers: the pooled counts, each participant's own transitions (for resampling participants) and start points. */
export interface Careers {
  counts: CareerCounts;
  /** Per participant, their transitions as (row × S + to) keys with counts; offsets into keys/weights. */
  participantOffsets: Int32Array;
  participantKeys: Int32Array;
  participantWeights: Float64Array;
  /** Per participant: the start point at the as-of week; undefined for those referred later or exited. */
  start: (StartPoint | undefined)[];
  /**
   * Per participant × state: a typical recent week in that state, if any — of their
   * last TYPICAL_OF weeks in it, the one with the median hours (the very last week
   * before a holiday is often a short one).
   */
  typical: (Int32Array | undefined)[];
  /** Per participant × state: the weeks in it (as transitions count them) at their latest week with hours there. */
  typicalTenure: Int32Array;
}

/** Recent weeks in a state a participant's typical week is chosen from. */
const TYPICAL_OF = 5;
const PAUSED = 0x80;
/** A pause between two different states (an internship ended, a job starts): zero weeks that belong to the change, not a holiday. */
const BETWEEN = 0x40;
const STATE = 0x3f;
const UNKNOWN = 0xff;

/**
 * Reads every participant's path from referral to the as-of week (or their exit)
 * into career counts and start points (see the file comment).
 */
export function observeCareers(evaluation: Evaluation): Careers {
  const { cohort, asOfWeek } = evaluation;
  const P = cohort.ids.length;
  const counts = emptyCounts();
  const start: (StartPoint | undefined)[] = new Array(P);
  const recent: Int32Array[][] = Array.from({ length: P * S }, () => []);
  const { weeksByTenure, hoursByTenure, activityKept, activityStopped, activityInto } = counts;
  const typicalTenure = new Int32Array(P * S);
  const paidHours = (hours: ArrayLike<number>) => hours[PAID_0]! + hours[PAID_1]! + hours[PAID_2]!;
  const offsets = new Int32Array(P + 1);
  const keys: number[] = [];
  const weights: number[] = [];
  for (let p = 0; p < P; p++) {
    offsets[p] = keys.length;
    const referral = cohort.referralWeek[p]!;
    const exited = cohort.exitWeek[p]! <= asOfWeek;
    const end = Math.min(asOfWeek, cohort.exitWeek[p]!);
    if (referral > end) continue;
    const weeks = end - referral + 1;
    counts.participants++;
    counts.participantWeeks += weeks;
    // An exit on the roster is a step to "left" after the exit week (from then on the participant counts for nothing).
    const length = exited ? weeks + 1 : weeks;
    const raw = new Uint8Array(length);
    if (exited) raw[weeks] = LEFT;
    const observed: (Int32Array | undefined)[] = new Array(weeks);
    for (let i = 0; i < weeks; i++) {
      const hours = cohort.hours[p]!.get(referral + i);
      raw[i] = hours ? stateOf(hours) : NONE;
      if (hours && raw[i] !== NONE) {
        observed[i] = hours;
        counts.weeksByState[raw[i]!]!++;
        for (let a = 0; a < A; a++) counts.hoursByState[raw[i]! * A + a]! += hours[a]!;
      }
    }
    const path = readPath(raw, counts.gaps);
    counts.initial[path[0]!]!++; // a path starts with hours or waiting: never paused or unknown
    const own = new Map<number, number>();
    const tenure = new Int32Array(S);
    for (let i = 0; i < length && path[i] !== UNKNOWN; i++) {
      const s = path[i]! & STATE;
      const duration = isWorking(s) || (i > 0 && (path[i - 1]! & STATE) === s) ? ++tenure[s]! : (tenure[s] = 1);
      const hours = observed[i];
      if (hours) {
        const bucket = BUCKET_OF[Math.min(duration, LONGEST_DURATION)]!;
        const last = recent[p * S + s]!;
        if (last.push(hours) > TYPICAL_OF) last.shift();
        weeksByTenure[s * B + bucket]!++;
        typicalTenure[p * S + s] = duration;
        const before = i > 0 && (path[i - 1]! & STATE) === s ? observed[i - 1] : undefined;
        for (let a = 0; before && a < A; a++) {
          if (before[a]! === 0) continue;
          if (hours[a]! > 0) activityKept[a * B + bucket]!++;
          else (activityStopped[a * B + bucket]!++, hours.forEach((h, to) => (activityInto[a * A + to]! += h)));
        }
        for (let a = 0; a < A; a++) hoursByTenure[(s * B + bucket) * A + a]! += hours[a]!;
      }
      if (isWorking(s) && !(path[i]! & BETWEEN)) {
        const [year, woy] = [isoYearOf(referral + i), weekOfYear(referral + i)];
        (counts.activeWeeks[year] ??= new Array(WEEKS_OF_YEAR).fill(0))[woy]!++;
        counts.activeByState[s]!++;
        if (path[i]! & PAUSED) {
          (counts.pausedWeeks[year] ??= new Array(WEEKS_OF_YEAR).fill(0))[woy]!++;
          counts.pausedByState[s]!++;
        }
      }
      if (i + 1 < length && path[i + 1] !== UNKNOWN && s !== LEFT) {
        const next = path[i + 1]! & STATE;
        const key = (s * B + BUCKET_OF[Math.min(duration, LONGEST_DURATION)]!) * S + next;
        counts.transitions[key]!++;
        own.set(key, (own.get(key) ?? 0) + 1);
      }
    }
    for (const [key, n] of own) keys.push(key), weights.push(n);
    if (!exited) start[p] = startPoint(path, tenure, recentPaidHours(observed, TYPICAL_OF, paidHours));
  }
  offsets[P] = keys.length;
  const total = (hours: Int32Array) => hours.reduce((a, v) => a + v, 0);
  const typical = recent.map((weeks) => (weeks.length === 0 ? undefined : [...weeks].sort((a, b) => total(a) - total(b))[weeks.length >> 1]));
  return { counts, participantOffsets: offsets, participantKeys: Int32Array.from(keys), participantWeights: Float64Array.from(weights), start, typical, typicalTenure };
}

/**
 * The path of states (PAUSED or BETWEEN flagged, UNKNOWN at the end when a pause is still
 * running) from the raw weekly states; counts each finished pause in `gaps`.
 */
function readPath(raw: Uint8Array, gaps: number[]): Uint8Array {
  const path = Uint8Array.from(raw);
  let last = -1; // the latest working state
  for (let i = 0; i < raw.length; ) {
    if (raw[i] !== NONE) {
      last = raw[i++]!;
      continue;
    }
    let j = i;
    while (j < raw.length && raw[j] === NONE) j++;
    const run = j - i;
    const trailing = j === raw.length;
    if (last < 0) path.fill(WAITING, i, j);
    if (raw[j] === LEFT) {
      if (last >= 0) gaps[last * LEFT_AFTER_WEEKS]!++; // the pause ended in an exit: it did not resume
    } else if (run >= LEFT_AFTER_WEEKS) {
      if (last >= 0) gaps[last * LEFT_AFTER_WEEKS]!++;
    } else if (last >= 0) {
      if (trailing) path.fill(UNKNOWN, i, j);
      else {
        gaps[last * LEFT_AFTER_WEEKS + run]!++;
        path.fill(raw[j] === last ? last | PAUSED : last | BETWEEN, i, j);
      }
    }
    i = j;
  }
  return path;
}

/** The paid hours of the participant's last `n` weeks with paid hours, latest first. */
function recentPaidHours(observed: readonly (ArrayLike<number> | undefined)[], n: number, paidHours: (hours: ArrayLike<number>) => number): number[] {
  const recent: number[] = [];
  for (let i = observed.length - 1; i >= 0 && recent.length < n; i--) if (observed[i] && paidHours(observed[i]!) > 0) recent.push(paidHours(observed[i]!));
  return recent;
}

/**
 * Where the path stands at its end: the last known state, the weeks counted per
 * state, a running pause's length. A paid state is read from the median of the
 * recent paid weeks, not from the last one: the week before Christmas or a summer
 * break is often short, and a full-time job must not go on as a part-time one.
 */
function startPoint(path: Uint8Array, tenure: Int32Array, recentPaid: number[]): StartPoint {
  let end = path.length;
  while (end > 0 && path[end - 1] === UNKNOWN) end--;
  let state = path[end - 1]! & STATE;
  if (state === PAID_UNDER_20 || state === PAID_20_PLUS) {
    const sorted = [...recentPaid].sort((a, b) => a - b);
    state = sorted[sorted.length >> 1]! >= FULL_WEEK_CENTI ? PAID_20_PLUS : PAID_UNDER_20;
  }
  return { state, weeks: tenure, gap: path.length - end };
}
