import { ACTIVITIES } from '../weekly-hours/activities.ts';
import { monthRange, weekIndexOfDay, weekIndexOfLabel } from '../weeks/iso-week.ts';
import type { WeeklyHours } from '../weekly-hours/weekly-hours.ts';
import { NO_EXIT, type Cohort, type CompiledContract } from './evaluator.ts';
import type { RosterEntry } from './roster-entry.ts';

/** A partnership's participants with their observed hours by week index. */
export interface ObservedCohort extends Cohort {
  /** Per participant: hours by week index, up to their exit week. */
  hours: Map<number, Int32Array>[];
  /** Per participant: true when they have hours but no roster row (their referral week is assumed). */
  notOnRoster: boolean[];
  /** Per participant: the weeks with hours after their exit week, ascending (ignored, spec 5). */
  weeksAfterExit: number[][];
}

/**
 * The participants of a partnership (spec 5): every roster row, plus everyone
 * with hours; without a roster row a participant is referred in their first week
 * with hours. Hours after a roster exit are set aside. Sorted by id, the settlement order.
 */
export function buildCohort(cc: CompiledContract, weeks: readonly WeeklyHours[], roster: readonly RosterEntry[] = []): ObservedCohort {
  const byId = new Map<string, { referral?: number; exit?: number; prior?: number; rate?: number; hours: Map<number, Int32Array> }>();
  const entry = (id: string) => {
    let found = byId.get(id);
    if (!found) byId.set(id, (found = { hours: new Map() }));
    return found;
  };
  for (const row of roster) {
    const e = entry(row.participant);
    e.referral = weekIndexOfDay(row.referralDay);
    e.prior = row.priorWeeksOnBenefit;
    e.rate = row.weeklyBenefit;
    if (row.exitDay !== undefined) e.exit = weekIndexOfDay(row.exitDay);
  }
  for (const week of weeks) {
    const hours = entry(week.participant).hours;
    const index = weekIndexOfLabel(week.week);
    const sum = hours.get(index) ?? new Int32Array(ACTIVITIES.length);
    week.centiHours.forEach((centi, a) => (sum[a]! += centi));
    hours.set(index, sum);
  }
  const ids = [...byId.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const all = ids.map((id) => byId.get(id)!);
  const weeksAfterExit = all.map((e) => {
    const after = [...e.hours.keys()].filter((index) => e.exit !== undefined && index > e.exit).sort((a, b) => a - b);
    for (const index of after) e.hours.delete(index);
    return after;
  });
  return {
    ids,
    referralWeek: Int32Array.from(all, (e) => e.referral ?? Math.min(...e.hours.keys())),
    exitWeek: Int32Array.from(all, (e) => e.exit ?? NO_EXIT),
    notOnRoster: all.map((e) => e.referral === undefined),
    weeksAfterExit,
    priorWeeks: Int32Array.from(all, (e) => e.prior ?? cc.defaultPriorWeeks),
    weeklyRate: Float64Array.from(all, (e) => e.rate ?? cc.defaultWeeklyRate),
    hours: all.map((e) => e.hours),
  };
}

/**
 * The weeks of a month for statements (spec 3 and 7): a week belongs to the month
 * that holds its Thursday; a week index's Thursday is day `index × 7`.
 */
export function weeksOfMonth(month: string): { first: number; last: number } {
  const { first, last } = monthRange(month);
  return { first: Math.ceil(first / 7), last: Math.floor(last / 7) };
}
