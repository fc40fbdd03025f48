import { ACTIVITIES, PAID_ACTIVITIES } from '../weekly-hours/activities.ts';
import { weekIndexOfDay } from '../weeks/iso-week.ts';
import { parseDay } from '../weeks/parse-day.ts';
import type { Contract } from './contract.ts';

/*
 * Sections 6 and 7 of the spec as one kernel over numbers: the deterministic
 * statement feeds it observed weeks, the Monte Carlo projection feeds it
 * simulated ones, so both apply exactly the same rules. Everything lives in
 * typed arrays so a projection run is a copy of the state plus a tight loop.
 */

const RULES = ['referral', 'first_week', 'cumulative_weeks', 'periodic'] as const;
/** Rule codes in `CompiledContract.rule`. */
export const REFERRAL = 0;
export const FIRST_WEEK = 1;
export const CUMULATIVE = 2;
export const PERIODIC = 3;

const EDUCATION = ACTIVITIES.indexOf('education');

/**
 * A contract turned into the numbers the kernel reads: it reads nothing else, so
 * what a statement or projection depends on is all here.
 */
export interface CompiledContract {
  /** First and last week index overlapping [start, end]. */
  firstWeek: number;
  lastWeek: number;
  outcomeIds: string[];
  rule: Uint8Array;
  /** Per outcome, hundredths of an hour required in a week. */
  minCenti: Float64Array;
  /** Per outcome × activity: 1 when the activity counts for it. */
  counts: Uint8Array;
  weeks: Int32Array;
  times: Int32Array;
  after: Int32Array;
  price: Float64Array;
  /** Municipal cost per hundredth of an hour, per activity. */
  costPerCenti: Float64Array;
  /** Refusion rate by k (benefit week), with the last step repeated beyond the table. */
  refusionByK: Float64Array;
  /** Bit o set when outcome o is a referral outcome. */
  referralMask: number;
  /** Caps on outcome payments (spec 6): per participant and in total, DKK. */
  maxPerParticipant: number;
  cap: number;
  /** Share of the benefit saving that would have happened anyway (spec 7). */
  deadweight: number;
  programmeFee: number;
  /** The contract's first and last calendar months (`YYYY-MM`): the months weeks are booked in (spec 7). */
  startMonth: string;
  endMonth: string;
  /** The programme fee by the month it is due, months ascending (spec 4; the whole fee in the start month without a schedule). */
  fees: { month: string; amount: number }[];
  /** Benefit reduction per hour of paid work: hourly wage less the disregard (spec 7), DKK. */
  reductionPerPaidHour: number;
  /** Weekly hours of education from which the whole benefit is saved. */
  educationOffBenefitHours: number;
  /** Benefit rate and prior weeks on benefit of a participant without a roster row. */
  defaultWeeklyRate: number;
  defaultPriorWeeks: number;
}

/** Validated contract → numbers for the kernel. */
export function compileContract(contract: Contract): CompiledContract {
  const outcomes = contract.outcomes;
  const n = outcomes.length;
  const counts = new Uint8Array(n * ACTIVITIES.length);
  outcomes.forEach((o, i) => {
    if ('activities' in o) for (const a of o.activities) counts[i * ACTIVITIES.length + ACTIVITIES.indexOf(a)] = 1;
  });
  const steps = contract.benefit.refusion;
  const refusionByK = new Float64Array(steps[steps.length - 1]!.fromWeek + 1);
  for (let k = 1; k < refusionByK.length; k++) refusionByK[k] = steps.filter((s) => s.fromWeek <= k).at(-1)!.rate;
  refusionByK[0] = refusionByK[1]!;
  const benefit = contract.benefit;
  return {
    firstWeek: weekIndexOfDay(parseDay(contract.start)),
    lastWeek: weekIndexOfDay(parseDay(contract.end)),
    outcomeIds: outcomes.map((o) => o.id),
    rule: Uint8Array.from(outcomes, (o) => RULES.indexOf(o.rule)),
    minCenti: Float64Array.from(outcomes, (o) => ('minHours' in o ? Math.round(o.minHours * 100) : 0)),
    counts,
    weeks: Int32Array.from(outcomes, (o) => ('weeks' in o ? o.weeks : 0)),
    times: Int32Array.from(outcomes, (o) => ('times' in o ? o.times : 0)),
    after: Int32Array.from(outcomes, (o) => (o.rule === 'periodic' ? outcomes.findIndex((t) => t.id === o.after) : -1)),
    price: Float64Array.from(outcomes, (o) => o.price),
    costPerCenti: Float64Array.from(ACTIVITIES, (a) => (contract.benefit.municipalCostPerHour[a] ?? 0) / 100),
    refusionByK,
    referralMask: outcomes.reduce((mask, o, i) => (o.rule === 'referral' ? mask | (1 << i) : mask), 0),
    maxPerParticipant: contract.maxPerParticipant,
    cap: contract.cap,
    deadweight: contract.deadweight,
    programmeFee: contract.programmeFee,
    startMonth: contract.start.slice(0, 7),
    endMonth: contract.end.slice(0, 7),
    fees: (contract.feeSchedule ?? [{ month: contract.start.slice(0, 7), amount: contract.programmeFee }])
      .map(({ month, amount }) => ({ month, amount }))
      .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0)),
    reductionPerPaidHour: benefit.hourlyWage - benefit.disregardPerHour,
    educationOffBenefitHours: benefit.educationOffBenefitHours,
    defaultWeeklyRate: benefit.weeklyRate,
    defaultPriorWeeks: benefit.priorWeeksOnBenefit,
  };
}

