import { ACTIVITIES } from '../weekly-hours/activities.ts';
import { B, BUCKET_OF, isWorking, LEFT, LEFT_AFTER_WEEKS, observeCareers, ROWS, S, WEEKS_OF_YEAR, weekOfYear, type CareerCounts, type Careers } from './careers.ts';
import { weekFeatures } from './evaluator.ts';
import { DEFAULT_PRIOR, type ProjectionPrior } from './projection-prior.ts';
import type { Evaluation } from './statement.ts';

/*
 * The projection's model (spec 8): the partnership's own career counts combined
 * with the prior. Each run draws its own transition table (see projection.ts):
 * the partnership's participants resampled (a Bayesian bootstrap, so a small
 * cohort gives a wide band) plus Gamma draws around the prior's table with
 * PRIOR_TRANSITIONS pseudo-transitions per row — the prior dominates a row until
 * the partnership has seen about that many transitions from it.
 */

/** Pseudo-transitions the prior contributes to each row of the table. */
export const PRIOR_TRANSITIONS = 20;
/** Pseudo-transitions pulling a prior row towards its state's row over all durations (rows the pool rarely saw). */
const ROW_TO_STATE = 5;
/**
 * Pseudo-transitions per row of the source programme's default under a pooled
 * prior: early in a programme the pool has seen no one reach a job yet, and must
 * not conclude that no one will.
 */
const DEFAULT_UNDER_POOL = 10;
/** Pseudo-weeks of the prior in each week-of-year's pause rate, and in the resumption of a running pause. */
const PRIOR_PAUSE_WEEKS = 30;
const PRIOR_GAPS = 5;
/** Pseudo-referrals of the prior in the state of a referral week. */
const PRIOR_REFERRALS = 5;

const A = ACTIVITIES.length;

/** What the projection rests on, so a reader can judge it (spec 8: "says what it is based on"). */
export interface ProjectionBasis {
  /** Participants simulated (observed and referred later); exited ones are not simulated. */
  participants: number;
  /** Of those, referred after the as-of week (planned referrals on the roster). */
  plannedReferrals: number;
  /** Participant-weeks observed from referral to the as-of week: the partnership's own evidence. */
  observedParticipantWeeks: number;
  /** Share of the transition evidence carried by the prior, 0 (own data only) to 1 (prior only). */
  priorWeight: number;
  /** Where the prior came from. */
  prior: { source: ProjectionPrior['source']; partnerships: number; participantWeeks: number };
  /**
   * The partnership's own backtest where history allows (added by the pipeline,
   * own-backtest.ts): of its earlier projections checked `horizonMonths` later,
   * how many held the observed cumulative net in P10–P90.
   */
  backtest?: { projections: number; inside: number; horizonMonths: number };
}

/** Everything a run needs, as flat typed arrays. */
export interface ProjectionModel {
  /** Per row × state: Gamma shapes of the prior's pseudo-transitions, and the prior's own probabilities. */
  priorShape: Float64Array;
  priorMean: Float64Array;
  /** Each participant's own transitions (row × S + to) with counts; participant p's are [offsets[p], offsets[p + 1]). */
  offsets: Int32Array;
  keys: Int32Array;
  weights: Float64Array;
  /** Per participant at the as-of week: state (UNSET: referred later or not simulated), weeks in it, a running pause's length. */
  startState: Uint8Array;
  startDuration: Int32Array;
  startGap: Int32Array;
  /** Per pause length g (1..LEFT_AFTER_WEEKS − 1) × state: the probability that a pause running at the as-of week resumes. */
  resume: Float64Array;
  /** Cumulative probabilities of the state in a referral week. */
  initial: Float64Array;
  /** Per projected week (from the as-of week + 1) × state: the probability that a week in the state is paused. */
  pause: Float64Array;
  /** Per participant × state: the simulated week's features. */
  qualifies: Int32Array;
  reduction: Float64Array;
  cost: Float64Array;
  basis: ProjectionBasis;
}

/** A participant who is not (yet) in the projection at the as-of week. */
export const UNSET = 0xff;

const normalised = (values: ArrayLike<number>): Float64Array => {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return Float64Array.from(values as ArrayLike<number>, (v) => (total > 0 ? v / total : 1 / values.length));
};
const cumulativeOf = (probabilities: Float64Array): Float64Array => {
  let sum = 0;
  const cumulative = probabilities.map((p) => (sum += p));
  cumulative[cumulative.length - 1] = 1;
  return cumulative;
};

/**
 * The prior's transition probabilities per row: under a pooled prior, its counts
 * pulled towards the default's rows (`base`); the default's own counts pulled
 * towards the state's counts over all durations, so every transition the source
 * programme saw from a state stays possible at any duration.
 */
