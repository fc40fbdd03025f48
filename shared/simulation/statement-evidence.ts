import { ACTIVITIES } from '../weekly-hours/activities.ts';
import { weekLabel } from '../weeks/iso-week.ts';
import type { ObservedCohort } from './cohort.ts';
import type { Outcome } from './contract.ts';
import { centiFor, CUMULATIVE, FIRST_WEEK, PERIODIC, qualifiesFor, type CompiledContract, type EvaluationState, type OutcomeEvent } from './evaluator.ts';

/*
 * What a finance officer audits a statement by (spec 5, 6 and 8): the weeks and
 * hours behind every outcome payment, the name shown for each outcome, and the
 * warnings about participants whose input was assumed or ignored. Worked out
 * after the evaluation from the observed weeks, so the Monte Carlo projection,
 * which runs the same kernel, never pays for it.
 */

/** One week that reached an outcome, with its hours over the outcome's activities. */
export interface EvidenceWeek {
  week: string;
  hours: number;
}

/** Something the statement assumed or ignored, per participant. */
export type StatementWarning =
  /** Hours but no roster row: referred in the first week with hours (assumed). */
  | { kind: 'not_on_roster'; participant: string; referralWeek: string }
  /** Hours reported after the roster exit week: not counted. */
  | { kind: 'hours_after_exit'; participant: string; exitWeek: string; weeks: string[] };

/** The name a statement shows for an outcome: its `label`, else a Danish name for its rule (spec 4). */
export function outcomeLabel(outcome: Outcome): string {
  if (outcome.label) return outcome.label;
  switch (outcome.rule) {
    case 'referral':
      return 'Visitation (tilknytning)';
    case 'first_week':
      return 'Første kvalificerende uge';
    case 'cumulative_weeks':
      return `${outcome.weeks} kvalificerende uger`;
    case 'periodic':
      return `Fastholdelse for hver ${outcome.weeks}. kvalificerende uge`;
  }
}

const ACTIVE = ACTIVITIES.map((a) => (a === 'absence' ? 0 : 1));

/**
 * The qualifying weeks (with hours) that reached an outcome: the week itself for
 * first_week; every week counted for cumulative_weeks; the weeks of that period
 * for periodic; for referral the referral week with its active hours.
 */
export function evidenceOf(cc: CompiledContract, cohort: ObservedCohort, state: EvaluationState, event: OutcomeEvent): EvidenceWeek[] {
  const { participant: p, outcome: o, week } = event;
  const hours = cohort.hours[p]!;
  const centiAt = (w: number) => {
    const centi = hours.get(w);
    return centi ? centiFor(cc, o, centi) : 0;
  };
  const qualifyingWeeks = (from: number) => {
    const weeks: EvidenceWeek[] = [];
    for (let w = from; w <= week; w++) if (qualifiesFor(cc, o, centiAt(w))) weeks.push({ week: weekLabel(w), hours: centiAt(w) / 100 });
    return weeks;
  };
  switch (cc.rule[o]) {
    case FIRST_WEEK:
      return [{ week: weekLabel(week), hours: centiAt(week) / 100 }];
    case CUMULATIVE:
      return qualifyingWeeks(Math.max(cohort.referralWeek[p]!, cc.firstWeek));
    case PERIODIC: {
      const afterWeek = state.reachedWeek[p * cc.rule.length + cc.after[o]!]!;
      return qualifyingWeeks(afterWeek + 1).slice(-cc.weeks[o]!);
    }
    default: {
      const centi = hours.get(week);
      let active = 0;
      for (let a = 0; a < ACTIVE.length; a++) active += ACTIVE[a]! * (centi?.[a] ?? 0);
      return [{ week: weekLabel(week), hours: active / 100 }];
    }
  }
}

/** The warnings of a statement up to the as-of week, in participant order. */
export function warningsOf(cohort: ObservedCohort, asOfWeek: number): StatementWarning[] {
  const warnings: StatementWarning[] = [];
  cohort.ids.forEach((participant, p) => {
    if (cohort.notOnRoster[p] && cohort.referralWeek[p]! <= asOfWeek) {
      warnings.push({ kind: 'not_on_roster', participant, referralWeek: weekLabel(cohort.referralWeek[p]!) });
    }
    const after = cohort.weeksAfterExit[p]!.filter((w) => w <= asOfWeek);
    if (after.length > 0) warnings.push({ kind: 'hours_after_exit', participant, exitWeek: weekLabel(cohort.exitWeek[p]!), weeks: after.map(weekLabel) });
  });
  return warnings;
}