/** The participants of one partnership, sorted by id (the settlement order). */
export interface Cohort {
  ids: string[];
  referralWeek: Int32Array;
  /** The week of a roster exit (spec 5), NO_EXIT without one: later weeks count for nothing. */
  exitWeek: Int32Array;
  priorWeeks: Int32Array;
  weeklyRate: Float64Array;
}

/** The exit week of a participant who never exits. */
export const NO_EXIT = 0x7fffffff;

/** What one participant-week contributes, computed from its hours. */
export interface WeekFeatures {
  /** Bit o set when the week qualifies for outcome o. */
  qualifies: number;
  /** Benefit reduction (spec 7), DKK. */
  reduction: number;
  /** Municipal cost of the week's subsidised hours, DKK. */
  cost: number;
}

/** Hundredths of an hour over outcome o's activities in a week. */
export function centiFor(cc: CompiledContract, o: number, centi: ArrayLike<number>): number {
  const A = ACTIVITIES.length;
  let sum = 0;
  for (let a = 0; a < A; a++) if (cc.counts[o * A + a]) sum += centi[a]!;
  return sum;
}

/** Spec 6: a week qualifies with more than 0 hours and at least minHours (minHours 0 means "any hours"). */
export function qualifiesFor(cc: CompiledContract, o: number, centi: number): boolean {
  return centi > 0 && centi >= cc.minCenti[o]!;
}

/** Features of a participant-week from hours per activity (hundredths). */
export function weekFeatures(cc: CompiledContract, weeklyRate: number, centi: ArrayLike<number>): WeekFeatures {
  const n = cc.rule.length;
  const A = ACTIVITIES.length;
  let qualifies = 0;
  for (let o = 0; o < n; o++) if (qualifiesFor(cc, o, centiFor(cc, o, centi))) qualifies |= 1 << o;
  const earning = PAID_ACTIVITIES.reduce((sum, a) => sum + centi[a]!, 0) / 100;
  const education = centi[EDUCATION]! / 100;
  const reduction = education > 0 && education >= cc.educationOffBenefitHours
    ? weeklyRate
    : Math.min(weeklyRate, Math.max(0, earning * cc.reductionPerPaidHour));
  let cost = 0;
  for (let a = 0; a < A; a++) cost += centi[a]! * cc.costPerCenti[a]!;
  return { qualifies, reduction, cost };
}

/** One reached outcome and what was paid for it (0 when a cap cut it). */
export interface OutcomeEvent {
  participant: number;
  outcome: number;
  week: number;
  amount: number;
}

/** Running totals of sections 6–7. */
export interface Totals {
  outcomePayments: number;
  grossBenefitSavings: number;
  municipalSavings: number;
  attributableSavings: number;
}

/**
 * The mutable state of a partnership's evaluation: per participant and outcome
 * when it was reached and its counters, payments so far, totals. `copyFrom`
 * lets a projection run start from the state at the as-of week.
 */
export class EvaluationState {
  readonly reachedWeek: Int32Array;
  readonly counter: Int32Array;
  readonly paidTimes: Int32Array;
  readonly paidToParticipant: Float64Array;
  readonly totals: Totals = { outcomePayments: 0, grossBenefitSavings: 0, municipalSavings: 0, attributableSavings: 0 };

  constructor(participants: number, outcomes: number) {
    this.reachedWeek = new Int32Array(participants * outcomes).fill(-1);
    this.counter = new Int32Array(participants * outcomes);
    this.paidTimes = new Int32Array(participants * outcomes);
    this.paidToParticipant = new Float64Array(participants);
  }

