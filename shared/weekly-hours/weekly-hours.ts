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
 * both months' hours this way.
 */
export function sumWeeklyHours(rows: Iterable<WeeklyHours>): WeeklyHours[] {
  const byKey = new Map<string, WeeklyHours>();
  for (const row of rows) {
    const key = `${row.participant}\u0000${row.week}`;
    const sum = byKey.get(key);
    if (!sum) {
      byKey.set(key, { ...row, centiHours: [...row.centiHours] });
      continue;
    }
    row.centiHours.forEach((hours, i) => (sum.centiHours[i]! += hours));
    sum.estimated ||= row.estimated;
  }
  return [...byKey.values()].sort(compareWeeklyHours);
}
