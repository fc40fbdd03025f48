import { ACTIVITIES, PAID_ACTIVITIES } from '../weekly-hours/activities.ts';
import { contractMonthOfWeek, feesDueThrough } from './contract-calendar.ts';
import { applyWeek, EvaluationState, summarise, weekFeatures } from './evaluator.ts';
import type { Evaluation } from './statement.ts';

/*
 * The Monte Carlo projection of spec 8. Each participant moves week to week
 * between states drawn from the transition frequencies observed in the
 * partnership's data; each simulated week is fed to the same kernel as observed
 * weeks, from the state at the as-of week to the contract's end.
 */

export const STATES = ['none', 'training', 'internship', 'paid_under_20', 'paid_20_plus', 'education', 'left'] as const;
const S = STATES.length;
const NONE = 0;
const LEFT = 6;
/** A trailing run of this many weeks without hours means the participant left. */
export const LEFT_AFTER_WEEKS = 13;
/** Weight of the pooled destination frequencies in each state's row (additive smoothing). */
const SMOOTHING = 1;

const A = ACTIVITIES.length;
const at = (name: (typeof ACTIVITIES)[number]) => ACTIVITIES.indexOf(name);
const [PAID_0, PAID_1, PAID_2] = PAID_ACTIVITIES as [number, number, number];

/** The state of an observed week from its hours (hundredths). */
export function stateOf(centi: ArrayLike<number>): number {
  const paid = centi[PAID_0]! + centi[PAID_1]! + centi[PAID_2]!;
  if (paid >= 2000) return 4;
  if (paid > 0) return 3;
  if (centi[at('education')]! > 0) return 5;
  if (centi[at('internship')]! > 0) return 2;
  if (centi[at('training')]! > 0) return 1;
  return NONE;
}

/** Everything a run needs, as flat typed arrays. */
export interface ProjectionModel {
  /** Cumulative transition probabilities, row-major S × S. */
  cumulative: Float64Array;
  /** Each participant's state at the as-of week. */
  startState: Uint8Array;
  /** Per participant × state: the simulated week's features. */
  qualifies: Int32Array;
  reduction: Float64Array;
  cost: Float64Array;
}

/**
 * Learns the model from observed weeks up to the as-of week: state sequences from
 * each referral, transition counts smoothed towards the pooled destination
 * frequencies (so transitions unseen from one state but seen elsewhere stay
 * possible, while a cohort that only ever did one thing keeps doing it), and per
 * participant and state the hours of their latest week in that state (else the
 * state's average).
 */
export function buildProjectionModel(evaluation: Evaluation): ProjectionModel {
  const observed = observeStates(evaluation);
  return {
    cumulative: transitionMatrix(observed.counts),
    startState: observed.startState,
    ...featuresByState(evaluation, observed),
  };
}

/** What the observed weeks say, per participant and pooled over the cohort. */
interface ObservedStates {
  /** Transitions seen, row-major S × S (from × to). */
  counts: Float64Array;
  startState: Uint8Array;
  /** Per participant × state: the hours of their latest week in that state, if any. */
  latest: (Int32Array | undefined)[];
  /** Per state × activity: hours summed over every week in that state, and the number of those weeks. */
  pooled: Float64Array;
  pooledWeeks: Float64Array;
}

/**
 * Each participant's states from referral to the as-of week (a trailing run of
 * LEFT_AFTER_WEEKS idle weeks becomes "left"), counted as transitions.
 */
function observeStates(evaluation: Evaluation): ObservedStates {
  const { cohort, asOfWeek } = evaluation;
  const P = cohort.ids.length;
  const observed: ObservedStates = {
    counts: new Float64Array(S * S),
    startState: new Uint8Array(P),
    latest: new Array(P * S),
    pooled: new Float64Array(S * A),
    pooledWeeks: new Float64Array(S),
  };
  const { counts, latest, pooled, pooledWeeks } = observed;
  for (let p = 0; p < P; p++) {
    const states: number[] = [];
    // An exit on the roster ends the observed path (later hours are set aside); such a participant is not simulated.
    const exited = cohort.exitWeek[p]! <= asOfWeek;
    for (let week = cohort.referralWeek[p]!; week <= Math.min(asOfWeek, cohort.exitWeek[p]!); week++) {
      const hours = cohort.hours[p]!.get(week);
      const s = hours ? stateOf(hours) : NONE;
      states.push(s);
      if (hours && s !== NONE) {
        latest[p * S + s] = hours;
        pooledWeeks[s]!++;
        for (let a = 0; a < A; a++) pooled[s * A + a]! += hours[a]!;
      }
    }
    let idle = 0;
    while (idle < states.length && states[states.length - 1 - idle] === NONE) idle++;
    if (idle >= LEFT_AFTER_WEEKS) states.fill(LEFT, states.length - idle + LEFT_AFTER_WEEKS - 1);
    for (let i = 1; i < states.length; i++) counts[states[i - 1]! * S + states[i]!]!++;
    observed.startState[p] = exited ? LEFT : states.length > 0 ? states[states.length - 1]! : NONE;
  }
  return observed;
}