  copyFrom(other: EvaluationState): void {
    this.reachedWeek.set(other.reachedWeek);
    this.counter.set(other.counter);
    this.paidTimes.set(other.paidTimes);
    this.paidToParticipant.set(other.paidToParticipant);
    Object.assign(this.totals, other.totals);
  }
}

/**
 * Applies one participant-week (spec 6–7). Must be called week by week and, within
 * a week, participant by participant in cohort order: that is the settlement
 * order the caps depend on. `record` receives every outcome reached.
 *
 * Kept small so V8 inlines it into the projection's loop (a call per
 * participant-week cost more than its work); the rarer work of
 * reaching outcomes is in `settleOutcomes`.
 */
export function applyWeek(
  cc: CompiledContract,
  cohort: Cohort,
  state: EvaluationState,
  p: number,
  week: number,
  qualifies: number,
  reduction: number,
  cost: number,
  record?: (event: OutcomeEvent) => void,
): void {
  const referral = cohort.referralWeek[p]!;
  if (week < referral || week < cc.firstWeek || week > cc.lastWeek || week > cohort.exitWeek[p]!) return;
  // Every rule but referral needs a qualifying week: only those outcomes can be reached.
  const candidates = week === referral ? qualifies | cc.referralMask : qualifies & ~cc.referralMask;
  if (candidates !== 0) settleOutcomes(cc, state, p, week, candidates, record);
  // A week without reduction or cost (no hours, training only, left) adds exactly 0 to both
  // savings totals (which are never -0), so skipping it changes nothing; projections are full of them.
  if (reduction === 0 && cost === 0) return;
  const k = cohort.priorWeeks[p]! + (week - referral) + 1;
  const rate = cc.refusionByK[Math.min(k, cc.refusionByK.length - 1)]!;
  const saving = reduction * (1 - rate);
  state.totals.grossBenefitSavings += reduction;
  state.totals.municipalSavings += saving - cost;
  // Deadweight shrinks the benefit saving only; the municipality's own costs count in full (spec 7).
  state.totals.attributableSavings += saving * (1 - cc.deadweight) - cost;
}

/** Spec 6 for one participant-week: the candidate outcomes (a bit each) that are reached, lowest first, and their capped payments. */
function settleOutcomes(
  cc: CompiledContract,
  state: EvaluationState,
  p: number,
  week: number,
  candidates: number,
  record: ((event: OutcomeEvent) => void) | undefined,
): void {
  const base = p * cc.rule.length;
  while (candidates !== 0) {
    const o = 31 - Math.clz32(candidates & -candidates);
    candidates &= candidates - 1;
    const i = base + o;
    let reached = false;
    switch (cc.rule[o]) {
      case REFERRAL:
        reached = true;
        break;
      case FIRST_WEEK:
        reached = state.reachedWeek[i] === -1;
        break;
      case CUMULATIVE:
        if (state.reachedWeek[i] === -1) reached = ++state.counter[i]! === cc.weeks[o];
        break;
      case PERIODIC: {
        const afterWeek = state.reachedWeek[base + cc.after[o]!]!;
        if (afterWeek !== -1 && week > afterWeek && state.paidTimes[i]! < cc.times[o]!) reached = ++state.counter[i]! % cc.weeks[o]! === 0;
        break;
      }
    }
    if (reached) {
      state.reachedWeek[i] = week;
      state.paidTimes[i]!++;
      const room = Math.min(cc.maxPerParticipant - state.paidToParticipant[p]!, cc.cap - state.totals.outcomePayments);
      const amount = Math.max(0, Math.min(cc.price[o]!, room));
      state.paidToParticipant[p]! += amount;
      state.totals.outcomePayments += amount;
      record?.({ participant: p, outcome: o, week, amount });
    }
  }
}

/** The figures of spec 7, to the unrounded krone. */
export interface Figures {
  outcomePayments: number;
  grossBenefitSavings: number;
  municipalSavings: number;
  attributableSavings: number;
  fees: number;
  net: number;
}

/** The figures of spec 7 from running totals and the programme fee due over the same span. */
export function summarise(totals: Totals, fees: number): Figures {
  return {
    outcomePayments: totals.outcomePayments,
    grossBenefitSavings: totals.grossBenefitSavings,
    municipalSavings: totals.municipalSavings,
    attributableSavings: totals.attributableSavings,
    fees,
    net: totals.attributableSavings - totals.outcomePayments - fees,
  };
}
