import { ACTIVITIES } from '../weekly-hours/activities.ts';
import { monthOfWeekIndex, weekLabel } from '../weeks/iso-week.ts';
import type { WeeklyHours } from '../weekly-hours/weekly-hours.ts';
import { buildCohort, weeksOfMonth, type ObservedCohort } from './cohort.ts';
import type { Contract } from './contract.ts';
import { applyWeek, compileContract, EvaluationState, summarise, weekFeatures, type CompiledContract, type OutcomeEvent } from './evaluator.ts';
import type { RosterEntry } from './roster-entry.ts';

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
  /** `YYYY-MM`: the statement covers every week up to the last one whose Thursday is in it. */
  asOf: string;
  rejectedReports?: readonly RejectedReport[];
}

export interface Figures {
  outcomePayments: number;
  grossBenefitSavings: number;
  municipalSavings: number;
  attributableSavings: number;
  net: number;
}

export interface StatementOutcome {
  participant: string;
  outcome: string;
  week: string;
  amount: number;
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
  /** The as-of month alone (its net leaves out the programme fee, which the cumulative net carries). */
  month: Figures & { outcomes: StatementOutcome[] };
  /** Cumulative figures at the end of each month from the contract's start, for charts. */
  byMonth: ({ month: string } & Figures)[];
  rejectedReports: RejectedReport[];
}

/** Rounds DKK to the øre. */
export const toOere = (amount: number) => Math.round(amount * 100) / 100;
const rounded = (figures: Figures): Figures =>
  Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, toOere(v)])) as unknown as Figures;

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
 * capped payments, savings and net, cumulative and for the month.
 */
export function evaluate(input: StatementInput): Evaluation {
  const cc = compileContract(input.contract);
  const roster = (input.roster ?? []).filter((row) => row.partnership === input.contract.partnership);
  const cohort = buildCohort(cc, input.weeks, roster);
  const state = new EvaluationState(cohort.ids.length, cc.rule.length);
  const month = weeksOfMonth(input.asOf);
  const events: OutcomeEvent[] = [];
  const record = (event: OutcomeEvent) => events.push(event);
  const byMonth: Statement['byMonth'] = [];
  let monthStart = { ...state.totals };

  for (let week = cc.firstWeek; week <= month.last; week++) {
    if (week === month.first) monthStart = { ...state.totals };
    for (let p = 0; p < cohort.ids.length; p++) {
      const hours = cohort.hours[p]!.get(week) ?? ZERO;
      const f = weekFeatures(cc, cohort.weeklyRate[p]!, hours);
      applyWeek(cc, cohort, state, p, week, f.qualifies, f.reduction, f.cost, record);
    }
    const thursday = monthOfWeekIndex(week);
    const nextThursday = monthOfWeekIndex(week + 1);
    if (thursday !== nextThursday || week === month.last) byMonth.push({ month: thursday, ...rounded(summarise(cc, state.totals)) });
  }

  const toOutcome = (e: OutcomeEvent): StatementOutcome => ({
    participant: cohort.ids[e.participant]!,
    outcome: cc.outcomeIds[e.outcome]!,
    week: weekLabel(e.week),
    amount: toOere(e.amount),
  });
  const monthTotals = {
    outcomePayments: state.totals.outcomePayments - monthStart.outcomePayments,
    grossBenefitSavings: state.totals.grossBenefitSavings - monthStart.grossBenefitSavings,
    municipalSavings: state.totals.municipalSavings - monthStart.municipalSavings,
  };
  const { contract } = input;
  const statement: Statement = {
    partnership: contract.partnership,
    name: contract.name,
    municipality: contract.municipality,
    asOf: input.asOf,
    participants: cohort.ids.length,
    outcomes: events.map(toOutcome),
    totals: rounded(summarise(cc, state.totals)),
    month: { ...rounded(summarise(cc, monthTotals, false)), outcomes: events.filter((e) => e.week >= month.first).map(toOutcome) },
    byMonth,
    rejectedReports: [...(input.rejectedReports ?? [])],
  };
  return { cc, cohort, state, asOfWeek: month.last, statement };
}
