import { B, BUCKET_OF, isWorking, LEFT, LONGEST_DURATION, NONE, ROWS, S, WAITING } from './careers.ts';
import { contractMonthOfWeek, feesDueThrough } from './contract-calendar.ts';
import { applyWeek, EvaluationState, summarise } from './evaluator.ts';
import { UNSET, type ProjectionBasis, type ProjectionModel } from './projection-model.ts';
import type { Evaluation } from './statement.ts';

export type { ProjectionBasis } from './projection-model.ts';

/*
 * The Monte Carlo runs of spec 8. Each run draws its own transition table
 * (participants resampled, the prior drawn around its mean: the uncertainty of
 * what was learned), starts every participant where they stand at the as-of week
 * (a running pause resumes or not, by how often pauses that long resumed), and
 * moves them week by week between states; each simulated week is fed to the same
 * kernel as observed weeks, up to the contract's end. See projection-model.ts for
 * what is learned, careers.ts for how weeks are read.
 */

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
 * Spread (standard deviation of the log) of how much better or worse than the
 * prior a partnership moves people on: partnerships differ, and a projection that
 * leans on the prior must say it could go either way. The factor's median is 1:
 * twice as good is as likely as half as good. Measured by backtests (BENCHMARKS.md).
 */
export const PARTNERSHIP_SPREAD = 1;
const INTERNSHIP = 2;
/**
 * Per (from, to) state, the power of the partnership factor a step's prior weight
 * is multiplied by: +1 for a step forward (from none, waiting, training or an
 * internship into paid work or education; from none, waiting or training into an
 * internship), −1 for a step out of the programme (from a state with hours to
 * "left"), 0 otherwise. A good partnership gets more people on and loses fewer.
 */
const FACTOR_POWER = Int8Array.from({ length: S * S }, (_, i) => {
  const [from, to] = [Math.floor(i / S), i % S];
  const early = from <= INTERNSHIP || from === WAITING;
  if (early && to > INTERNSHIP && to < LEFT) return 1;
  if (early && from !== INTERNSHIP && to === INTERNSHIP) return 1;
  return isWorking(from) && to === LEFT ? -1 : 0;
});

/** A run's PRNG state (mulberry32), advanced by `uniform`; the week loop inlines the same step. */
interface Stream {
  t: number;
}

/** A uniform draw in [0, 1). */
function uniform(stream: Stream): number {
  const t = (stream.t = (stream.t + 0x6d2b79f5) >>> 0);
  let x = Math.imul(t ^ (t >>> 15), t | 1);
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
}

/** A standard normal draw (Box–Muller). */
const normal = (stream: Stream) => Math.sqrt(-2 * Math.log(1 - uniform(stream))) * Math.cos(2 * Math.PI * uniform(stream));

