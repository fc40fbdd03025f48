import { ABSENCE, PAID_ACTIVITIES } from './activities.ts';

/**
 * One participant's hours in one ISO week, per activity in hundredths of an hour
 * (integers, so sums over reports and months stay exact). `estimated` marks weeks
 * that include monthly totals spread over weekdays (spec 2.3).
 */
export interface WeeklyHours {
  participant: string;
  week: string;
  /** Hundredths of an hour, indexed like ACTIVITIES. */
  centiHours: number[];
  estimated: boolean;
}

/** All activities but absence (spec 3), in hundredths. */
export function activeCentiHours(row: WeeklyHours): number {
  return row.centiHours.reduce((sum, hours, i) => (i === ABSENCE ? sum : sum + hours), 0);
}

/** Ordinary + flexjob + wage subsidy (spec 3), in hundredths. */
export function paidCentiHours(row: WeeklyHours): number {
  return PAID_ACTIVITIES.reduce((sum, i) => sum + row.centiHours[i]!, 0);
}

/** Sorts by participant (code-unit order, as the CSV promises) then week. */
export function compareWeeklyHours(a: WeeklyHours, b: WeeklyHours): number {
  if (a.participant !== b.participant) return a.participant < b.participant ? -1 : 1;
  return a.week < b.week ? -1 : a.week > b.week ? 1 : 0;
}

/**
 * Adds up weekly hours from several reports (other sources, neighbouring months)
 * into one row per participant and week, sorted. A week spanning two months gets
 * both months' hours this way. Sorts, then adds up neighbours: rows that come sorted
 * and one per participant-week (one timesheet's, as readTimesheet gives them) are
 * passed through as they are; rows that are added up are copies, the input is never changed.
 */
export function sumWeeklyHours(rows: Iterable<WeeklyHours>): WeeklyHours[] {
  const sorted = [...rows];
  if (!strictlyAscending(sorted)) sorted.sort(compareWeeklyHours);
  const sums: WeeklyHours[] = [];
  let copied = false; // whether the last sum is our own copy, free to add to
  for (const row of sorted) {
    const last = sums.at(-1);
    if (last === undefined || compareWeeklyHours(last, row) !== 0) {
      sums.push(row);
      copied = false;
      continue;
    }
    const sum = copied ? last : { ...last, centiHours: [...last.centiHours] };
    row.centiHours.forEach((hours, i) => (sum.centiHours[i]! += hours));
    sum.estimated ||= row.estimated;
    sums[sums.length - 1] = sum;
    copied = true;
  }
  return sums;
}

/** True when every row sorts strictly after the one before (so no two share a participant-week). */
function strictlyAscending(rows: readonly WeeklyHours[]): boolean {
  for (let i = 1; i < rows.length; i++) if (compareWeeklyHours(rows[i - 1]!, rows[i]!) >= 0) return false;
  return true;
}