function priorRows(counts: CareerCounts, base?: Float64Array): Float64Array {
  const mean = new Float64Array(ROWS * S);
  for (let s = 0; s < S; s++) {
    const state = new Float64Array(S);
    for (let b = 0; b < B; b++) for (let j = 0; j < S; j++) state[j]! += counts.transitions[(s * B + b) * S + j]!;
    const stateTotal = state.reduce((a, v) => a + v, 0);
    if (stateTotal === 0 || s === LEFT) (state.fill(0), (state[s] = 1));
    const stateRow = normalised(state);
    for (let b = 0; b < B; b++) {
      const r = s * B + b;
      let total = 0;
      for (let j = 0; j < S; j++) total += counts.transitions[r * S + j]!;
      for (let j = 0; j < S; j++) {
        const n = counts.transitions[r * S + j]!;
        mean[r * S + j] = base ? (n + DEFAULT_UNDER_POOL * base[r * S + j]!) / (total + DEFAULT_UNDER_POOL) : (n + ROW_TO_STATE * stateRow[j]!) / (total + ROW_TO_STATE);
      }
    }
  }
  return mean;
}

const DEFAULT_ROWS = priorRows(DEFAULT_PRIOR.counts);

/**
 * Per projected week, the probability that a working week is paused (a holiday):
 * for its week of the year, the median over the years seen of that year's share of
 * paused working weeks (own counts pulled towards the prior's), so what comes back
 * every year (Christmas, the summer) counts and what happened once (a closure)
 * does not.
 */
function pauseByWeekOfYear(own: CareerCounts, prior: CareerCounts): Float64Array {
  const total = (c: CareerCounts['activeWeeks']) => Object.values(c).flat().reduce((a, v) => a + v, 0);
  const overall = (total(prior.pausedWeeks) + total(own.pausedWeeks) + 1) / (total(prior.activeWeeks) + total(own.activeWeeks) + 20);
  const years = [...new Set([...Object.keys(own.activeWeeks), ...Object.keys(prior.activeWeeks)])];
  return Float64Array.from({ length: WEEKS_OF_YEAR }, (_, w) => {
    const rates: number[] = [];
    for (const year of years) {
      const [op, oa, pp, pa] = [own.pausedWeeks[year]?.[w] ?? 0, own.activeWeeks[year]?.[w] ?? 0, prior.pausedWeeks[year]?.[w] ?? 0, prior.activeWeeks[year]?.[w] ?? 0];
      if (oa + pa === 0) continue;
      const priorRate = (pp + PRIOR_PAUSE_WEEKS * overall) / (pa + PRIOR_PAUSE_WEEKS);
      rates.push((op + PRIOR_PAUSE_WEEKS * priorRate) / (oa + PRIOR_PAUSE_WEEKS));
    }
    rates.sort((a, b) => a - b);
    return rates.length === 0 ? overall : rates.length % 2 === 1 ? rates[(rates.length - 1) / 2]! : (rates[rates.length / 2 - 1]! + rates[rates.length / 2]!) / 2;
  });
}

/**
 * Per state, how much likelier than average a week in it is paused (own counts
 * pulled towards the prior's): training has sick weeks, a job mostly holidays.
 */
function pauseFactorByState(own: CareerCounts, prior: CareerCounts): Float64Array {
  const sum = (xs: number[]) => xs.reduce((a, v) => a + v, 0);
  const overall = (sum(own.pausedByState) + sum(prior.pausedByState) + 1) / (sum(own.activeByState) + sum(prior.activeByState) + 20);
  return Float64Array.from({ length: S }, (_, s) => {
    const priorRate = (prior.pausedByState[s]! + PRIOR_PAUSE_WEEKS * overall) / (prior.activeByState[s]! + PRIOR_PAUSE_WEEKS);
    return (own.pausedByState[s]! + PRIOR_PAUSE_WEEKS * priorRate) / (own.activeByState[s]! + PRIOR_PAUSE_WEEKS) / overall;
  });
}

/**
 * P(a pause still running at the as-of week resumes), by its length g = 1..LEFT_AFTER_WEEKS − 1:
 * of the pauses that lasted g weeks, the share that ended in hours again (own
 * counts pulled towards the prior's), its odds scaled by how much likelier a pause
 * is in those very weeks and in that state than on average (a gap in the
 * Christmas weeks is a holiday more often than a gap in March). Per g × state.
 */
function resumption(own: CareerCounts, prior: CareerCounts, seasonal: Float64Array, byState: Float64Array, asOfWeek: number): Float64Array {
  const resumedFrom = (c: CareerCounts, g: number) => c.gaps.slice(g).reduce((a, v) => a + v, 0);
  const average = seasonal.slice(1).reduce((a, v) => a + v, 0) / (WEEKS_OF_YEAR - 1);
  return Float64Array.from({ length: LEFT_AFTER_WEEKS * S }, (_, i) => {
    const [g, state] = [Math.floor(i / S), i % S];
    if (g === 0) return 1;
    const priorRate = (resumedFrom(prior, g) + 0.5) / (resumedFrom(prior, g) + prior.gaps[0]! + 1);
    const rate = (resumedFrom(own, g) + PRIOR_GAPS * priorRate) / (resumedFrom(own, g) + own.gaps[0]! + PRIOR_GAPS);
    let ratio = 0;
    for (let k = 0; k < g; k++) ratio += seasonal[weekOfYear(asOfWeek - k)]! / average / g;
    const odds = (rate / Math.max(1e-9, 1 - rate)) * ratio * byState[state]!;
    return odds / (1 + odds);
  });
}

