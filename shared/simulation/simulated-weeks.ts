import { ACTIVITIES, PAID_ACTIVITIES } from '../weekly-hours/activities.ts';
import { B, BUCKET_OF, BUCKET_STARTS, isWorking, LONGEST_DURATION, S, type CareerCounts, type Careers } from './careers.ts';
import { weekFeatures } from './evaluator.ts';
import type { ProjectionModel } from './projection-model.ts';
import { DEFAULT_PRIOR } from './projection-prior.ts';
import type { Evaluation } from './statement.ts';

/*
 * What a simulated week holds (spec 8): per participant and state, the hours of a
 * typical week — their own recent weeks, else the partnership's or the prior's
 * average at that time in the state — and a form of paid work that runs out
 * (a wage subsidy) turning into what such work turned into in the data.
 */

const A = ACTIVITIES.length;

/** Pseudo-weeks pulling the partnership's average week at one duration bucket towards the bucket before. */
const TENURE_WEEKS = 10;
/** Pseudo-weeks of the prior's average week in a state against the partnership's own (a few participants' jobs must not set every future job's hours). */
const PRIOR_WEEKS = 52;

/** Pseudo-weeks of an activity's rate of stopping over all durations in its rate at one duration bucket. */
const ACTIVITY_WEEKS = 10;
/** Pseudo-weeks in which an activity went on, against the weeks where it stopped. */
const ACTIVITY_KEPT = 5;

/**
 * Per activity, the log of the share of runs of weeks with it still going after
 * d weeks in a state, d = 0..LONGEST_DURATION (own counts plus the prior's, so a
 * partnership early in its contract, which has not yet seen a wage subsidy run
 * out, learns when they do from the pool): the weekly rate of stopping at each
 * duration bucket, pulled towards the rate over all durations (zero: never seen
 * to stop). And, for paid work, what its hours then become (the form of paid work
 * with the most hours in the weeks after it stopped; −1: none or not paid work — a
 * job changes its form, other activities their state).
 */
function activityEnds(own: CareerCounts, prior: CareerCounts): { survival: Float64Array; into: Int8Array } {
  const count = (key: 'activityKept' | 'activityStopped' | 'activityInto', i: number) => own[key][i]! + prior[key][i]!;
  const survival = new Float64Array(A * (LONGEST_DURATION + 1));
  for (let a = 0; a < A; a++) {
    let [kept, stopped] = [0, 0];
    for (let b = 0; b < B; b++) (kept += count('activityKept', a * B + b)), (stopped += count('activityStopped', a * B + b));
    const overall = stopped / (kept + stopped + ACTIVITY_KEPT);
    for (let d = 1; d <= LONGEST_DURATION; d++) {
      const b = BUCKET_OF[d]!;
      const rate = (count('activityStopped', a * B + b) + ACTIVITY_WEEKS * overall) / (count('activityKept', a * B + b) + count('activityStopped', a * B + b) + ACTIVITY_WEEKS);
      survival[a * (LONGEST_DURATION + 1) + d] = survival[a * (LONGEST_DURATION + 1) + d - 1]! + Math.log(1 - Math.min(rate, 0.999));
    }
  }
  const into = Int8Array.from({ length: A }, (_, a) => {
    let best = -1;
    if (!PAID_ACTIVITIES.includes(a)) return best;
    for (const to of PAID_ACTIVITIES) if (to !== a && count('activityInto', a * A + to) > 0 && (best < 0 || count('activityInto', a * A + to) > count('activityInto', a * A + best))) best = to;
    return best;
  });
  return { survival, into };
}

/**
 * Per state × duration bucket, the average week that far into the state: the
 * partnership's own weeks at that bucket, pulled towards its week at the bucket
 * before changed as the prior's changes between the two buckets (so a partnership
 * that has not yet seen jobs last a year learns from the pool how their weeks then
 * look); the first pulled towards the partnership's average week in the state,
 * which is pulled towards the prior's (or the default's).
 */