/**
 * Cumulative transition probabilities from the counts, each row smoothed towards
 * the pooled destination frequencies; "left" is absorbing.
 */
function transitionMatrix(counts: Float64Array): Float64Array {
  const into = new Float64Array(S);
  let total = 0;
  for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) (into[j]! += counts[i * S + j]!), (total += counts[i * S + j]!);
  const cumulative = new Float64Array(S * S);
  for (let i = 0; i < S; i++) {
    let rowTotal = 0;
    for (let j = 0; j < S; j++) rowTotal += counts[i * S + j]!;
    let sum = 0;
    for (let j = 0; j < S; j++) {
      const prior = total > 0 ? into[j]! / total : j === i ? 1 : 0;
      const probability = i === LEFT ? (j === LEFT ? 1 : 0) : (counts[i * S + j]! + SMOOTHING * prior) / (rowTotal + SMOOTHING);
      sum += probability;
      cumulative[i * S + j] = sum;
    }
    cumulative[i * S + S - 1] = 1;
  }
  return cumulative;
}

/**
 * Per participant and state, the features of a simulated week in that state: from
 * the participant's latest such week, else the state's average week, else no hours.
 */
function featuresByState(evaluation: Evaluation, observed: ObservedStates): Pick<ProjectionModel, 'qualifies' | 'reduction' | 'cost'> {
  const { cc, cohort } = evaluation;
  const { latest, pooled, pooledWeeks } = observed;
  const P = cohort.ids.length;
  const qualifies = new Int32Array(P * S);
  const reduction = new Float64Array(P * S);
  const cost = new Float64Array(P * S);
  for (let p = 0; p < P; p++) {
    for (let s = 0; s < S; s++) {
      let hours: ArrayLike<number> = latest[p * S + s] ?? new Float64Array(A);
      if (!latest[p * S + s] && s !== NONE && s !== LEFT && pooledWeeks[s]! > 0) {
        hours = Array.from({ length: A }, (_, a) => Math.round(pooled[s * A + a]! / pooledWeeks[s]!));
      }
      const f = weekFeatures(cc, cohort.weeklyRate[p]!, hours);
      qualifies[p * S + s] = f.qualifies;
      reduction[p * S + s] = f.reduction;
      cost[p * S + s] = f.cost;
    }
  }
  return { qualifies, reduction, cost };
}