/**
 * The model of a partnership's projection from its evaluation and the prior
 * (DEFAULT_PRIOR when none is given).
 */
export function buildProjectionModel(evaluation: Evaluation, prior: ProjectionPrior = DEFAULT_PRIOR): ProjectionModel {
  const { cc, cohort, asOfWeek } = evaluation;
  const careers = observeCareers(evaluation);
  const own = careers.counts;
  const P = cohort.ids.length;
  const priorMean = prior.source === 'default' ? DEFAULT_ROWS : priorRows(prior.counts, DEFAULT_ROWS);
  const priorShape = priorMean.map((p) => p * PRIOR_TRANSITIONS);

  const startState = new Uint8Array(P).fill(UNSET);
  const startDuration = new Int32Array(P);
  const startGap = new Int32Array(P);
  let participants = 0;
  let plannedReferrals = 0;
  for (let p = 0; p < P; p++) {
    const start = careers.start[p];
    if (start) (startState[p] = start.state), (startDuration[p] = start.duration), (startGap[p] = start.gap);
    if (start || (cohort.referralWeek[p]! > asOfWeek && cohort.referralWeek[p]! <= cc.lastWeek && cohort.exitWeek[p]! >= cohort.referralWeek[p]!)) participants++;
    if (!start && cohort.referralWeek[p]! > asOfWeek && cohort.referralWeek[p]! <= cc.lastWeek) plannedReferrals++;
  }

  const seasonal = pauseByWeekOfYear(own, prior.counts);
  const byState = pauseFactorByState(own, prior.counts);
  const initial = cumulativeOf(normalised(own.initial.map((n, s) => n + PRIOR_REFERRALS * normalised(prior.counts.initial)[s]!)));
  return {
    priorShape,
    priorMean,
    offsets: careers.participantOffsets,
    keys: careers.participantKeys,
    weights: careers.participantWeights,
    startState,
    startDuration,
    startGap,
    resume: resumption(own, prior.counts, seasonal, byState, asOfWeek),
    initial,
    pause: Float64Array.from({ length: Math.max(0, cc.lastWeek - asOfWeek) * S }, (_, i) => Math.min(0.95, seasonal[weekOfYear(asOfWeek + 1 + Math.floor(i / S))]! * byState[i % S]!)),
    ...featuresByState(evaluation, careers, prior.counts),
    basis: {
      participants,
      plannedReferrals,
      observedParticipantWeeks: own.participantWeeks,
      priorWeight: priorWeight(own, prior.counts),
      prior: { source: prior.source, partnerships: prior.basis.partnerships, participantWeeks: prior.basis.participantWeeks },
    },
  };
}

/**
 * The prior's share of the evidence, averaged over the rows a career passes
 * through (weighted by how often the pool visits each row): in a row with n own
 * transitions it carries PRIOR_TRANSITIONS / (n + PRIOR_TRANSITIONS).
 */
function priorWeight(own: CareerCounts, prior: CareerCounts): number {
  let weighted = 0;
  let visits = 0;
  for (let r = 0; r < ROWS; r++) {
    let n = 0;
    let m = 0;
    for (let j = 0; j < S; j++) (n += own.transitions[r * S + j]!), (m += prior.transitions[r * S + j]!);
    weighted += m * (PRIOR_TRANSITIONS / (n + PRIOR_TRANSITIONS));
    visits += m;
  }
  return visits === 0 ? 1 : Math.round((weighted / visits) * 1000) / 1000;
}

/**
 * Per participant and state, the features of a simulated week in that state: from
 * the participant's typical recent such week, else the partnership's average week in the
 * state, else the prior's, else the default's.
 */
function featuresByState(evaluation: Evaluation, careers: Careers, prior: CareerCounts): Pick<ProjectionModel, 'qualifies' | 'reduction' | 'cost'> {
  const { cc, cohort } = evaluation;
  const own = careers.counts;
  const P = cohort.ids.length;
  const average = (c: CareerCounts, s: number) => Array.from({ length: A }, (_, a) => Math.round(c.hoursByState[s * A + a]! / c.weeksByState[s]!));
  const typical = Array.from({ length: S }, (_, s) => {
    const from = !isWorking(s) ? undefined : [own, prior, DEFAULT_PRIOR.counts].find((c) => c.weeksByState[s]! > 0);
    return from ? average(from, s) : new Int32Array(A);
  });
  const qualifies = new Int32Array(P * S);
  const reduction = new Float64Array(P * S);
  const cost = new Float64Array(P * S);
  for (let p = 0; p < P; p++) {
    for (let s = 0; s < S; s++) {
      const f = weekFeatures(cc, cohort.weeklyRate[p]!, careers.typical[p * S + s] ?? typical[s]!);
      qualifies[p * S + s] = f.qualifies;
      reduction[p * S + s] = f.reduction;
      cost[p * S + s] = f.cost;
    }
  }
  return { qualifies, reduction, cost };
}

/** The bucket row of a state and its weeks so far. */
export const rowOf = (state: number, duration: number) => state * B + BUCKET_OF[Math.min(duration, BUCKET_OF.length - 1)]!;