/** A Gamma(shape, 1) draw (Marsaglia and Tsang; shapes below 1 boosted by U^(1/shape)). */
export function gamma(shape: number, stream: Stream): number {
  if (shape <= 0) return 0;
  if (shape < 1) return gamma(shape + 1, stream) * Math.pow(uniform(stream), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(stream);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniform(stream);
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * This run's transition table, cumulative per row: every participant's own
 * transitions weighted by an Exp(1) draw (the Bayesian bootstrap: the cohort as it
 * might as well have been), plus the prior's pseudo-transitions drawn from their
 * Gamma distributions (the Dirichlet around the prior's table).
 */
export function drawTable(model: ProjectionModel, stream: Stream, table: Float64Array): void {
  table.fill(0);
  const { offsets, keys, weights } = model;
  for (let p = 0; p + 1 < offsets.length; p++) {
    if (offsets[p] === offsets[p + 1]) continue;
    const w = -Math.log(1 - uniform(stream));
    for (let k = offsets[p]!; k < offsets[p + 1]!; k++) table[keys[k]!]! += w * weights[k]!;
  }
  // How much better or worse than the prior this partnership moves people on: one factor for all rows.
  const factor = Math.exp(PARTNERSHIP_SPREAD * normal(stream));
  const scale = [1 / factor, 1, factor];
  for (let r = 0; r < ROWS; r++) {
    const row = r * S;
    const from = Math.floor(r / B);
    let total = 0;
    for (let j = 0; j < S; j++) total += table[row + j]! += gamma(model.priorShape[row + j]!, stream) * scale[FACTOR_POWER[from * S + j]! + 1]!;
    let sum = 0;
    for (let j = 0; j < S; j++) table[row + j] = sum += total > 0 ? table[row + j]! / total : model.priorMean[row + j]!;
    table[row + S - 1] = 1;
  }
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
  const weeks = new Int32Array(P * S);
  const table = new Float64Array(ROWS * S);
  const { qualifies, reduction, cost, initial, pause, resume } = model;
  const referral = cohort.referralWeek;
  const exit = cohort.exitWeek;
  const firstWeek = evaluation.asOfWeek + 1;
  const { lastWeeks: monthEnds, fees: monthFees } = monthly ? projectionMonths(evaluation) : { lastWeeks: new Int32Array(0), fees: new Float64Array(0) };
  // At the contract's end every instalment is due: the schedule sums to the fee (spec 4).
  const endFees = cc.programmeFee;
  const stream: Stream = { t: 0 };
  for (let run = from; run < to; run++) {
    state.copyFrom(evaluation.state);
    stream.t = runSeed(seed, run);
    drawTable(model, stream, table);
    // Where everyone stands: a running pause resumes its state, or was the start of "none".
    weeks.set(model.startWeeks);
    for (let p = 0; p < P; p++) {
      current[p] = model.startState[p]!;
      const gap = model.startGap[p]!;
      if (gap > 0) {
        if (uniform(stream) < resume[gap * S + current[p]!]!) weeks[p * S + current[p]!]! += gap;
        else (current[p] = NONE), (weeks[p * S + NONE] = gap);
      }
    }
    let t = stream.t;
    let month = 0;
    for (let week = firstWeek; week <= cc.lastWeek; week++) {
      const pauses = (week - firstWeek) * S;
      for (let p = 0; p < P; p++) {
        if (week < referral[p]! || week > exit[p]!) continue;
        let s = current[p]!;
        let paused = false;
        if (s !== LEFT) {
          t = (t + 0x6d2b79f5) >>> 0;
          let x = Math.imul(t ^ (t >>> 15), t | 1);
          x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
          const u = ((x ^ (x >>> 14)) >>> 0) / 4294967296;
          // The referral week's state for those referred later, else a step from the current state and its weeks.
          const cumulative = s === UNSET ? initial : table;
          const d = s === UNSET ? 0 : weeks[p * S + s]!;
          const row = s === UNSET ? 0 : (s * B + BUCKET_OF[d < LONGEST_DURATION ? d : LONGEST_DURATION]!) * S;
          let next = 0;
          while (next < S - 1 && u >= cumulative[row + next]!) next++;
          // Weeks in a state with hours add up over its spells; without hours they restart with each run (careers.ts).
          if (next !== s && (next === NONE || next === WAITING)) weeks[p * S + next] = 0;
          weeks[p * S + next]!++;
          current[p] = next;
          if (next >= 1 && next <= 5) {
            // Where u fell inside the chosen step is itself uniform: it decides a pause (a holiday) without another draw.
            const low = next === 0 ? 0 : cumulative[row + next - 1]!;
            paused = u - low < pause[pauses + next]! * (cumulative[row + next]! - low);
          }
          s = next;
        }
        const tenure = weeks[p * S + s]!;
        const i = (p * S + s) * B + BUCKET_OF[tenure < LONGEST_DURATION ? tenure : LONGEST_DURATION]!;
        if (paused) applyWeek(cc, cohort, state, p, week, 0, 0, 0);
        else applyWeek(cc, cohort, state, p, week, qualifies[i]!, reduction[i]!, cost[i]!);
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
  /** What the projection rests on. */
  basis: ProjectionBasis;
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

const round = (amount: number) => Math.round(amount * 100) / 100 + 0; // + 0: never -0

/** P10, P50 and P90 of `count` values found at `offset + r × stride`. */
function bandOf(values: Float64Array, count: number, offset: number, stride: number): Band {
  const sorted = Float64Array.from({ length: count }, (_, r) => values[offset + r * stride]!).sort();
  return { p10: round(percentile(sorted, 0.1)), p50: round(percentile(sorted, 0.5)), p90: round(percentile(sorted, 0.9)) };
}

/** Bands and the probability of paying for itself from all runs' results (and the monthly bands, when given). */
export function summariseRuns(results: Float64Array, seed: number, until: string, basis: ProjectionBasis, monthly?: MonthlyResults): Projection {
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
    basis,
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
