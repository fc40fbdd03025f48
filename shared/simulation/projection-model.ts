import { ACTIVITIES } from '../weekly-hours/activities.ts';
import { B, isWorking, LEFT, LEFT_AFTER_WEEKS, NONE, observeCareers, ROWS, S, WEEKS_OF_YEAR, weekOfYear, type CareerCounts } from './careers.ts';
import { DEFAULT_PRIOR, type ProjectionPrior } from './projection-prior.ts';
import { featuresByState } from './simulated-weeks.ts';
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
export const PRIOR_TRANSITIONS = 3;
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
/** Pseudo-transitions of the overall rate in each state's rate of ending. */
const PRIOR_ENDS = 50;
/** Pseudo-pauses of the history's resumption against the cross-section of pauses running at the as-of week. */
const CROSS_SECTION_GAPS = 5;
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
   * own-backtest.ts): of its earlier projections checked
   * `horizonMonths` later, how many held the observed cumulative net in P10–P90.
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
  /** Per participant at the as-of week: state (UNSET: referred later or not simulated), a running pause's length. */
  startState: Uint8Array;
  startGap: Int32Array;
  /** Per participant × state at the as-of week: the weeks in the state as transitions count them (careers.ts). */
  startWeeks: Int32Array;
  /** Per pause length g (1..LEFT_AFTER_WEEKS − 1) × state: the probability that a pause running at the as-of week resumes. */
  resume: Float64Array;
  /** Cumulative probabilities of the state in a referral week. */
  initial: Float64Array;
  /** Per projected week (from the as-of week + 1) × state: the probability that a week in the state is paused. */
  pause: Float64Array;
  /** Per participant × state × duration bucket: the simulated week's features. */
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
 * Per state, the weekly rate of ending (a step to none or left; own counts plus the
 * prior's, pulled towards the rate over all states with hours), and that overall
 * rate: a job ends less often than training does, so a gap in a job is more often
 * a holiday.
 */
function endRates(own: CareerCounts, prior: CareerCounts): { byState: Float64Array; overall: number } {
  const ends = new Float64Array(S);
  const from = new Float64Array(S);
  for (const c of [own, prior]) {
    for (let r = 0; r < ROWS; r++) {
      const s = Math.floor(r / B);
      if (!isWorking(s)) continue;
      for (let j = 0; j < S; j++) (from[s]! += c.transitions[r * S + j]!), (ends[s]! += j === NONE || j === LEFT ? c.transitions[r * S + j]! : 0);
    }
  }
  const overall = (ends.reduce((a, v) => a + v, 0) + 1) / (from.reduce((a, v) => a + v, 0) + 20);
  return { byState: Float64Array.from({ length: S }, (_, s) => (ends[s]! + PRIOR_ENDS * overall) / (from[s]! + PRIOR_ENDS)), overall };
}

/**
 * P(a pause still running at the as-of week resumes), by its length g = 1..LEFT_AFTER_WEEKS − 1
 * and the state before it: of the pauses in that state that lasted g weeks, the share
 * that ended in hours again (own counts pulled towards the prior's, which are pulled
 * towards the prior's over all states: a gap in a job is more often a holiday than a
 * gap in training), its odds scaled by how much likelier a pause is in those very
 * weeks than on average (a gap in the Christmas weeks is a holiday more often than a
 * gap in March). Per g × state.
 */
function resumption(own: CareerCounts, prior: CareerCounts, seasonal: Float64Array, asOfWeek: number): Float64Array {
  const L = LEFT_AFTER_WEEKS;
  const states = Array.from({ length: S }, (_, s) => s);
  const resumed = (c: CareerCounts, s: number, g: number) => c.gaps.slice(s * L + g, (s + 1) * L).reduce((a, v) => a + v, 0);
  const sum = (f: (s: number) => number) => states.reduce((a, s) => a + f(s), 0);
  const average = seasonal.slice(1).reduce((a, v) => a + v, 0) / (WEEKS_OF_YEAR - 1);
  return Float64Array.from({ length: L * S }, (_, i) => {
    const [g, state] = [Math.floor(i / S), i % S];
    if (g === 0) return 1;
    const [priorResumed, priorEnded] = [sum((s) => resumed(prior, s, g)), sum((s) => prior.gaps[s * L]!)];
    const priorAll = (priorResumed + 0.5) / (priorResumed + priorEnded + 1);
    const priorRate = (resumed(prior, state, g) + PRIOR_GAPS * priorAll) / (resumed(prior, state, g) + prior.gaps[state * L]! + PRIOR_GAPS);
    const rate = (resumed(own, state, g) + PRIOR_GAPS * priorRate) / (resumed(own, state, g) + own.gaps[state * L]! + PRIOR_GAPS);
    let ratio = 0;
    for (let k = 0; k < g; k++) ratio += seasonal[weekOfYear(asOfWeek - k)]! / average / g;
    const odds = (rate / Math.max(1e-9, 1 - rate)) * ratio;
    return odds / (1 + odds);
  });
}

/**
 * The resumption odds scaled so that, over the pauses running at the as-of week,
 * the expected share that resume is what the cross-section says, blended with the
 * history's by CROSS_SECTION_GAPS pseudo-pauses. Endings come one by one, each state
 * at its own weekly rate: of the gaps that began g weeks ago, about that rate times
 * the people then working are endings, and the rest are pauses. Many people without
 * hours since the same week is a holiday or a closure, even one the history has not
 * seen (a first summer, a longer Christmas).
 */
function matchCrossSection(resume: Float64Array, state: Uint8Array, gap: Int32Array, since: Int32Array, endRate: Float64Array): Float64Array {
  const working = (p: number) => state[p] !== UNSET && isWorking(state[p]!);
  const gapsOf = new Int32Array(LEFT_AFTER_WEEKS);
  let history = 0;
  for (let p = 0; p < state.length; p++) if (working(p) && gap[p]! > 0) (gapsOf[gap[p]!]!++, (history += resume[gap[p]! * S + state[p]!]!));
  let running = 0;
  let expectedEndings = 0;
  for (let g = 1; g < LEFT_AFTER_WEEKS; g++) {
    if (gapsOf[g] === 0) continue;
    let endings = 0;
    for (let p = 0; p < state.length; p++) if (working(p) && since[p]! > g) endings += endRate[state[p]!]!;
    running += gapsOf[g]!;
    expectedEndings += Math.min(gapsOf[g]!, endings);
  }
  if (running === 0) return resume;
  const target = (running - expectedEndings + CROSS_SECTION_GAPS * (history / running)) / (running + CROSS_SECTION_GAPS);
  const scaled = (m: number) => resume.map((r, i) => (i < S ? r : (r * m) / (1 - r + r * m)));
  const meanOf = (table: Float64Array) => {
    let sum = 0;
    for (let p = 0; p < state.length; p++) if (working(p) && gap[p]! > 0) sum += table[gap[p]! * S + state[p]!]!;
    return sum / running;
  };
  let [low, high] = [-12, 12];
  for (let k = 0; k < 40; k++) {
    const mid = (low + high) / 2;
    if (meanOf(scaled(Math.exp(mid))) < target) low = mid;
    else high = mid;
  }
  return scaled(Math.exp((low + high) / 2));
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
  const startWeeks = new Int32Array(P * S);
  const startGap = new Int32Array(P);
  let participants = 0;
  let plannedReferrals = 0;
  for (let p = 0; p < P; p++) {
    const start = careers.start[p];
    if (start) (startState[p] = start.state), startWeeks.set(start.weeks, p * S), (startGap[p] = start.gap);
    if (start || (cohort.referralWeek[p]! > asOfWeek && cohort.referralWeek[p]! <= cc.lastWeek && cohort.exitWeek[p]! >= cohort.referralWeek[p]!)) participants++;
    if (!start && cohort.referralWeek[p]! > asOfWeek && cohort.referralWeek[p]! <= cc.lastWeek) plannedReferrals++;
  }

  const seasonal = pauseByWeekOfYear(own, prior.counts);
  const byState = pauseFactorByState(own, prior.counts);
  const ending = endRates(own, prior.counts);
  const since = Int32Array.from(cohort.referralWeek, (referral) => Math.max(0, asOfWeek - referral + 1));
  const initial = cumulativeOf(normalised(own.initial.map((n, s) => n + PRIOR_REFERRALS * normalised(prior.counts.initial)[s]!)));
  return {
    priorShape,
    priorMean,
    offsets: careers.participantOffsets,
    keys: careers.participantKeys,
    weights: careers.participantWeights,
    startState,
    startWeeks,
    startGap,
    resume: matchCrossSection(resumption(own, prior.counts, seasonal, asOfWeek), startState, startGap, since, ending.byState),
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