/** A run's own PRNG stream (mulberry32) keyed by (seed, run): results do not depend on how runs are split. */
function runSeed(seed: number, run: number): number {
  let h = (seed ^ Math.imul(run + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/**
 * The calendar months the projection covers (weeks booked as in statements, spec 7),
 * each with its last week and the programme fee due through it.
 */
export function projectionMonths(evaluation: Evaluation): { months: string[]; lastWeeks: Int32Array; fees: Float64Array } {
  const { cc } = evaluation;
  const months: string[] = [];
  const lastWeeks: number[] = [];
  for (let week = evaluation.asOfWeek + 1; week <= cc.lastWeek; week++) {
    if (week === cc.lastWeek || contractMonthOfWeek(cc, week + 1) !== contractMonthOfWeek(cc, week)) {
      months.push(contractMonthOfWeek(cc, week));
      lastWeeks.push(week);
    }
  }
  return { months, lastWeeks: Int32Array.from(lastWeeks), fees: Float64Array.from(months, (month) => feesDueThrough(cc, month)) };
}

/**
 * Runs [from, to) of the projection; returns per run the contract-end
 * outcome payments, municipal savings and net, three numbers per run. With
 * `monthly` (3 numbers per projected month per run, see projectionMonths) it also
 * records the same three at the end of every month, for the band over time.
 */
export function simulateRuns(evaluation: Evaluation, model: ProjectionModel, seed: number, from: number, to: number, monthly?: Float64Array): Float64Array {
  const { cc, cohort } = evaluation;
  const P = cohort.ids.length;
  const results = new Float64Array((to - from) * 3);
  const state = new EvaluationState(P, cc.rule.length);
  const current = new Uint8Array(P);
  const { cumulative, qualifies, reduction, cost } = model;
  const referral = cohort.referralWeek;
  const exit = cohort.exitWeek;
  const firstWeek = evaluation.asOfWeek + 1;
  const { lastWeeks: monthEnds, fees: monthFees } = monthly ? projectionMonths(evaluation) : { lastWeeks: new Int32Array(0), fees: new Float64Array(0) };
  // At the contract's end every instalment is due: the schedule sums to the fee (spec 4).
  const endFees = cc.programmeFee;
  for (let run = from; run < to; run++) {
    state.copyFrom(evaluation.state);
    current.set(model.startState);
    let t = runSeed(seed, run);
    let month = 0;
    for (let week = firstWeek; week <= cc.lastWeek; week++) {
      for (let p = 0; p < P; p++) {
        if (week < referral[p]! || week > exit[p]!) continue;
        let s = current[p]!;
        if (s !== LEFT) {
          t = (t + 0x6d2b79f5) >>> 0;
          let x = Math.imul(t ^ (t >>> 15), t | 1);
          x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
          const u = ((x ^ (x >>> 14)) >>> 0) / 4294967296;
          const row = s * S;
          s = 0;
          while (s < S - 1 && u >= cumulative[row + s]!) s++;
          current[p] = s;
        }
        const i = p * S + s;
        applyWeek(cc, cohort, state, p, week, qualifies[i]!, reduction[i]!, cost[i]!);
      }
      if (week === monthEnds[month]) {
        const figures = summarise(state.totals, monthFees[month]!);
        const at = ((run - from) * monthEnds.length + month++) * 3;
        monthly![at] = figures.outcomePayments;
        monthly![at + 1] = figures.municipalSavings;
        monthly![at + 2] = figures.net;
      }
    }
    const figures = summarise(state.totals, endFees);
    const r = (run - from) * 3;
    results[r] = figures.outcomePayments;
    results[r + 1] = figures.municipalSavings;
    results[r + 2] = figures.net;
  }
  return results;
}

export interface Band {
  p10: number;
  p50: number;
  p90: number;
}

/** The bands at the end of one projected month (cumulative figures). */
export interface MonthBand {
  month: string;
  outcomePayments: Band;
  municipalSavings: Band;
  net: Band;
}

export interface Projection {
  runs: number;
  seed: number;
  /** Contract end week the projection runs to. */
  until: string;
  outcomePayments: Band;
  municipalSavings: Band;
  net: Band;
  probabilityNetNonNegative: number;
  /** The same bands at the end of every projected month, when recorded. */
  byMonth?: MonthBand[];
}

/** Months and their recorded values (3 per month per run), as simulateRuns fills them. */
export interface MonthlyResults {
  months: string[];
  values: Float64Array;
}

/** Percentile by linear interpolation between closest ranks (R type 7). */
export function percentile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

const round = (amount: number) => Math.round(amount * 100) / 100;

/** P10, P50 and P90 of `count` values found at `offset + r × stride`. */
function bandOf(values: Float64Array, count: number, offset: number, stride: number): Band {
  const sorted = Float64Array.from({ length: count }, (_, r) => values[offset + r * stride]!).sort();
  return { p10: round(percentile(sorted, 0.1)), p50: round(percentile(sorted, 0.5)), p90: round(percentile(sorted, 0.9)) };
}

/** Bands and the probability of paying for itself from all runs' results (and the monthly bands, when given). */
export function summariseRuns(results: Float64Array, seed: number, until: string, monthly?: MonthlyResults): Projection {
  const runs = results.length / 3;
  let nonNegative = 0;
  for (let r = 0; r < runs; r++) if (results[r * 3 + 2]! >= 0) nonNegative++;
  const projection: Projection = {
    runs,
    seed,
    until,
    outcomePayments: bandOf(results, runs, 0, 3),
    municipalSavings: bandOf(results, runs, 1, 3),
    net: bandOf(results, runs, 2, 3),
    probabilityNetNonNegative: runs === 0 ? 0 : nonNegative / runs,
  };
  if (monthly) {
    const stride = monthly.months.length * 3;
    projection.byMonth = monthly.months.map((month, m) => ({
      month,
      outcomePayments: bandOf(monthly.values, runs, m * 3, stride),
      municipalSavings: bandOf(monthly.values, runs, m * 3 + 1, stride),
      net: bandOf(monthly.values, runs, m * 3 + 2, stride),
    }));
  }
  return projection;
}
