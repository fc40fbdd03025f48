import { monthAfter, monthOfWeekIndex } from '../weeks/iso-week.ts';
import { weeksOfMonth } from './cohort.ts';
import type { CompiledContract } from './evaluator.ts';

/*
 * The contract's calendar (spec 4 and 7): which month a week is booked in, the
 * last week of a month, the months a statement covers and the fee due by then.
 * A week belongs to its Thursday's month, except at the contract's edges, so
 * nothing is booked outside the contract's months.
 */

/**
 * The month a week is booked in: the start month for the week holding the start
 * date (also when that week holds the end date too), the end month for the week
 * holding the end date, else the month of its Thursday. Never decreases as weeks go on.
 */
export function contractMonthOfWeek(cc: CompiledContract, week: number): string {
  if (week === cc.firstWeek) return cc.startMonth;
  if (week === cc.lastWeek) return cc.endMonth;
  return monthOfWeekIndex(week);
}

/** The last week booked in `month` or before (the edges move a month's end by at most a week). */
export function lastWeekOfMonth(cc: CompiledContract, month: string): number {
  let week = weeksOfMonth(month).last + 1;
  while (contractMonthOfWeek(cc, week) > month) week--;
  return week;
}

/** The months from the contract's start month through `asOf` (none when asOf is earlier). */
export function statementMonths(cc: CompiledContract, asOf: string): string[] {
  const months: string[] = [];
  for (let month = cc.startMonth; month <= asOf; month = monthAfter(month)) months.push(month);
  return months;
}

/** The programme fee due in the months up to and including `month` (spec 4), DKK. */
export function feesDueThrough(cc: CompiledContract, month: string): number {
  let due = 0;
  for (const fee of cc.fees) if (fee.month <= month) due += fee.amount;
  return due;
}