function weekByTenure(careers: Careers, prior: CareerCounts): ArrayLike<number>[] {
  const own = careers.counts;
  const blend = (hours: (a: number) => number, weeks: number, towards: ArrayLike<number>, pseudo: number) =>
    Array.from({ length: A }, (_, a) => Math.max(0, Math.round((hours(a) + pseudo * towards[a]!) / (weeks + pseudo))));
  const stageWeek: ArrayLike<number>[] = [];
  for (let s = 0; s < S; s++) {
    const base = isWorking(s) ? [prior, DEFAULT_PRIOR.counts].find((c) => c.weeksByState[s]! > 0) : undefined;
    const baseWeek = base ? blend((a) => base.hoursByState[s * A + a]!, base.weeksByState[s]!, new Int32Array(A), 0) : new Int32Array(A);
    let week: ArrayLike<number> = isWorking(s) && own.weeksByState[s]! + (base ? PRIOR_WEEKS : 0) > 0 ? blend((a) => own.hoursByState[s * A + a]!, own.weeksByState[s]!, baseWeek, base ? PRIOR_WEEKS : 0) : baseWeek;
    let priorWeek: ArrayLike<number> = baseWeek;
    for (let b = 0; b < B; b++) {
      const m = base ? base.weeksByTenure[s * B + b]! : 0;
      const nextPrior = m > 0 ? blend((a) => base!.hoursByTenure[(s * B + b) * A + a]!, m, priorWeek, TENURE_WEEKS) : priorWeek;
      if (b > 0) week = Array.from({ length: A }, (_, a) => Math.max(0, week[a]! + nextPrior[a]! - priorWeek[a]!));
      priorWeek = nextPrior;
      const n = isWorking(s) ? own.weeksByTenure[s * B + b]! : 0;
      if (n > 0) week = blend((a) => own.hoursByTenure[(s * B + b) * A + a]!, n, week, TENURE_WEEKS);
      stageWeek[s * B + b] = week;
    }
  }
  return stageWeek;
}

/**
 * Per participant, state and duration bucket, the features of a simulated week:
 * the participant's typical recent week in the state (what someone does goes on:
 * who works ordinary hours keeps doing so), except that an activity the partnership
 * has seen stop inside the state turns into what it became once it is half-life
 * weeks older than when last seen (a wage subsidy ends in an ordinary job); without one, the partnership's average
 * week that far into the state, as a new job is often subsidised first and its hours
 * ramp up. That average is pulled towards the one of the bucket before, and the
 * first towards the partnership's average week in the state, which is pulled
 * towards the prior's (or the default's): a few participants' jobs must not set
 * every future job's hours.
 */
export function featuresByState(evaluation: Evaluation, careers: Careers, prior: CareerCounts): Pick<ProjectionModel, 'qualifies' | 'reduction' | 'cost'> {
  const { cc, cohort } = evaluation;
  const P = cohort.ids.length;
  const stageWeek = weekByTenure(careers, prior);
  const ends = activityEnds(careers.counts, prior);
  const D = LONGEST_DURATION + 1;
  const qualifies = new Int32Array(P * S * B);
  const reduction = new Float64Array(P * S * B);
  const cost = new Float64Array(P * S * B);
  for (let p = 0; p < P; p++) {
    for (let s = 0; s < S; s++) {
      const mine = careers.typical[p * S + s];
      let previous: ArrayLike<number> | undefined;
      let previousEnded = -1;
      let f = { qualifies: 0, reduction: 0, cost: 0 };
      for (let b = 0; b < B; b++) {
        let week = mine ?? stageWeek[s * B + b]!;
        let ended = 0;
        if (mine) {
          const [seen, then] = [Math.min(careers.typicalTenure[p * S + s]!, LONGEST_DURATION), BUCKET_STARTS[b]!];
          for (let a = 0; a < A; a++) if (mine[a]! > 0 && ends.into[a]! >= 0 && then > seen && ends.survival[a * D + then]! - ends.survival[a * D + seen]! < Math.log(0.5)) ended |= 1 << a;
          if (ended) week = Int32Array.from(mine, (h, a) => (ended & (1 << a) ? 0 : h + mine.reduce((sum, from, e) => sum + (ended & (1 << e) && ends.into[e] === a ? from : 0), 0)));
        }
        if (ended !== previousEnded || (ended === 0 && week !== previous)) (f = weekFeatures(cc, cohort.weeklyRate[p]!, week)), (previous = week), (previousEnded = ended);
        const i = (p * S + s) * B + b;
        qualifies[i] = f.qualifies;
        reduction[i] = f.reduction;
        cost[i] = f.cost;
      }
    }
  }
  return { qualifies, reduction, cost };
}
