import { ACTIVITIES } from '../weekly-hours/activities.ts';
import { monthBefore, weekLabel } from '../weeks/iso-week.ts';
import type { WeeklyHours } from '../weekly-hours/weekly-hours.ts';
import { buildCohort, type ObservedCohort } from './cohort.ts';
import { feesDueThrough, lastWeekOfMonth, statementMonths } from './contract-calendar.ts';
import type { Contract } from './contract.ts';
import { applyWeek, compileContract, EvaluationState, summarise, weekFeatures, type CompiledContract, type Figures, type OutcomeEvent } from './evaluator.ts';
import type { RosterEntry } from './roster-entry.ts';
import { evidenceOf, outcomeLabel, warningsOf, type EvidenceWeek, type StatementWarning } from './statement-evidence.ts';

export type { Figures } from './evaluator.ts';
export type { EvidenceWeek, StatementWarning } from './statement-evidence.ts';

/** A report whose rows were not all counted, as statements list them (spec 2.3). */
export interface RejectedReport {
  key: string;
  month: string;
  source: string;
  outcome: 'accepted' | 'rejected';
  rejectedRows: number;
  reasons: number;
}

export interface StatementInput {
  contract: Contract;
  weeks: readonly WeeklyHours[];
  roster?: readonly RosterEntry[];
  /** `YYYY-MM`: the statement covers every week booked in it or before (spec 7). */
  asOf: string;
  rejectedReports?: readonly RejectedReport[];
}

export interface StatementOutcome {
  participant: string;
  outcome: string;
  /** The contract's label for the outcome, else a Danish name for its rule (absent on statements stored before labels). */
  label?: string;
  week: string;
  amount: number;
  /** The qualifying weeks, with their hours over the outcome's activities, that reached it (absent on statements stored before evidence). */
  evidence?: EvidenceWeek[];
}

export interface Statement {
  partnership: string;
  name: string;
  municipality: string;
  asOf: string;
  participants: number;
  /** Every outcome reached up to the as-of month, cut payments included, in settlement order. */
  outcomes: StatementOutcome[];
  totals: Figures;
  /** The as-of month alone, fee due that month included: months' figures add up to the totals to the øre. */
  month: Figures & { outcomes: StatementOutcome[] };
  /** Cumulative figures at the end of each month from the contract's start, for charts. */
  byMonth: ({ month: string } & Figures)[];
  rejectedReports: RejectedReport[];
  /** Participants not on the roster (referral assumed) and hours after an exit (ignored); absent on statements stored before warnings. */
  warnings?: StatementWarning[];
}

/** Rounds DKK to the øre. */
export const toOere = (amount: number) => Math.round(amount * 100) / 100 + 0; // + 0: never -0
const rounded = (figures: Figures): Figures =>
  Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, toOere(v)])) as unknown as Figures;
/**
 * Figures of a span as the difference of two rounded cumulative figures, in whole
 * øre, so consecutive months add up exactly to the cumulative figures.
 */
const difference = (to: Figures, from: Figures): Figures =>
  Object.fromEntries(Object.entries(to).map(([k, v]) => [k, (Math.round(v * 100) - Math.round(from[k as keyof Figures] * 100)) / 100 + 0])) as unknown as Figures;

const NOTHING: Figures = rounded(summarise({ outcomePayments: 0, grossBenefitSavings: 0, municipalSavings: 0, attributableSavings: 0 }, 0));

/** The deterministic part of a statement, plus what the projection continues from. */
export interface Evaluation {
  cc: CompiledContract;
  cohort: ObservedCohort;
  state: EvaluationState;
  /** Last week of the as-of month. */
  asOfWeek: number;
  statement: Statement;
}

const ZERO = new Int32Array(ACTIVITIES.length);

/**
 * Sections 6–7 applied to the observed weeks up to the as-of month: outcomes,
 * capped payments, savings, fees and net, cumulative, for the month and at the
 * end of every month; with the evidence and warnings of section 8.
 */
export function evaluate(input: StatementInput): Evaluation {
  const cc = compileContract(input.contract);
  const roster = (input.roster ?? []).filter((row) => row.partnership === input.contract.partnership);
  const cohort = buildCohort(cc, input.weeks, roster);
  const state = new EvaluationState(cohort.ids.length, cc.rule.length);
  const asOfWeek = lastWeekOfMonth(cc, input.asOf);
  const events: OutcomeEvent[] = [];
  const record = (event: OutcomeEvent) => events.push(event);
  let next = cc.firstWeek;
  const applyThrough = (last: number) => {
    for (; next <= last; next++) {
      for (let p = 0; p < cohort.ids.length; p++) {
        const f = weekFeatures(cc, cohort.weeklyRate[p]!, cohort.hours[p]!.get(next) ?? ZERO);
        applyWeek(cc, cohort, state, p, next, f.qualifies, f.reduction, f.cost, record);
      }
    }
  };
  const byMonth = statementMonths(cc, input.asOf).map((month) => {
    applyThrough(lastWeekOfMonth(cc, month));
    return { month, ...rounded(summarise(state.totals, feesDueThrough(cc, month))) };
  });
  applyThrough(asOfWeek);

  const totals = rounded(summarise(state.totals, feesDueThrough(cc, input.asOf)));
  const before = byMonth.length > 1 ? byMonth.at(-2)! : NOTHING;
  const monthFirstWeek = lastWeekOfMonth(cc, monthBefore(input.asOf)) + 1;
  const toOutcome = (e: OutcomeEvent): StatementOutcome => ({
    participant: cohort.ids[e.participant]!,
    outcome: cc.outcomeIds[e.outcome]!,
    label: outcomeLabel(input.contract.outcomes[e.outcome]!),
    week: weekLabel(e.week),
    amount: toOere(e.amount),
    evidence: evidenceOf(cc, cohort, state, e),
  });
  const outcomes = events.map(toOutcome);
  const { contract } = input;
  const statement: Statement = {
    partnership: contract.partnership,
    name: contract.name,
    municipality: contract.municipality,
    asOf: input.asOf,
    participants: cohort.ids.length,
    outcomes,
    totals,
    month: { ...difference(totals, before), outcomes: outcomes.filter((_, i) => events[i]!.week >= monthFirstWeek) },
    byMonth,
    rejectedReports: [...(input.rejectedReports ?? [])],
    warnings: warningsOf(cohort, asOfWeek),
  };
  return { cc, cohort, state, asOfWeek, statement };
}
